import mongoose, { Schema } from 'mongoose';
import { DomainError } from '../core/errors';
import { quotaSlotsOf, type QuotaSlot } from '../core/requests/quota-slots';
import type { RequestRecord } from '../core/requests/types';
import { isDuplicateKey } from './duplicate-key';
import { RequestModel, type RequestDoc } from './request.model';

/**
 * Art. 14's cross-document quota (core/requests/quota-slots.ts): one document per taken slot, `_id` the slot's
 * key, `requestId` its holder. The insert is the claim; the request write follows.
 */
export interface QuotaSlotDoc {
  _id: string;
  requestId: string;
  at: Date;
}

export const QuotaSlotModel = mongoose.model<QuotaSlotDoc>(
  'RequestQuotaSlot',
  new Schema<QuotaSlotDoc>({ _id: String, requestId: String, at: Date }, { versionKey: false }),
  'request_quota_slots',
);

/**
 * A claim younger than this whose holder does not (yet) hold the slot is a write in progress; older, it was
 * left by a writer that stopped between the claim and its request write, and may be taken over.
 */
export const SLOT_IN_PROGRESS_MS = 60_000;

/** The keys of the slots a request holds as it is stored now (none when it is not stored). */
async function slotsHeldBy(requestId: string): Promise<Set<string>> {
  const r = await RequestModel.findById(requestId, { type: 1, status: 1, site: 1, year: 1 }).lean<Pick<RequestDoc, 'type' | 'status' | 'site' | 'year'>>();
  return new Set(r ? quotaSlotsOf(r).map((s) => s.key) : []);
}

async function holderStillHolds(slot: QuotaSlotDoc, now: Date): Promise<boolean> {
  if ((await slotsHeldBy(slot.requestId)).has(slot._id)) return true;
  return now.getTime() - new Date(slot.at).getTime() < SLOT_IN_PROGRESS_MS;
}

function refusal(slot: QuotaSlot, siteName: string, other: string): DomainError {
  return slot.kind === 'open'
    ? new DomainError('temp_offline_pending', { site: siteName, year: slot.year, other, article: 14 })
    : new DomainError('temp_offline_quota_used', { site: siteName, year: slot.year, other, article: 14 });
}

/** Claims one slot for `requestId`, or throws the art. 14 refusal naming the request that holds it. */
async function claimSlot(slot: QuotaSlot, requestId: string, siteName: string, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await QuotaSlotModel.create({ _id: slot.key, requestId, at: now });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await QuotaSlotModel.findById(slot.key).lean<QuotaSlotDoc>();
    if (!held) continue; // freed meanwhile: try the insert again
    if (held.requestId === requestId) return;
    if (await holderStillHolds(held, now)) throw refusal(slot, siteName, held.requestId);
    // A stale claim: take it over with one conditional update, which only one taker can win.
    const taken = await QuotaSlotModel.updateOne({ _id: slot.key, requestId: held.requestId, at: held.at }, { $set: { requestId, at: now } });
    if (taken.modifiedCount === 1) return;
  }
  const held = await QuotaSlotModel.findById(slot.key).lean<QuotaSlotDoc>();
  throw refusal(slot, siteName, held?.requestId ?? '');
}

/** Frees the slots `requestId` holds (only its own: a slot taken over by another request stays theirs). */
export async function freeSlots(slots: readonly QuotaSlot[], requestId: string): Promise<void> {
  for (const slot of slots) await QuotaSlotModel.deleteOne({ _id: slot.key, requestId });
}

/** After a failed request write: frees the slots just claimed that the request, as it now is, does not hold. */
export async function freeSlotsNotHeld(slots: readonly QuotaSlot[], requestId: string): Promise<void> {
  if (!slots.length) return;
  const held = await slotsHeldBy(requestId);
  await freeSlots(
    slots.filter((s) => !held.has(s.key)),
    requestId,
  );
}

/** Claims every slot or none: a refusal frees the ones this call had claimed. */
export async function claimSlots(slots: readonly QuotaSlot[], record: Pick<RequestRecord, 'id' | 'site'>, now: Date): Promise<void> {
  const claimed: QuotaSlot[] = [];
  try {
    for (const slot of slots) {
      await claimSlot(slot, record.id, record.site.name, now);
      claimed.push(slot);
    }
  } catch (err) {
    await freeSlots(claimed, record.id);
    throw err;
  }
}
