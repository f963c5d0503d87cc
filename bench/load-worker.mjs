/**
 * The load generator of the callback benchmark, in a worker thread so it does not share the server's event
 * loop. Two shapes, over keep-alive connections, loopback only:
 * - closed loop (no `rate`): `concurrency` clients each post the next request as soon as the last answered —
 *   the saturation throughput; latency there is concurrency / throughput by Little's law;
 * - open loop (`rate` per second): request i is due at start + i / rate, whatever the server does, over at most
 *   `concurrency` connections; latency counts from when it was due, so time spent queued behind a slow server
 *   is counted too (no coordinated omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

// Plain JavaScript: worker threads do not inherit tsx's loader. workerData: {port, path, concurrency, requests, rate?}.
const job = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });

function post(query, body, started = performance.now()) {
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
const record = ({ ms, status }) => {
  latencies.push(ms);
  if (status !== 200) failures++;
};
if (job.rate) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const inflight = [];
  for (let i = 0; i < job.requests.length; i++) {
    const due = started + (i * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const r = job.requests[i];
    // Counted from when it was due, or from when it left if that was a little early (a timer's slack).
    inflight.push(post(r.query, r.body, Math.min(due, performance.now())).then(record));
  }
  await Promise.all(inflight);
} else {
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.requests.length) {
        const r = job.requests[next++];
        record(await post(r.query, r.body));
      }
    }),
  );
}
const elapsedMs = performance.now() - started;
agent.destroy();
parentPort.postMessage({ latencies, failures, elapsedMs });
