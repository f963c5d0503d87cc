export interface CommandGateOptions {
  /** How many run at once when no callback has been acknowledged for `quietAfterMs`. */
  quiet: number;
  /** How many run at once during a burst, once the oldest waiting one has waited `maxDeferMs`. */
  busy: number;
  maxDeferMs: number;
  /**
   * Until when acknowledgements are going on (epoch ms; Infinity while one is in flight). A burst is more
   * than the instants a request is in flight: between one answer and the next request no callback is open,
   * and starting commands in those gaps put them right back in the acknowledgements' way.
   */
  busyUntil(): number;
  now?: () => number;
}

/**
 * Who runs next among accepted messages. During a burst of callbacks, none starts until the oldest waiting
 * one has waited `maxDeferMs`, and then only `busy` at a time, each followed by a pause as long as it ran;
 * otherwise up to `quiet` run at once. The
 * acknowledgements (WeCom's 5 s budget, retries after) thus never queue behind command work for the CPU or
 * the database, and a long burst still answers people, more slowly. The waiting ones are already durable
 * (`received`), so waiting costs the user a moment, never the message.
 */
export function createCommandGate(opts: CommandGateOptions) {
  const clock = opts.now ?? Date.now;
  let running = 0;
  const waiting: { since: number; go: () => void; drop: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;

  const limit = (at: number) => {
    if (opts.busyUntil() <= at) return opts.quiet;
    return waiting.length && at - waiting[0]!.since >= opts.maxDeferMs ? opts.busy : 0;
  };
  const pump = () => {
    const at = clock();
    while (waiting.length && running < limit(at)) {
      running++;
      waiting.shift()!.go();
    }
    if (!waiting.length || running >= opts.quiet) return;
    // Someone waits for the burst to end: look again when it may have, or when the oldest has waited enough.
    const next = Math.min(opts.busyUntil(), waiting[0]!.since + opts.maxDeferMs);
    if (timer && timerAt <= next) return;
    clearTimeout(timer);
    timerAt = next;
    timer = setTimeout(
      () => {
        timer = undefined;
        timerAt = Infinity;
        pump();
      },
      Math.max(1, Math.min(next - at, opts.maxDeferMs)),
    );
    timer.unref();
  };

  const free = () => {
    running--;
    pump();
  };

  return {
    /** Resolves when this one may run, with the time it started (for `release`); undefined when abandoned. */
    acquire(): Promise<number | undefined> {
      return new Promise<number | undefined>((resolve) => {
        waiting.push({ since: clock(), go: () => resolve(clock()), drop: () => resolve(undefined) });
        pump();
      });
    },
    /** Gives up every one still waiting (they never run here); returns how many. */
    abandonWaiting(): number {
      const left = waiting.splice(0);
      for (const w of left) w.drop();
      return left.length;
    },
    /**
     * Frees the slot of a command that started at `startedAt`. During a burst the slot stays taken as long
     * again as the command ran (at most `maxDeferMs`): commands then get at most half of the time, and the
     * acknowledgements have the machine to themselves for the other half.
     */
    release(startedAt: number): void {
      const at = clock();
      const rest = opts.busyUntil() > at ? Math.min(at - startedAt, opts.maxDeferMs) : 0;
      if (rest > 0) setTimeout(free, rest);
      else free();
    },
    /** Looks again now (an acknowledgement ended). */
    pump,
  };
}
