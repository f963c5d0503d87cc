import mongoose from 'mongoose';
import { useTestDatabase } from '../test/db';
import { dropRetiredCollections, RETIRED_COLLECTIONS } from './connection';

useTestDatabase();

describe('#retired collections', () => {
  it('drops the claim collections earlier versions kept, once, and leaves the rest alone', async () => {
    const db = mongoose.connection.db!;
    for (const name of RETIRED_COLLECTIONS) await db.collection(name).insertOne({ _id: 'left-over' as never });
    await db.collection('requests_probe').insertOne({ _id: 'kept' as never });

    expect((await dropRetiredCollections()).sort()).toEqual(['delivery_claims', 'version_claims']);
    const left = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(left).toContain('requests_probe');
    for (const name of RETIRED_COLLECTIONS) expect(left).not.toContain(name);
    expect(await dropRetiredCollections()).toEqual([]);
  });
});
