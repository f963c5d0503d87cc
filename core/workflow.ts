/**
 * The one shape every workflow's state machine has (requests, error reports, site checks): an event applied to
 * a state, with an env, gives the next state and the effects that leave with it. The caller writes both in one
 * single-document write (ARCHITECTURE.md "Flow of one action"); the machine itself does no I/O.
 */

/**
 * What every machine is handed besides the state and the event: at least the instant the event happens, since
 * core/ has no clock of its own. A workflow adds what its rules need (a working calendar, the review time).
 */
export interface WorkflowEnv {
  now: Date;
}

/** What one transition gives: the state to write and the effects to write with it. */
export interface Outcome<S, Fx> {
  state: S;
  effects: Fx[];
  /**
   * Nothing changed (a stale timer, a repeated event): `state` is the state as given and `effects` is empty;
   * the caller writes nothing and records no audit entry. Absent on every other outcome.
   */
  noop?: boolean;
}

/** A workflow's state machine: pure, refuses an event its state does not take by throwing a `DomainError`. */
export type Transition<S, E, Env extends WorkflowEnv, Fx> = (state: S, event: E, env: Env) => Outcome<S, Fx>;

/** The outcome of an event that changes nothing: the same state, no effects, no write. */
export const unchanged = <S>(state: S): Outcome<S, never> => ({ state, effects: [], noop: true });
