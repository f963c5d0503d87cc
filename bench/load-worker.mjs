/**
 * The load generator of the callback benchmark, in a worker thread so it does not share the server's event
 * loop: posts the prepared requests at a fixed concurrency over keep-alive connections and returns each
 * request's latency. Loopback only.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

// Plain JavaScript: worker threads do not inherit tsx's loader. workerData: {port, path, concurrency, requests}.
const job = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });

function post(query, body) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: job.port, path: `${job.path}?${query}`, method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on('error', () => resolve({ ms: performance.now() - started, status: 0 }));
    req.end(body);
  });
}

const latencies = [];
let failures = 0;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.requests.length) {
      const r = job.requests[next++];
      const { ms, status } = await post(r.query, r.body);
      latencies.push(ms);
      if (status !== 200) failures++;
    }
  }),
);
const elapsedMs = performance.now() - started;
agent.destroy();
parentPort.postMessage({ latencies, failures, elapsedMs });
