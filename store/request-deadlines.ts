import type { Document } from 'mongodb';
import { REQUEST_REGISTER_STATUSES, requestDeadlineKeys, requestOpenDeadlines, type RequestDeadlineSource } from '../core/deadlines/request.deadlines';
import type { ApprovalStep } from '../core/requests/types';
import { RequestModel } from './request.model';
import { reconcile, settle, settleOne, type RegisterSource } from './register-writes';

const steps = (list: ApprovalStep[] | undefined): ApprovalStep[] =>
  (list ?? []).map((s) => ({ ...s, cc: s.cc ?? [], ...(s.deadline ? { deadline: { ...s.deadline, since: new Date(s.deadline.since), dueAt: new Date(s.deadline.dueAt) } } : {}) }));

/**
 * Requests in the register of open deadlines: an approval step's review and an outage's end
 * (core/deadlines/request.deadlines.ts). The repository's write marks the request `registerDirty` and applies
 * its entries right after; the effects dispatcher (store/request-effects.ts) applies what a crash left marked,
 * and the register's upkeep backfills requests stored before the register.
 */
export const requestRegister: RegisterSource<RequestDeadlineSource> = {
  name: 'request',
  collection: RequestModel.collection as never,
  idOf: (id) => id,
  projection: { _id: 1, type: 1, status: 1, site: 1, steps: 1, currentStep: 1, payload: 1, flags: 1, scopeUnits: 1, version: 1 },
  fromDoc: (d: Document) => ({
    id: String(d._id),
    type: d.type,
    status: d.status,
    site: d.site,
    steps: steps(d.steps),
    currentStep: d.currentStep ?? 0,
    payload: d.payload ?? {},
    flags: d.flags ?? {},
    scopeUnits: d.scopeUnits ?? [],
    version: d.version,
  }),
  entries: requestOpenDeadlines,
  keys: requestDeadlineKeys,
  backfill: { status: { $in: [...REQUEST_REGISTER_STATUSES] } },
};

/** After a request's write (which marked it): its register entries, then the mark cleared. False leaves it to the repair. */
export const settleRequestDeadlines = (list: readonly RequestDeadlineSource[]) => settle(requestRegister, list);

/** A request the dispatcher found marked (a crash, or a failed register write): applied from what is stored. */
export const settleMarkedRequest = (id: string) => settleOne(requestRegister, id);

/** The requests' repair and backfill (the register's upkeep). */
export const reconcileRequestDeadlines = () => reconcile(requestRegister);
