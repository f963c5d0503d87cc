/**
 * Runs `fn` while sampling the process's memory every few milliseconds: the benchmarks' goals are about peaks
 * (e.g. the sweep under 300 MB), which one reading at the end would miss.
 */
export async function sampled<T>(fn: () => Promise<T>, everyMs = 5): Promise<{ value: T; ms: number; peakRss: number; peakHeap: number }> {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, everyMs);
  const started = performance.now();
  try {
    const value = await fn();
    const m = process.memoryUsage();
    return { value, ms: performance.now() - started, peakRss: Math.max(peakRss, m.rss), peakHeap: Math.max(peakHeap, m.heapUsed) };
  } finally {
    clearInterval(timer);
  }
}
