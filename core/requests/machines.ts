import { chinaDateOf, isRealDate, yearOfDate } from './dates';
import { changeRecordMachine } from './change-record.machine';
import { closureMachine } from './closure.machine';
import { emergencyShutdownMachine } from './emergency-shutdown.machine';
import { openingMachine } from './opening.machine';
import { tempOfflineMachine } from './temp-offline.machine';
import type { DeadlineEnv } from './review-deadline';
import type { AuditEntry, CreateInput, Effect, EffectSpec, RequestEvent, RequestMachine, RequestPayload, RequestRecord, RequestState, RequestType } from './types';

export const machines: Record<RequestType, RequestMachine> = {
  opening: openingMachine,
  change_record: changeRecordMachine,
  temp_offline: tempOfflineMachine,
  emergency_shutdown: emergencyShutdownMachine,
  closure: closureMachine,
};

/** Effect ids are deterministic (request, version, index): the dispatcher's unique keys make them run once. */
export function withIds(requestId: string, version: number, specs: EffectSpec[]): Effect[] {
  return specs.map((spec, i) => ({ ...spec, id: `${requestId}:${version}:${i}`, status: 'pending' }) as Effect);
}

function stateOf(r: RequestRecord): RequestState {
  const { type, status, site, requester, steps, currentStep, payload, checklist, round, flags } = r;
  return { type, status, site, requester, steps, currentStep, payload, checklist, round, flags };
}

/** What one transition writes: the new state with its audit entry and its new pending effects. */
export interface Change {
  state: RequestState;
  audit: AuditEntry;
  effects: Effect[];
}

/**
 * Runs one event through the request's machine and prepares the single write that records it: the new
 * state, one audit entry (who, when, channel, comment) and the new effects, ids keyed to the next version.
 * Undefined for a no-op (a timer that already fired or no longer applies). `env` (calendar and review time)
 * gives a step that becomes active its deadline; timers activate no step and may leave it out.
 */
export function applyEvent(record: RequestRecord, event: RequestEvent, now: Date, source: string, env?: DeadlineEnv): Change | undefined {
  const result = machines[record.type].transition(stateOf(record), event, now, env);
  if (result.noop) return undefined;
  const step = 'step' in event ? event.step : undefined;
  let comment: string | undefined;
  if (event.type === 'check') comment = `${event.item}: ${event.evidence}`;
  else if (event.type === 'handoff' || event.type === 'cc') comment = event.comment ? `${event.to.name}: ${event.comment}` : event.to.name;
  else if ('comment' in event) comment = event.comment;
  const action = event.type === 'timer' ? `timer:${event.timer}` : event.type;
  const audit: AuditEntry = {
    at: now,
    by: event.by,
    source: event.type === 'timer' ? 'job' : source,
    action,
    from: record.status,
    to: result.state.status,
    ...(step !== undefined ? { step } : {}),
    ...(comment ? { comment } : {}),
  };
  return { state: result.state, audit, effects: withIds(record.id, record.version + 1, result.effects) };
}

/** The first state of a new request (its first step's deadline from `env`) and its first audit entry; effect ids use version 0. */
export function createRequest(type: RequestType, id: string, input: CreateInput, now: Date, source: string, env?: DeadlineEnv): Change {
  const result = machines[type].create(input, now, env);
  return {
    state: result.state,
    audit: { at: now, by: input.requester, source, action: 'file', from: null, to: result.state.status },
    effects: withIds(id, 0, result.effects),
  };
}

/** The year a request counts in: the window's start year where there is a window (art. 14), else the filing year. */
export function requestYear(type: RequestType, payload: RequestPayload, filedAt: Date): number {
  if ((type === 'temp_offline' || type === 'emergency_shutdown') && isRealDate(payload.start)) return yearOfDate(payload.start);
  return yearOfDate(chinaDateOf(filedAt));
}
