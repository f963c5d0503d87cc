import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import mongoose from 'mongoose';
import { useTestDatabase } from '../test/db';
import { AGENDA_INDEX } from './agenda';

useTestDatabase();

/**
 * Agenda's lock is a `findOneAndUpdate` on the job document. On the embedded FerretDB without its write-gating
 * front two instances could both take one job; now, as on MongoDB, each occurrence runs on exactly one
 * instance. The probe job itself is not idempotent (it counts), so a doubled run shows.
 */
describe('#agenda lock across two instances on one database', () => {
  const agendas: Agenda[] = [];
  afterAll(async () => {
    await Promise.all(agendas.map((a) => a.stop(false)));
  });

  it('runs each of 40 occurrences once, whichever instance takes it', async () => {
    const db = mongoose.connection.db as unknown as Db;
    await db.collection('lock_probe_jobs').createIndex({ ...AGENDA_INDEX.key }, { name: AGENDA_INDEX.name });
    const runs = new Map<number, string[]>();
    const make = (name: string) => {
      const agenda = new Agenda({
        backend: new MongoBackend({ mongo: db, collection: 'lock_probe_jobs', ensureIndex: false }),
        name,
        processEvery: 50,
        lockLimit: 10,
        defaultLockLimit: 10,
        defaultConcurrency: 10,
        defaultLockLifetime: 60_000,
        removeOnComplete: false,
      });
      agenda.define(
        'probe',
        async (job) => {
          const k = (job.attrs.data as { k: number }).k;
          runs.set(k, [...(runs.get(k) ?? []), name]);
          await new Promise((r) => setTimeout(r, 10));
        },
        { concurrency: 10, lockLimit: 10 },
      );
      agendas.push(agenda);
      return agenda;
    };
    const a = make('a');
    const b = make('b');
    for (let k = 0; k < 40; k++) await a.now('probe', { k });
    await Promise.all([a.start(), b.start()]);
    const until = Date.now() + 20_000;
    while (runs.size < 40 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // room for a doubled run to show
    expect(runs.size).toBe(40);
    expect([...runs.entries()].filter(([, by]) => by.length !== 1)).toEqual([]);
    // Both instances took part, so the lock was really contended.
    expect(new Set([...runs.values()].flat())).toEqual(new Set(['a', 'b']));
  });
});
