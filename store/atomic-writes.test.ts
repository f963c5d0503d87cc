import net from 'node:net';
import { MongoClient, type Collection } from 'mongodb';
import { testDatabaseUri, uniqueDbName } from '../test/db';

/**
 * MongoDB's promise that every single-document write is atomic, checked through a plain driver on the suite's
 * server (the embedded default, or MONGODB_URI when set). On FerretDB v1 without the write-gating front
 * (tools/ferretdb/front.go) each of these failed: several winners in most rounds, and `$inc` lost most counts.
 */
const WRITERS = 8;
const ROUNDS = 30;

type Doc = { _id: string; version?: number; state?: string; n?: number };

describe('#atomic single-document writes through a plain driver', () => {
  let clients: MongoClient[];
  let colls: Collection<Doc>[];
  let dbName: string;

  beforeAll(async () => {
    dbName = uniqueDbName('atomic');
    // One client per writer, so the racing writes arrive on different connections as they would from
    // different service instances.
    clients = await Promise.all(Array.from({ length: WRITERS }, () => new MongoClient(testDatabaseUri(), { maxPoolSize: 2 }).connect()));
    colls = clients.map((c) => c.db(dbName).collection<Doc>('race'));
  });
  afterAll(async () => {
    await clients[0]?.db(dbName).dropDatabase().catch(() => undefined);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('lets exactly one of 8 conditional updateOne({_id, version}) win, round after round', async () => {
    const roundsWithManyWinners: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const _id = `v${round}`;
      await colls[0]!.insertOne({ _id, version: 0 });
      const results = await Promise.all(colls.map((c) => c.updateOne({ _id, version: 0 }, { $set: { version: 1 } })));
      if (results.filter((r) => r.matchedCount === 1).length !== 1) roundsWithManyWinners.push(round);
    }
    expect(roundsWithManyWinners).toEqual([]);
  });

  it('gives a document to exactly one of 8 racing findOneAndUpdate({_id, state: open})', async () => {
    const roundsWithManyTakers: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const _id = `s${round}`;
      await colls[0]!.insertOne({ _id, state: 'open' });
      const taken = await Promise.all(colls.map((c) => c.findOneAndUpdate({ _id, state: 'open' }, { $set: { state: 'taken' } })));
      if (taken.filter(Boolean).length !== 1) roundsWithManyTakers.push(round);
    }
    expect(roundsWithManyTakers).toEqual([]);
  });

  it('counts every one of 8 × 50 racing $inc', async () => {
    await colls[0]!.insertOne({ _id: 'counter', n: 0 });
    await Promise.all(
      colls.map(async (c) => {
        for (let i = 0; i < 50; i++) await c.updateOne({ _id: 'counter' }, { $inc: { n: 1 } });
      }),
    );
    expect(await colls[0]!.findOne({ _id: 'counter' })).toMatchObject({ n: WRITERS * 50 });
  });

  it('lets exactly one of 8 racing upserts create a document', async () => {
    for (let round = 0; round < 10; round++) {
      const _id = `u${round}`;
      await Promise.all(colls.map((c) => c.updateOne({ _id }, { $inc: { n: 1 } }, { upsert: true }).catch(() => undefined)));
      // Upserts that lost the insert race may fail with a duplicate key (MongoDB retries some itself); none
      // may create a second document or lose the ones that went through as updates.
      expect(await colls[0]!.countDocuments({ _id })).toBe(1);
    }
  });
});

/** The front's own wire handling: only meaningful where the suite runs on the embedded FerretDB. */
const onEmbeddedFerretdb = process.env.STEWARD_TEST_DB_KIND === 'ferretdb' ? describe : describe.skip;

function hostAndPort(uri: string): { host: string; port: number } {
  const m = /^mongodb:\/\/(?:[^@/]+@)?([^:/,]+):(\d+)/.exec(uri);
  if (!m) throw new Error(`cannot read host and port from ${uri}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** Sends raw bytes and collects what comes back until the server closes or `waitMs` passes. */
function exchange(bytes: Buffer, waitMs: number): Promise<{ reply: Buffer; closed: boolean }> {
  const { host, port } = hostAndPort(testDatabaseUri());
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks), closed });
    }, waitMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ reply: Buffer.concat(chunks), closed });
    });
    socket.write(bytes);
  });
}

/** A minimal BSON document with one int32 field: `{name: 1}`. */
function bsonCommand(name: string): Buffer {
  const key = Buffer.from(`${name}\0`, 'utf8');
  const doc = Buffer.alloc(4 + 1 + key.length + 4 + 1);
  doc.writeInt32LE(doc.length, 0);
  doc.writeUInt8(0x10, 4);
  key.copy(doc, 5);
  doc.writeInt32LE(1, 5 + key.length);
  return doc;
}

onEmbeddedFerretdb('#write-gating front of the embedded FerretDB', () => {
  it('answers the legacy OP_QUERY handshake of old drivers', async () => {
    const query = bsonCommand('isMaster');
    const ns = Buffer.from('admin.$cmd\0');
    const body = Buffer.concat([Buffer.alloc(4), ns, Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), query]);
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(7, 4);
    header.writeInt32LE(2004, 12); // OP_QUERY
    const { reply } = await exchange(Buffer.concat([header, body]), 2000);
    expect(reply.length).toBeGreaterThan(36);
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(7); // responseTo
    expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
    expect(reply.includes(Buffer.from('maxMessageSizeBytes'))).toBe(true);
  });

  it('refuses a message larger than 48 MB before reading its body, and closes the connection', async () => {
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    header.writeInt32LE(9, 4);
    header.writeInt32LE(2013, 12); // OP_MSG
    const { reply, closed } = await exchange(header, 5000);
    expect(closed).toBe(true);
    expect(reply.readInt32LE(8)).toBe(9);
    expect(reply.readInt32LE(12)).toBe(2013);
    expect(reply.includes(Buffer.from('BSONObjectTooLarge'))).toBe(true);
  });

  it('gives no answer to a message sent with moreToCome, and serves the next one on the same connection', async () => {
    function opMsg(requestId: number, flags: number, doc: Buffer): Buffer {
      const header = Buffer.alloc(16);
      header.writeInt32LE(16 + 4 + 1 + doc.length, 0);
      header.writeInt32LE(requestId, 4);
      header.writeInt32LE(2013, 12);
      const flagBytes = Buffer.alloc(4);
      flagBytes.writeUInt32LE(flags, 0);
      return Buffer.concat([header, flagBytes, Buffer.from([0]), doc]);
    }
    // {ping: 1, $db: "admin"}
    const withDb = (name: string): Buffer => {
      const cmd = bsonCommand(name);
      const dbKey = Buffer.from('$db\0');
      const value = Buffer.from('admin\0');
      const el = Buffer.concat([Buffer.from([0x02]), dbKey, Buffer.alloc(4), value]);
      el.writeInt32LE(value.length, 1 + dbKey.length);
      const doc = Buffer.concat([cmd.subarray(0, cmd.length - 1), el, Buffer.from([0])]);
      doc.writeInt32LE(doc.length, 0);
      return doc;
    };
    const { reply } = await exchange(Buffer.concat([opMsg(21, 2, withDb('ping')), opMsg(22, 0, withDb('ping'))]), 1500);
    expect(reply.length).toBe(reply.readInt32LE(0)); // exactly one answer
    expect(reply.readInt32LE(8)).toBe(22);
  });
});
