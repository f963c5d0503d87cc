import { createHash } from 'node:crypto';
import { ApiTokenModel } from './api-token.model';
import { useTestDatabase } from '../test/db';
import { hashApiToken, issueApiToken, resolveApiToken } from './api-token.repo';

useTestDatabase();

describe('#api-token', () => {
  it('issues an sst_ token and keeps only its sha256', async () => {
    const token = await issueApiToken('li.lei', 'monitoring');
    expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);
    const docs = await ApiTokenModel.find({ userid: 'li.lei' }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(docs)).not.toContain(token.slice(4));
    expect(docs[0]!.label).toBe('monitoring');
  });

  it('never issues the same token twice', async () => {
    const a = await issueApiToken('wang.fang', 'a');
    const b = await issueApiToken('wang.fang', 'b');
    expect(a).not.toBe(b);
  });

  it('resolves a token to its user and notes when it was last used', async () => {
    const token = await issueApiToken('zhao.min', 'laptop');
    const now = new Date('2025-03-01T08:00:00Z');
    expect(await resolveApiToken(token, now)).toEqual({ userid: 'zhao.min', label: 'laptop' });
    expect((await ApiTokenModel.findOne({ hash: hashApiToken(token) }).lean())!.lastUsedAt).toEqual(now);
  });

  it('refuses a revoked, an unknown or a malformed token', async () => {
    const token = await issueApiToken('gone.user', 'old');
    await ApiTokenModel.updateOne({ hash: hashApiToken(token) }, { $set: { revokedAt: new Date() } });
    expect(await resolveApiToken(token)).toBeUndefined();
    expect(await resolveApiToken(`sst_${'x'.repeat(43)}`)).toBeUndefined();
    expect(await resolveApiToken('')).toBeUndefined();
    expect(await resolveApiToken(`${token} `)).toBeUndefined();
  });
});
