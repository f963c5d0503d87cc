import type { Deps } from '../core/ports';

const skip = (prop: PropertyKey) => typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON';

/** A port whose every method throws: a test that reaches it was not meant to. */
export function notInThisTest(port: string): never {
  return new Proxy(
    {},
    {
      get(_target, method) {
        if (skip(method)) return undefined;
        return () => {
          throw new Error(`deps.${port}.${String(method)}: not in this test`);
        };
      },
    },
  ) as never;
}

/**
 * A `Deps` test double: the ports a unit test gives, every other one a port that throws "not in this test".
 * Tests that touch the database use the composition root instead (`createDeps(clock)` from lib/services.ts).
 */
export function depsDouble(ports: Partial<Deps>): Deps {
  return new Proxy(ports, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof Deps];
      if (skip(prop)) return undefined;
      return notInThisTest(String(prop));
    },
  }) as Deps;
}
