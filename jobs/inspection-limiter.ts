/**
 * At most `global` tasks at once, and at most `perKey` of them for one key (a host): the inspection must not
 * open thousands of connections at once, nor knock on one small county server many times together.
 * First come, first served: a task waiting for a busy host does not hold up the others.
 */
export interface Limiter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and logs). */
  readonly active: number;
}

export function createLimiter(global: number, perKey: number): Limiter {
  let active = 0;
  const byKey = new Map<string, number>();
  const waiting: { key: string; start: () => void }[] = [];

  const canStart = (key: string) => active < global && (byKey.get(key) ?? 0) < perKey;
  const pump = () => {
    for (let i = 0; i < waiting.length && active < global; ) {
      const w = waiting[i]!;
      if (canStart(w.key)) {
        waiting.splice(i, 1);
        w.start();
      } else i++;
    }
  };

  return {
    get active() {
      return active;
    },
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active++;
          byKey.set(key, (byKey.get(key) ?? 0) + 1);
          task()
            .then(resolve, reject)
            .finally(() => {
              active--;
              const left = (byKey.get(key) ?? 1) - 1;
              if (left) byKey.set(key, left);
              else byKey.delete(key);
              pump();
            });
        };
        if (canStart(key)) start();
        else waiting.push({ key, start });
      });
    },
  };
}

/** The host a URL points at (the limiter's key); the URL itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
