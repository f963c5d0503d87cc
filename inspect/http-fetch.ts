import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { ProbeOutcome } from '../core/inspection/inspection.types';
import { BlockedAddressError, guardedTarget, type Lookup } from './address-guard';
import type { ResolveMap } from './resolve';

/** Redirects followed before a fetch gives up (a loop ends here at the latest). */
export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  method: 'GET' | 'HEAD';
  /** For the whole fetch: DNS, connection, redirects, body. */
  timeoutMs: number;
  /** Body bytes kept (after decompression); the rest is not read. */
  maxBytes: number;
  /** `html`: read the body only when it is HTML (the crawl); `always` (the probe reads to the end); `none`. */
  body: 'html' | 'always' | 'none';
  /** Whether a redirect may lead to this URL (the site's registered domains for the site's own pages). */
  mayFollowTo: (url: URL) => boolean;
  /** A fresh connection (probes: the time includes connecting) or the shared keep-alive pool (the crawl). */
  connection: 'fresh' | 'pooled';
  signal?: AbortSignal;
}

export interface FetchResult {
  url: string;
  /** Where the last redirect led. */
  finalUrl: string;
  outcome: ProbeOutcome;
  status?: number;
  contentType?: string;
  body?: Buffer;
  /** The body went past `maxBytes` and was cut there. */
  truncated: boolean;
  ttfbMs?: number;
  totalMs: number;
  redirects: number;
  /** A short technical reason for a failure (never a secret). */
  detail?: string;
}

export interface GuardedFetcher {
  fetch(url: string, opts: FetchOptions): Promise<FetchResult>;
  /** Closes the pooled connections. */
  close(): void;
}

class TimeoutError extends Error {
  readonly code = 'STEWARD_TIMEOUT';
}

class FetchFailure extends Error {
  constructor(
    readonly outcome: ProbeOutcome,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'socket hang up']);

function isTlsError(code: string, message: string): boolean {
  return /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_CERT|HOSTNAME_MISMATCH)/.test(code) || code === 'EPROTO' || /\bSSL\b|\bTLS\b|certificate/i.test(message);
}

/** The probe outcome of a failed fetch, from where it failed (see ProbeOutcome). */
function outcomeOf(error: unknown, tlsPending: boolean): { outcome: ProbeOutcome; detail: string } {
  if (error instanceof FetchFailure) return { outcome: error.outcome, detail: error.message };
  if (error instanceof BlockedAddressError) return { outcome: 'blocked', detail: error.message };
  if (error instanceof TimeoutError) return { outcome: 'timeout', detail: error.message };
  const err = error as NodeJS.ErrnoException;
  const code = String(err?.code ?? '');
  const message = String(err?.message ?? error);
  if (DNS_CODES.has(code)) return { outcome: 'dns', detail: code };
  if (code === 'ECONNREFUSED') return { outcome: 'refused', detail: code };
  if (isTlsError(code, message) || (tlsPending && code !== 'ABORT_ERR')) return { outcome: 'tls', detail: code || message };
  if (err?.name === 'AbortError' || code === 'ABORT_ERR') return { outcome: 'error', detail: 'aborted' };
  return { outcome: 'error', detail: code || message.slice(0, 200) };
}

function decompressor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

const isHtml = (contentType: string | undefined) => !contentType || /html|xml/i.test(contentType);

/** Reads a response's body, decompressed, up to `maxBytes`; what lies beyond is not read. */
function readBody(res: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const unzip = decompressor(res.headers['content-encoding']);
    const source: NodeJS.ReadableStream = unzip ? res.pipe(unzip) : res;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks, Math.min(size, maxBytes)), truncated });
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) {
        finish(size > maxBytes);
        res.destroy(); // no more of it is read
      }
    });
    source.on('end', () => finish(false));
    source.on('error', (error) => (done ? undefined : ((done = true), reject(error))));
    res.on('error', (error) => (done ? undefined : ((done = true), reject(error))));
    res.on('aborted', () => (done ? undefined : ((done = true), reject(new Error('response aborted')))));
  });
}

export interface GuardedFetcherOptions {
  resolve: ResolveMap;
  lookup: Lookup;
  userAgent: string;
  /** Connections kept open per origin by the crawl's pool. */
  maxSocketsPerOrigin?: number;
}

/**
 * The one HTTP client of the inspector. Every hop (the URL, then each redirect) is checked by the SSRF guard
 * and connects to the very address the guard approved (no second DNS answer in between); `STEWARD_INSPECT_RESOLVE`
 * hosts go where it says. Never throws for the site's faults: they come back as an outcome.
 */
export function createGuardedFetcher(opts: GuardedFetcherOptions): GuardedFetcher {
  // The crawl's own limits (requests in flight, the per-host pace) decide how busy a host gets; the pool must
  // not queue requests behind a slow page, where their time limit would run out before they were sent.
  // Idle sockets are dropped after 4 s, before the usual 5 s keep-alive of servers (Node's, IIS's short ones),
  // so a request rarely goes out on a socket the server is closing.
  const pool = { keepAlive: true, maxSockets: opts.maxSocketsPerOrigin ?? 16, maxFreeSockets: 4, timeout: 4_000 };
  const httpAgent = new http.Agent(pool);
  const httpsAgent = new https.Agent(pool);

  async function fetchOnce(url: string, options: FetchOptions): Promise<FetchResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let current = new URL(url);
    let method = options.method;
    let redirects = 0;
    let tlsPending = false;
    let request: http.ClientRequest | undefined;
    let status: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new TimeoutError(`no answer within ${options.timeoutMs} ms`);
        request?.destroy(error);
        reject(error);
      }, options.timeoutMs);
    });
    deadline.catch(() => undefined);
    const result = (partial: Omit<FetchResult, 'url' | 'finalUrl' | 'redirects' | 'totalMs' | 'truncated'> & { truncated?: boolean }): FetchResult => ({
      url,
      finalUrl: current.href,
      redirects,
      totalMs: Math.round(elapsed()),
      truncated: false,
      ...partial,
    });
    try {
      for (;;) {
        if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new FetchFailure('error', `not an http(s) URL: ${current.protocol}`);
        const secure = current.protocol === 'https:';
        const port = Number(current.port) || (secure ? 443 : 80);
        const target = await Promise.race([guardedTarget(current.hostname, port, opts.resolve, opts.lookup), deadline]);
        const hostname = current.hostname.replace(/^\[(.*)\]$/, '$1');
        const res = await Promise.race([
          new Promise<IncomingMessage>((resolve, reject) => {
            const req = (secure ? https : http).request({
              host: target.address,
              port: target.port,
              method,
              path: `${current.pathname}${current.search}`,
              headers: { host: current.host, 'user-agent': opts.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'zh-CN,zh;q=0.9' },
              servername: secure && !isIP(hostname) ? hostname : undefined,
              agent: options.connection === 'fresh' ? false : secure ? httpsAgent : httpAgent,
              signal: options.signal,
            });
            request = req;
            tlsPending = secure;
            if (secure) {
              req.on('socket', (socket) => {
                if ((socket as import('node:tls').TLSSocket).encrypted && !(socket as import('node:tls').TLSSocket).connecting) tlsPending = false; // a pooled, already-secured socket
                socket.once('secureConnect', () => (tlsPending = false));
              });
            }
            req.once('response', resolve);
            req.once('error', reject);
            req.end();
          }),
          deadline,
        ]);
        status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location) {
          res.resume();
          res.destroy();
          if (redirects >= MAX_REDIRECTS) throw new FetchFailure('error', `more than ${MAX_REDIRECTS} redirects`, status);
          const next = new URL(location, current);
          if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchFailure('error', `redirect to ${next.protocol}`, status);
          if (!options.mayFollowTo(next)) throw new FetchFailure('blocked', `redirect to ${next.host}, not a registered domain`, status);
          redirects += 1;
          if (status === 303) method = 'GET';
          current = next;
          continue;
        }
        const ttfbMs = Math.round(elapsed());
        const contentType = res.headers['content-type'];
        const outcome: ProbeOutcome = status >= 400 ? 'http' : 'ok';
        const wantBody = method === 'GET' && (options.body === 'always' || (options.body === 'html' && outcome === 'ok' && isHtml(contentType)));
        if (!wantBody) {
          res.destroy(); // HEAD has none; a non-HTML file or an error page is not read
          return result({ outcome, status, contentType, ttfbMs });
        }
        const { body, truncated } = await Promise.race([readBody(res, options.maxBytes), deadline]);
        return result({ outcome, status, contentType, ttfbMs, body, truncated });
      }
    } catch (error) {
      const { outcome, detail } = outcomeOf(error, tlsPending);
      return result({ outcome, status: error instanceof FetchFailure ? error.status : outcome === 'http' ? status : undefined, detail });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async fetch(url, options) {
      const result = await fetchOnce(url, options);
      // A pooled socket the server closed just as it was reused fails at once: that is ours, not the site's, so
      // the request is sent once more on a fresh connection.
      if (options.connection === 'pooled' && result.outcome === 'error' && STALE_SOCKET.has(result.detail ?? '') && !options.signal?.aborted) {
        return fetchOnce(url, { ...options, connection: 'fresh' });
      }
      return result;
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
