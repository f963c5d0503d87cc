import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { DatabaseUnavailableError, redactUri, resolveDatabase } from './database';

/**
 * These tests start their own embedded servers on their own data directories (the suite's shared server is
 * untouched), to prove what `npm start` relies on: data survives a restart, and processes share one server.
 */
describe('#database resolution', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-dbtest-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses MONGODB_URI as given when it is set, and never prints its password', async () => {
    const db = await resolveDatabase({ mongodbUri: 'mongodb://u:secret@db.example:27017/x', dataDir });
    expect(db.kind).toBe('external');
    expect(db.uri).toBe('mongodb://u:secret@db.example:27017/x');
    expect(db.description).not.toContain('secret');
    expect(redactUri('mongodb://u:secret@h/x')).toBe('mongodb://***@h/x');
  });

  it('keeps the embedded default data across a restart', async () => {
    const first = await resolveDatabase({ dataDir, skipMongod: true });
    expect(first.kind).toBe('ferretdb');
    expect(first.storageDir).toBe(path.join(dataDir, 'ferretdb'));
    let client = await MongoClient.connect(first.uri);
    await client.db('persist').collection('notes').insertOne({ _id: 'n1' as never, text: '保留' });
    await client.close();
    await first.release();

    const second = await resolveDatabase({ dataDir, skipMongod: true });
    expect(second.uri).not.toBe(''); // a new server process, maybe on another port
    client = await MongoClient.connect(second.uri);
    expect(await client.db('persist').collection('notes').findOne({ _id: 'n1' as never })).toMatchObject({ text: '保留' });
    await client.close();
    await second.release();
  }, 120_000);

  it('lets a second process join the server already serving the data directory', async () => {
    const service = await resolveDatabase({ dataDir, skipMongod: true });
    const consoleSession = await resolveDatabase({ dataDir, skipMongod: true });
    expect(consoleSession.uri).toBe(service.uri);
    // The console leaves; the service must keep its database.
    await consoleSession.release();
    const client = await MongoClient.connect(service.uri, { serverSelectionTimeoutMS: 3000 });
    await expect(client.db('x').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    await client.close();
    await service.release();
  }, 120_000);

  it('fails with one message that lists what was tried and how to fix it', async () => {
    const emptyRoot = await mkdtemp(path.join(os.tmpdir(), 'steward-noroot-'));
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const err = await resolveDatabase({ dataDir, skipMongod: true, projectRoot: emptyRoot }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      const message = (err as Error).message;
      expect(message).toContain('MONGODB_URI: not set');
      expect(message).toContain('FerretDB v1.24.2');
      expect(message).toMatch(/set MONGODB_URI/);
    } finally {
      process.env.PATH = savedPath;
      await rm(emptyRoot, { recursive: true, force: true });
    }
  });
  it('finds documents by _id through an index on the embedded FerretDB, and a dropped database stays dropped', async () => {
    // FerretDB v1.24's SQLite backend never uses its own _id index for lookups (tools/ferretdb/idindex.go):
    // without ours every find, update and delete by _id reads the table until the document turns up.
    const db = await resolveDatabase({ dataDir, skipMongod: true });
    const client = await MongoClient.connect(db.uri);
    try {
      const notes = client.db('lookup').collection('notes');
      await notes.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `n${i}` as never, text: `第${i}条` })));
      // A real read first: EXPLAIN alone does not notice that another connection changed the schema.
      const plan = async () => {
        await notes.findOne({ _id: 'n1' as never });
        return JSON.stringify((await client.db('lookup').command({ explain: { find: 'notes', filter: { _id: 'n49' } } })).queryPlanner);
      };
      for (let i = 0; i < 100 && !(await plan()).includes('USING INDEX'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await plan()).toMatch(/SEARCH \S+ USING INDEX \S+__id_lookup/);
      expect(await notes.findOne({ _id: 'n49' as never })).toMatchObject({ text: '第49条' });
      // A conditional write names more than _id (`{_id, version}`): FerretDB pushed _id down only for a
      // filter with no other key, so each one read the whole collection. tools/ferretdb/id-pushdown.patch.json.
      const conditional = JSON.stringify((await client.db('lookup').command({ explain: { find: 'notes', filter: { _id: 'n49', text: '第49条' } } })).queryPlanner);
      expect(conditional).toMatch(/SEARCH \S+ USING INDEX \S+__id_lookup/);
      expect(await notes.findOne({ _id: 'n49' as never, text: '别的' })).toBeNull();
      expect(await notes.findOne({ _id: 'n49' as never, text: '第49条' })).toMatchObject({ text: '第49条' });

      await client.db('lookup').dropDatabase();
      await new Promise((r) => setTimeout(r, 2500)); // more than one pass of the indexer
      const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
      expect(names).not.toContain('lookup');
    } finally {
      await client.close();
      await db.release();
    }
  }, 120_000);
});
