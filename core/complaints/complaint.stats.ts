import type { StatRow } from './complaint.ports';

/** Art. 23 statistics of one scope (a site, a unit's subtree, everything an actor sees) over a period. */
export interface ComplaintStats {
  received: number;
  unmatched: number;
  transferred: number;
  transferredOnTime: number;
  answered: number;
  answeredOnTime: number;
  untrue: number;
  published: number;
  overdueNow: number;
  /** Mean working days from receipt to answer over the answered reports; null when none is answered. */
  meanHandlingDays: number | null;
}

export interface SiteStats extends ComplaintStats {
  siteId: string;
  siteName: string;
}

const empty = (): ComplaintStats & { handlingSum: number } => ({
  received: 0,
  unmatched: 0,
  transferred: 0,
  transferredOnTime: 0,
  answered: 0,
  answeredOnTime: 0,
  untrue: 0,
  published: 0,
  overdueNow: 0,
  meanHandlingDays: null,
  handlingSum: 0,
});

function add(acc: ReturnType<typeof empty>, r: StatRow, now: Date): void {
  acc.received += 1;
  if (r.state === 'unmatched') acc.unmatched += 1;
  if (r.transferredAt) acc.transferred += 1;
  if (r.transferOnTime) acc.transferredOnTime += 1;
  if (r.answeredAt) {
    acc.answered += 1;
    if (r.handlingDays !== null) acc.handlingSum += r.handlingDays;
  }
  if (r.answerOnTime) acc.answeredOnTime += 1;
  if (r.state === 'untrue') acc.untrue += 1;
  if (r.publishedAt) acc.published += 1;
  if (r.dueAt && r.dueAt.getTime() <= now.getTime()) acc.overdueNow += 1;
}

function finish<T extends ReturnType<typeof empty>>(acc: T): Omit<T, 'handlingSum'> {
  const { handlingSum, ...rest } = acc;
  return { ...rest, meanHandlingDays: acc.answered ? Math.round((handlingSum / acc.answered) * 100) / 100 : null };
}

/** Totals and per-site figures in one pass over the rows; per-site figures sorted by overdue, then received. */
export function computeStats(rows: Iterable<StatRow>, now: Date): { totals: ComplaintStats; bySite: SiteStats[] } {
  const totals = empty();
  const sites = new Map<string, ReturnType<typeof empty> & { siteId: string; siteName: string }>();
  for (const r of rows) {
    add(totals, r, now);
    if (!r.siteId) continue;
    let s = sites.get(r.siteId);
    if (!s) sites.set(r.siteId, (s = { ...empty(), siteId: r.siteId, siteName: r.siteName ?? r.siteId }));
    add(s, r, now);
  }
  const bySite = [...sites.values()].map(finish).sort((a, b) => b.overdueNow - a.overdueNow || b.received - a.received || a.siteName.localeCompare(b.siteName));
  return { totals: finish(totals), bySite };
}
