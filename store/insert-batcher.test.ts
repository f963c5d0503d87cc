import mongoose, { type mongo } from 'mongoose';
import { useTestDatabase } from '../test/db';
import { createInsertBatcher } from './insert-batcher';

useTestDatabase();

interface Claim {
  _id: string;
  n: number;
}

const collection = (name: string) => () => mongoose.connection.db!.collection<Claim>(name) as unknown as mongo.Collection<Claim>;

describe('#insert-batcher (group commit of first-one-wins claims)', () => {
  it('says true to the first insert of a key and false to every later one, alone or in a burst', async () => {
    const claims = createInsertBatcher(collection('claims_a'));
    expect(await claims.insert({ _id: 'k1', n: 1 })).toBe(true);
    expect(await claims.insert({ _id: 'k1', n: 2 })).toBe(false);

    // 300 inserts at once over 100 keys, three racers per key: exactly one winner each.
    const burst = Array.from({ length: 300 }, (_, i) => claims.insert({ _id: `b${i % 100}`, n: i }));
    const results = await Promise.all(burst);
    const winners = new Map<string, number>();
    results.forEach((won, i) => {
      if (won) winners.set(`b${i % 100}`, (winners.get(`b${i % 100}`) ?? 0) + 1);
    });
    expect(winners.size).toBe(100);
    expect([...winners.values()].every((n) => n === 1)).toBe(true);
    expect(await mongoose.connection.db!.collection('claims_a').countDocuments({ _id: { $regex: '^b' } } as never)).toBe(100);
  });

  it('keeps the first document of a key: a losing duplicate writes nothing', async () => {
    const claims = createInsertBatcher(collection('claims_b'));
    await Promise.all([claims.insert({ _id: 'same', n: 1 }), claims.insert({ _id: 'same', n: 2 })]);
    const doc = await mongoose.connection.db!.collection<Claim>('claims_b').findOne({ _id: 'same' });
    expect(doc?.n).toBe(1);
  });

  it('splits a burst larger than the batch limit and still answers every caller', async () => {
    const claims = createInsertBatcher(collection('claims_c'), { maxBatch: 7 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.insert({ _id: `c${i}`, n: i })));
    expect(results.every(Boolean)).toBe(true);
    expect(await mongoose.connection.db!.collection('claims_c').countDocuments()).toBe(50);
  });

  it('rejects the callers of a batch whose write failed as a whole, and works again afterwards', async () => {
    let broken = true;
    const real = collection('claims_d');
    const claims = createInsertBatcher(() => (broken ? ({ insertMany: () => Promise.reject(new Error('connection lost')) } as unknown as mongo.Collection<Claim>) : real()));
    await expect(claims.insert({ _id: 'd1', n: 1 })).rejects.toThrow('connection lost');
    broken = false;
    expect(await claims.insert({ _id: 'd1', n: 1 })).toBe(true);
  });

  it('counts nobody as first when the connection closed mid-batch (a bulk write error with no per-document errors)', async () => {
    // What the driver throws when the server dies under an insertMany: the documents were never answered for.
    const closed = Object.assign(new Error('connection 4 to 127.0.0.1:4000 closed'), { name: 'MongoBulkWriteError', writeErrors: [] });
    let broken = true;
    const real = collection('claims_e');
    const claims = createInsertBatcher(() => (broken ? ({ insertMany: () => Promise.reject(closed) } as unknown as mongo.Collection<Claim>) : real()));
    const results = await Promise.allSettled([claims.insert({ _id: 'e1', n: 1 }), claims.insert({ _id: 'e2', n: 1 })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    broken = false;
    expect(await claims.insert({ _id: 'e1', n: 1 })).toBe(true);
  });
});
