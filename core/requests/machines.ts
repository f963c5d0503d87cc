import { chinaDateOf } from '../calendar/civil-date';
import { keyEffects } from '../effects';
import { isRealDate, yearOfDate } from './dates';
import { changeRecordMachine } from './change-record.machine';
import { closureMachine } from './closure.machine';
import { emergencyShutdownMachine } from './emergency-shutdown.machine';
import { openingMachine } from './opening.machine';
import { tempOfflineMachine } from './temp-offline.machine';
import type { AuditEntry, CreateInput, Effect, EffectSpec, RequestEnv, RequestEvent, RequestMachine, RequestPayload, RequestRecord, RequestState, RequestType } from './types';

export const machines: Record<RequestType, RequestMachine> = {
  opening: openingMachine,
  change_record: changeRecordMachine,
  temp_offline: tempOfflineMachine,
  emergency_shutdown: emergencyShutdownMachine,
  closure: closureMachine,
};

/** Effect ids are deterministic (request, version, index): the dispatcher's unique keys make them run once. */
export function withIds(requestId: string, version: number, specs: EffectSpec[]): Effect[] {
  return keyEffects(requestId, version, specs);
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
 * Undefined for a no-op (a timer that already fired or no longer applies). `env.now` is when it happens;
 * `env.deadlines` (calendar and review time) gives a step that becomes active its deadline; timers activate no
 * step and may leave it out.
 */
export function applyEvent(record: RequestRecord, event: RequestEvent, env: RequestEnv, source: string): Change | undefined {
  const result = machines[record.type].transition(stateOf(record), event, env);
  if (result.noop) return undefined;
  const { now } = env;
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

/** What filing writes: the first state, its first audit entry and its first effects, not yet keyed to an id. */
export interface Filing {
  state: RequestState;
  audit: AuditEntry;
  effects: EffectSpec[];
}

/**
 * The first state of a new request (its first step's deadline from `env.deadlines`) and its first audit entry, decided
 * once by the machine; a refusal throws here, before storage spends an id. The repository then assigns the id
 * and keys the effects to it at version 0 (`withIds`).
 */
export function createRequest(type: RequestType, input: CreateInput, env: RequestEnv, source: string): Filing {
  const result = machines[type].create(input, env);
  return {
    state: result.state,
    audit: { at: env.now, by: input.requester, source, action: 'file', from: null, to: result.state.status },
    effects: result.effects,
  };
}

/** The year a request counts in: the window's start year where there is a window (art. 14), else the filing year. */
export function requestYear(type: RequestType, payload: RequestPayload, filedAt: Date): number {
  if ((type === 'temp_offline' || type === 'emergency_shutdown') && isRealDate(payload.start)) return yearOfDate(payload.start);
  return yearOfDate(chinaDateOf(filedAt));
}
