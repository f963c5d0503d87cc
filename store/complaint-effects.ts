import { Types } from 'mongoose';
import type { PersonRef } from '../core/complaints/complaint.ports';
import type { Audience, ComplaintEffect } from '../core/complaints/complaint.types';
import { pendingEffects } from '../core/effects';
import type { Deps } from '../core/ports';
import { afterQuietHours, type QuietHours } from '../core/reminders/quiet-hours';
import type { NotificationIntent } from '../core/reminders/reminder.plan';
import { ComplaintModel, type ComplaintDoc } from './complaint.model';
import { readComplaintEffect } from './complaint.stored';
import { insertNotifications } from './notification.repo';
import type { NotificationAction } from '../core/presenters/notification-card';

const audienceKey = (a: Audience) => (a.kind === 'site_admins' ? `s:${a.siteId}` : a.kind === 'supervisors' ? `u:${a.unitCode}` : 'p');

/**
 * The complaints' outbox dispatcher: each pending effect (`notify` an audience, in the one effect shape of
 * core/effects.ts; one stored before it is read as it) becomes one notification document per person, keyed
 * `complaint:<effect id>` + userid — inserted once, however often this runs — then the effects are marked
 * done on the report. People are resolved now, so a role change between the
 * event and the dispatch is honoured. Marking done does not bump the report's version: a user acting on the
 * report at the same moment never gets "changed concurrently" because of us; if their write lands over ours,
 * the effect comes back pending and its second run finds its notifications already stored.
 */
export async function dispatchComplaintEffects(deps: Pick<Deps, 'complaints'>, now: Date, opts: { quietHours?: QuietHours | null; limit?: number } = {}): Promise<{ complaints: number; notifications: number }> {
  const docs = await ComplaintModel.find({ pendingEffects: { $gt: 0 } }, { _id: 1, version: 1, outbox: 1, siteId: 1 })
    .limit(opts.limit ?? 200)
    .lean<Pick<ComplaintDoc, '_id' | 'version' | 'outbox' | 'siteId'>[]>();
  let notifications = 0;
  const notBefore = afterQuietHours(now, opts.quietHours ?? null);
  for (const doc of docs) {
    const pending = pendingEffects((doc.outbox ?? []).map(readComplaintEffect)).map(({ effect, index }) => ({ e: effect, index }));
    if (!pending.length) {
      await ComplaintModel.updateOne({ _id: doc._id }, { $set: { pendingEffects: 0 } });
      continue;
    }
    const siteIds = pending.flatMap(({ e }) => (e.payload.to.kind === 'site_admins' ? [e.payload.to.siteId] : []));
    const units = pending.flatMap(({ e }) => (e.payload.to.kind === 'supervisors' ? [e.payload.to.unitCode] : []));
    const who = await deps.complaints.responsible(siteIds, units, pending.some(({ e }) => e.payload.to.kind === 'province_admins'));
    const people = (a: Audience): PersonRef[] => (a.kind === 'site_admins' ? who.siteAdmins.get(a.siteId) : a.kind === 'supervisors' ? who.supervisors.get(a.unitCode) : who.provinceAdmins) ?? [];
    const intents: NotificationIntent[] = pending.flatMap(({ e }) =>
      people(e.payload.to).map((p) => ({
        key: `complaint:${e.id}`,
        userid: p.userid,
        locale: p.locale,
        kind: 'notice' as const,
        template: `bot:${e.payload.message}`,
        params: e.payload.params ?? {},
        subject: { kind: 'complaint' as const, id: String(doc._id) },
        late: false,
        notBefore,
        data: { audience: audienceKey(e.payload.to), ...actionOf(e) },
      })),
    );
    notifications += (await insertNotifications(intents, now)).inserted;
    // Guarded by the version read: if the report moved on meanwhile, the next run sees its new effects too.
    const set: Record<string, unknown> = { pendingEffects: 0 };
    for (const { index } of pending) {
      set[`outbox.${index}.status`] = 'done';
      set[`outbox.${index}.doneAt`] = now;
    }
    await ComplaintModel.updateOne({ _id: new Types.ObjectId(String(doc._id)), version: doc.version }, { $set: set });
  }
  return { complaints: docs.length, notifications };
}

/** A report transferred to a site asks its admins to act on it (bot/render/notification-cards.ts builds the card). */
function actionOf(e: ComplaintEffect): { action?: NotificationAction } {
  if (e.payload.message !== 'complaint_notify.transferred') return {};
  return { action: { kind: 'complaint.transferred', ref: String(e.payload.params?.platformId ?? '') } };
}
