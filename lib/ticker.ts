import type { Deps } from '../core/ports';
import type { Logger } from './logger';

/**
 * Runs the request engine's due timers and pending effects every `everyMs`, one tick at a time. Both are
 * idempotent and claim their work with unique keys, so several service instances may tick together.
 * (The agenda-based reminder engine of the error-reports issue takes this over.)
 */
export function startTicker(deps: Deps, logger: Logger, tick: (deps: Deps, now: Date) => Promise<unknown>, everyMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = tick(deps, deps.clock.now())
      .then((result) => logger.debug({ result }, 'tick'))
      .catch((err: unknown) => logger.error({ err }, 'tick failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  setTimeout(run, 1000).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
