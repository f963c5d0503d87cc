import madge from 'madge';

/**
 * core/ is read as a tree of leaves (ports, types, rules) under one aggregate (`Deps` in core/ports.ts). An
 * import circle — type-only imports count, since they tie the files together for a reader and for tsc just the
 * same — means some leaf knows the aggregate, and the next change to one file ripples through the circle.
 */
describe('#core imports', () => {
  it('form no circle, type-only imports included', async () => {
    const root = new URL('..', import.meta.url).pathname;
    const graph = await madge(`${root}core`, {
      baseDir: root,
      fileExtensions: ['ts'],
      tsConfig: `${root}tsconfig.json`,
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
      // core/'s own graph: tests reach into store/ and test/, whose imports are not core's to answer for.
      dependencyFilter: (file) => file.startsWith(`${root}core/`) && !file.endsWith('.test.ts'),
    });
    // A resolver that silently found nothing would pass any circle check.
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    expect(graph.circular().map((circle) => circle.join(' > '))).toEqual([]);
  }, 120_000); // parses every file of core/: seconds alone, longer beside other suites on two cores
});
