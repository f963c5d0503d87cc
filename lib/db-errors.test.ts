import { isDatabaseUnreachable, retryWhileUnreachable } from './db-errors';

const named = (name: string, message = 'x', extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name }, extra);

describe('#database unreachable errors', () => {
  it.each([
    ['a network error', named('MongoNetworkError', 'connect ECONNREFUSED 127.0.0.1:1')],
    ['no server to select', named('MongoServerSelectionError')],
    ['a pool cleared by a network error', named('PoolClearedOnNetworkError')],
    ["mongoose's buffer timing out", named('MongooseError', 'Operation `x.insertOne()` buffering timed out after 10000ms')],
    ['an insertMany cut by a closed connection', named('MongoBulkWriteError', 'connection 4 to 127.0.0.1:4000 closed', { writeErrors: [] })],
    ['an insertMany written to a socket the server ended (EPIPE)', named('MongoBulkWriteError', 'This socket has been ended by the other party', { code: 'EPIPE', writeErrors: [] })],
    ['Node\'s socket error let through by the driver unwrapped', Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' })],
    ['one wrapped as the cause of another', Object.assign(new Error('outer'), { cause: named('MongoNetworkError') })],
  ])('recognizes %s', (_what, err) => {
    expect(isDatabaseUnreachable(err)).toBe(true);
  });

  it.each([
    ['a duplicate key', named('MongoServerError', 'E11000', { code: 11000 })],
    ['a bulk write with a document error', named('MongoBulkWriteError', 'E11000 duplicate key', { writeErrors: [{ index: 0, code: 11000 }] })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('does not take %s for an outage', (_what, err) => {
    expect(isDatabaseUnreachable(err)).toBe(false);
  });

  it('retries while the database is unreachable and time remains, then gives up with the last error', async () => {
    let calls = 0;
    await expect(
      retryWhileUnreachable(async () => {
        if (++calls < 3) throw named('MongoNetworkError');
        return 'done';
      }, Date.now() + 5_000),
    ).resolves.toBe('done');
    expect(calls).toBe(3);
    await expect(retryWhileUnreachable(() => Promise.reject(new TypeError('bug')), Date.now() + 5_000)).rejects.toThrow('bug');
    const started = Date.now();
    await expect(retryWhileUnreachable(() => Promise.reject(named('MongoNetworkError', 'gone')), Date.now() + 600)).rejects.toThrow('gone');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
