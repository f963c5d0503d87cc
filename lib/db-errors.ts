/**
 * Whether an error says the database could not be reached (a dead or restarting server, a dropped
 * connection, mongoose giving up on its buffer), as opposed to a refusal of the operation itself. Such an
 * error is the caller's cue to answer 503 or try again later, never to report a bug.
 */
const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
]);

/** Node's socket error codes, which the driver copies onto a bulk write error it rewraps. */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTCONN']);

function isSocketCode(e: { code?: unknown; errorResponse?: { code?: unknown } }): boolean {
  return SOCKET_CODES.has(String(e.code)) || SOCKET_CODES.has(String(e.errorResponse?.code));
}

export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err as { name?: string; message?: string; cause?: unknown; code?: unknown; errorResponse?: { code?: unknown } } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e !== 'object') return false;
    if (e.name && UNREACHABLE.has(e.name)) return true;
    // mongoose's own buffer: "Operation `x.insertOne()` buffering timed out after 10000ms".
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message ?? '')) return true;
    // A bulk write (insertMany) cut by a closed connection: the driver rewraps the network error, keeping
    // only its text, and no document has an error of its own.
    const bulk = e as { writeErrors?: unknown[] | unknown };
    const noDocumentErrors = !bulk.writeErrors || (Array.isArray(bulk.writeErrors) && bulk.writeErrors.length === 0);
    // The driver sometimes lets Node's own socket error through unwrapped (a write to a socket the server
    // just closed: "This socket has been ended by the other party", EPIPE).
    if (e.name === 'Error' && isSocketCode(e)) return true;
    if (e.name === 'MongoBulkWriteError' && noDocumentErrors && (isSocketCode(e) || /\b(closed|ECONNREFUSED|ECONNRESET|EPIPE|timed out|ended by the other party)\b/.test(e.message ?? ''))) return true;
  }
  return false;
}

/**
 * Runs `fn`, and again with backoff (250 ms doubling to 5 s) while it fails because the database is
 * unreachable and `until` (epoch ms) leaves room for another try; any other failure, or running out of time,
 * is thrown. For work a process holds a lease on: it may finish what it started once the database is back,
 * instead of leaving it to whoever takes the lease over.
 */
export async function retryWhileUnreachable<T>(fn: () => Promise<T>, until: number, onFirstWait?: (err: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const waitMs = Math.min(5_000, 250 * 2 ** attempt);
      if (!isDatabaseUnreachable(err) || Date.now() + waitMs > until) throw err;
      if (attempt === 0) onFirstWait?.(err);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
