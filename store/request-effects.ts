import { Types } from 'mongoose';
import { applyEvent } from '../core/requests/machines';
import { SYSTEM } from '../core/audit';
import type { Effect, Recipients, RequestRecord, TimerKind } from '../core/requests/types';
import type { Deps } from '../core/ports';
import { DomainError } from '../core/errors';
import { scopeOf } from '../core/registry/unit.rules';
import { siteAfterChanges } from '../core/requests/site-changes';
import { siteRepo, unitRepo } from './registry.repo';
import { NotificationModel } from './notification.model';
import { RequestModel, RequestTimerModel, type RequestDoc } from './request.model';
import { markEffects, toRequest } from './request.repo';
import { settleMarkedRequest } from './request-deadlines';
import { SiteModel } from './site.model';
import { TaskModel } from './task.model';
import { roleHolders } from './people.repo';
import type { PersonRef } from '../core/complaints/complaint.ports';
import { isDuplicateKey } from './duplicate-key';
import type { NotificationAction } from '../core/presenters/notification-card';

/** Inserts once: a second run of the same effect meets the unique effect id and does nothing. */
async function insertOnce(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The people a request's notification goes to, through the one recipients query (store/people.repo.ts). */
async function recipients(to: Recipients): Promise<PersonRef[]> {
  const units = to.unitSupervisors ?? [];
  const who = await roleHolders({ userids: to.userids ?? [], unitCodes: units.map((u) => u.code), siteIds: to.siteAdmins ?? [], provinceAdmins: units.some((u) => u.root) });
  const found = new Map<string, PersonRef>();
  for (const p of [...who.users, ...[...who.supervisors.values()].flat(), ...who.provinceAdmins, ...[...who.siteAdmins.values()].flat()]) found.set(p.userid, p);
  return [...found.values()];
}

/** Runs one effect; each kind is idempotent, so running it again after a crash changes nothing. */
async function runEffect(request: RequestRecord, effect: Effect, now: Date): Promise<void> {
  switch (effect.kind) {
    case 'create_task': {
      const p = effect.payload;
      await insertOnce(() =>
        TaskModel.create({ effectId: effect.id, requestId: request.id, kind: p.task, siteId: p.siteId, siteName: p.siteName, ...(p.dueDate ? { dueDate: p.dueDate } : {}), params: p.params ?? {}, status: 'open', createdAt: now }),
      );
      return;
    }
    case 'notify': {
      const params = { id: request.id, site: request.site.name, requester: request.requester.name, type: request.type, ...effect.payload.params };
      for (const user of await recipients(effect.payload.to)) {
        await insertOnce(() =>
          NotificationModel.create({
            effectId: effect.id,
            userid: user.userid,
            locale: user.locale,
            message: effect.payload.message,
            params,
            requestId: request.id,
            status: 'pending',
            createdAt: now,
            ...(effect.payload.message === 'awaiting_decision' ? { data: { action: { kind: 'request.decide', id: request.id } satisfies NotificationAction } } : {}),
          }),
        );
      }
      return;
    }
    case 'set_site_status': {
      const { siteId, status, code } = effect.payload;
      await SiteModel.updateOne({ _id: siteId }, { $set: { status, ...(code ? { code } : {}) } });
      return;
    }
    case 'apply_registry_changes': {
      const site = await siteRepo.getById(effect.payload.siteId);
      if (!site) throw new Error(`site ${effect.payload.siteId} is gone`);
      const changes = effect.payload.changes;
      const next = await siteAfterChanges(site, changes, unitRepo);
      const units = new Map((await unitRepo.getMany([next.hostUnit, next.supervisingUnit])).map((u) => [u.code, u]));
      await SiteModel.updateOne(
        { _id: site.id },
        { $set: { name: next.name, hostUnit: next.hostUnit, supervisingUnit: next.supervisingUnit, level: next.level, domains: next.domains, scopeUnits: scopeOf(units.get(next.hostUnit), units.get(next.supervisingUnit)) } },
      );
      // Art. 17 fields the registry schema does not model yet: kept on the site document under `profile`.
      const profile = Object.fromEntries(
        (['personInCharge', 'contacts', 'columns', 'url'] as const).filter((k) => changes[k]).map((k) => [`profile.${k}`, changes[k]]),
      );
      if (Object.keys(profile).length) await SiteModel.collection.updateOne({ _id: new Types.ObjectId(site.id) }, { $set: { ...profile, 'profile.updatedAt': now } });
      return;
    }
    case 'schedule': {
      const p = effect.payload;
      await insertOnce(() => RequestTimerModel.create({ effectId: effect.id, requestId: request.id, timer: p.timer, dueAt: new Date(p.dueAt), status: 'pending', createdAt: now }));
      return;
    }
  }
}

/**
 * The outbox dispatcher: runs every pending effect of every request (tasks, notifications, site status,
 * registry changes, timers), each idempotently keyed by its effect id, then marks them done in one guarded
 * write per request. Safe to run twice or from two processes at once. Call it periodically (and after
 * commands, to act at once); `now` is explicit so tests and jobs agree on time.
 */
export async function dispatchPendingEffects(_deps: Deps, now: Date, limit = 100): Promise<{ done: number; failed: number }> {
  // Also the requests whose register write a crash left undone (still marked): their entries are applied here.
  const docs = await RequestModel.find({ $or: [{ 'effects.status': 'pending' }, { registerDirty: true }] }).sort({ updatedAt: 1 }).limit(limit).lean<RequestDoc[]>();
  let done = 0;
  let failed = 0;
  for (const doc of docs) {
    const record = toRequest(doc);
    // A request still changing is settled by its own writer, or by the next run.
    if (doc.registerDirty) await settleMarkedRequest(record.id).catch(() => undefined);
    const results: { index: number; status: 'done' | 'failed'; error?: string }[] = [];
    for (const [index, effect] of record.effects.entries()) {
      if (effect.status !== 'pending') continue;
      try {
        await runEffect(record, effect, now);
        results.push({ index, status: 'done' });
      } catch (err) {
        results.push({ index, status: 'failed', error: err instanceof Error ? err.message : String(err) });
      }
    }
    try {
      await markEffects(record, results, now);
      done += results.filter((r) => r.status === 'done').length;
      failed += results.filter((r) => r.status === 'failed').length;
    } catch (err) {
      // Someone changed the request meanwhile: the effects ran (idempotently); the next run marks them.
      if (!(err instanceof DomainError)) throw err;
    }
  }
  return { done, failed };
}

/**
 * Fires the request timers that are due: offline windows that have begun (site → temp_offline), the reminder
 * before the end of a window, the alarm when a window has passed and the site is not back, the end of the
 * 30-day closure notice (site → closed), the start of an emergency shutdown. Each timer is an event of the
 * request's machine; a timer fired twice is a no-op. Dispatches pending effects before (so fresh `schedule`
 * effects become timers) and after (so the effects the timers caused run) — one call is a full tick.
 */
export async function runDueTimers(deps: Deps, now: Date, limit = 100): Promise<{ fired: number }> {
  // Timers are created by `schedule` effects: dispatch first so a timer written a moment ago is seen.
  await dispatchPendingEffects(deps, now);
  const due = await RequestTimerModel.find({ status: 'pending', dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).lean();
  let fired = 0;
  for (const timer of due) {
    const doc = await RequestModel.findById(timer.requestId).lean<RequestDoc>();
    if (doc) {
      const record = toRequest(doc);
      try {
        const change = applyEvent(record, { type: 'timer', by: SYSTEM, timer: timer.timer as TimerKind, timerId: timer.effectId }, { now }, 'job');
        if (change) {
          await deps.requests.commit(record, change, now);
          fired++;
        }
      } catch (err) {
        if (err instanceof DomainError && err.code === 'request_changed_concurrently') continue; // next run
        throw err;
      }
    }
    await RequestTimerModel.updateOne({ _id: timer._id }, { $set: { status: 'done', doneAt: now } });
  }
  if (fired) await dispatchPendingEffects(deps, now);
  return { fired };
}
