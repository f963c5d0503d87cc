import { TEMP_OFFLINE_APPROVED } from './temp-offline.machine';
import { OPEN_STATUSES, type RequestStatus, type RequestType } from './types';

/**
 * Art. 14 spans documents (one undecided and one approved temporary offline per site and year), so no single
 * request write can guard it. Each request in a quota-bearing state holds a slot with a unique key; the write
 * that moves it into that state claims the slot first, so of two racing filings or approvals one wins, on
 * MongoDB and on the embedded FerretDB alike.
 */
export interface QuotaSlot {
  key: string;
  /** Which refusal a taken slot means: another undecided request, or the year's approved one. */
  kind: 'open' | 'approved';
  site: string;
  year: number;
}

export function quotaSlotsOf(r: { type: RequestType; status: RequestStatus; site: { id: string }; year: number }): QuotaSlot[] {
  if (r.type !== 'temp_offline') return [];
  const kind = OPEN_STATUSES.includes(r.status) ? 'open' : (TEMP_OFFLINE_APPROVED as readonly string[]).includes(r.status) ? 'approved' : undefined;
  return kind ? [{ key: `temp_offline:${kind}:${r.site.id}:${r.year}`, kind, site: r.site.id, year: r.year }] : [];
}

/** The slots `next` holds that `prev` did not (to claim), and those `prev` held that `next` does not (to free). */
export function slotChanges(prev: QuotaSlot[], next: QuotaSlot[]): { claim: QuotaSlot[]; free: QuotaSlot[] } {
  const has = (list: QuotaSlot[], s: QuotaSlot) => list.some((x) => x.key === s.key);
  return { claim: next.filter((s) => !has(prev, s)), free: prev.filter((s) => !has(next, s)) };
}
