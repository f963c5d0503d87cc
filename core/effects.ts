/**
 * The one shape of a pending side effect, every workflow's (requests, error reports): a machine decides
 * *what* (`kind` and its `payload`); the workflow's single atomic write stores it with the state change
 * (the per-document outbox, ARCHITECTURE.md "The path of one action"); a dispatcher runs it once, keyed by its
 * `id`, and marks it `done`. A leaf: each workflow names its own kinds and payloads (`EffectSpec` unions in its
 * types), and the envelope and the notify shape are the same for all of them.
 */

/** Whether a dispatcher has run the effect: `failed` keeps the error and is not retried by itself. */
export type EffectStatus = 'pending' | 'done' | 'failed';

/** What to do, as a machine decides it: a kind and what that kind needs. */
export interface EffectSpecOf<K extends string = string, P = unknown> {
  kind: K;
  payload: P;
}

/**
 * A message to people: `to` names them (resolved to people by the dispatcher at send time, so a role change
 * in between is honoured), `message` is the text's key, `params` its values. Requests address recipients
 * (`Recipients`), error reports an audience (`Audience`).
 */
export type NotifySpec<To, Message extends string = string> = EffectSpecOf<'notify', { to: To; message: Message; params?: Record<string, string> }>;

/**
 * A stored effect: the spec, keyed by an `id` unique and stable across runs (`<document>:<version>:<index>`,
 * {@link keyEffects}), so a dispatcher's unique keys make it run once however often it runs; `doneAt` (and
 * `error` for a failure) once run.
 */
export type Effect<S extends EffectSpecOf = EffectSpecOf> = S & { id: string; status: EffectStatus; doneAt?: Date; error?: string };

/**
 * Keys the effects one write carries: `<document key>:<version written>:<index>`. Deterministic, so the same
 * decision keyed twice gives the same ids, and a dispatcher that runs it twice meets its own unique keys.
 */
export function keyEffects<S extends EffectSpecOf>(documentKey: string, version: number, specs: readonly S[]): Effect<S>[] {
  return specs.map((spec, i) => ({ ...spec, id: `${documentKey}:${version}:${i}`, status: 'pending' }) as Effect<S>);
}

/** The effects a dispatcher still has to run, with their index in the stored list (for marking them done). */
export function pendingEffects<E extends Pick<Effect, 'status'>>(effects: readonly E[]): { effect: E; index: number }[] {
  return effects.flatMap((effect, index) => (effect.status === 'pending' ? [{ effect, index }] : []));
}
