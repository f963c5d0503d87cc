import type { Audience, ComplaintAuditEntry, ComplaintEffect, ComplaintState } from '../core/complaints/complaint.types';
import type { EffectStatus } from '../core/effects';

/**
 * An error report's pending effect as it was stored before the one effect shape (core/effects.ts): the
 * audience and the message at the top level, `doneAt: null` while pending. The dispatcher may since have
 * marked it `status: 'done'` in place.
 */
export interface LegacyComplaintEffect {
  id: string;
  kind: 'notify';
  audience: Audience;
  template: string;
  params?: Record<string, string>;
  createdAt?: Date;
  doneAt: Date | null;
  status?: EffectStatus;
}

/** A history line as it was stored before the one audit entry (core/audit.ts): a bare userid, `event` and `note`. */
export interface LegacyComplaintEntry {
  at: Date;
  by: string;
  event: ComplaintAuditEntry['action'];
  from: ComplaintState | null;
  to: ComplaintState;
  note: string | null;
}

export type StoredComplaintEffect = ComplaintEffect | LegacyComplaintEffect;
export type StoredComplaintEntry = ComplaintAuditEntry | LegacyComplaintEntry;

/** The channel of a history line stored before channels were recorded. */
export const UNRECORDED_SOURCE = 'unrecorded';

/** A stored effect in the one shape, whichever shape it was written in. */
export function readComplaintEffect(e: StoredComplaintEffect): ComplaintEffect {
  if ('payload' in e) return e;
  const status: EffectStatus = e.status ?? (e.doneAt ? 'done' : 'pending');
  return {
    id: e.id,
    kind: 'notify',
    payload: { to: e.audience, message: e.template, params: e.params ?? {} },
    status,
    ...(e.doneAt ? { doneAt: e.doneAt } : {}),
  };
}

/**
 * A stored history line as the one audit entry, whichever shape it was written in. An old line kept only the
 * userid: it stands for the name too (the presenter shows today's name), and its channel is unrecorded.
 */
export function readComplaintEntry(h: StoredComplaintEntry): ComplaintAuditEntry {
  if (typeof h.by !== 'string') return h as ComplaintAuditEntry;
  const old = h as LegacyComplaintEntry;
  return { at: old.at, by: { userid: old.by, name: old.by }, source: UNRECORDED_SOURCE, action: old.event, from: old.from, to: old.to, ...(old.note !== null && old.note !== undefined ? { comment: old.note } : {}) };
}
