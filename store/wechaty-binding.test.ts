import { useTestDatabase } from '../test/db';
import { contactOfUserid, issueBindingCode, pruneWechatyBindingCodes, redeemBindingCode, useridOfContact, wechatyBindingStore } from './wechaty-binding';
import { claimWechatyMessage } from './wechaty-inbound.model';
import { WechatyRoomModel } from './wechaty-room.model';

useTestDatabase();

describe('#wechaty bindings', () => {
  it('lets exactly one of several contacts racing for one code bind', async () => {
    const { code } = await issueBindingCode('race.user');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => redeemBindingCode(code, { id: `contact-${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
    const winner = results.findIndex((r) => r.ok);
    expect(await contactOfUserid('race.user')).toBe(`contact-${winner}`);
  });

  it('accepts codes typed in any case with spaces or dashes, stores only their hash, and expires them', async () => {
    const now = new Date('2026-03-02T08:00:00Z');
    const { code, expiresAt } = await issueBindingCode('case.user', { now });
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(expiresAt.getTime() - now.getTime()).toBe(10 * 60_000);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    expect(await redeemBindingCode(typed, { id: 'late' }, new Date(now.getTime() + 10 * 60_000))).toEqual({ ok: false, reason: 'expired' });
    const again = await issueBindingCode('case.user', { now });
    expect(await redeemBindingCode(` ${again.code.toLowerCase()} `, { id: 'c1' }, now)).toEqual({ ok: true, userid: 'case.user', replaced: false });
  });

  it('moves a user to a new contact, releasing the old one', async () => {
    const first = await issueBindingCode('mover');
    expect(await redeemBindingCode(first.code, { id: 'old-phone' })).toMatchObject({ ok: true, replaced: false });
    const second = await issueBindingCode('mover');
    expect(await redeemBindingCode(second.code, { id: 'new-phone' })).toMatchObject({ ok: true, replaced: true });
    expect(await useridOfContact('old-phone')).toBeUndefined();
    expect(await useridOfContact('new-phone')).toBe('mover');
  });

  it('never binds one contact to two users', async () => {
    const a = await issueBindingCode('user.a');
    const b = await issueBindingCode('user.b');
    expect(await redeemBindingCode(a.code, { id: 'shared' })).toMatchObject({ ok: true });
    expect(await redeemBindingCode(b.code, { id: 'shared' })).toEqual({ ok: false, reason: 'contact_bound' });
    expect(await useridOfContact('shared')).toBe('user.a');
  });

  it('claims a message id once, however many deliveries race', async () => {
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimWechatyMessage('msg-1', { talkerId: 't', receivedAt: new Date() })));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('binds a room to one unit and moves it on rebinding', async () => {
    const at = new Date();
    await wechatyBindingStore.bindRoom({ roomId: 'r1@chatroom', unitCode: '130123', boundBy: 'u', at });
    await wechatyBindingStore.bindRoom({ roomId: 'r1@chatroom', unitCode: '130100', boundBy: 'u', at });
    expect(await wechatyBindingStore.roomBinding('r1@chatroom')).toEqual({ unitCode: '130100' });
    expect(await WechatyRoomModel.countDocuments({ _id: 'r1@chatroom' })).toBe(1);
  });
});

describe('#wechaty binding cleanup', () => {
  it('drops expired codes and old uses, keeps live codes', async () => {
    const now = new Date('2026-05-01T00:00:00Z');
    await issueBindingCode('prune.old', { now: new Date(now.getTime() - 60 * 60_000) });
    const live = await issueBindingCode('prune.live', { now });
    expect(await pruneWechatyBindingCodes(now)).toBeGreaterThanOrEqual(1);
    expect(await redeemBindingCode(live.code, { id: 'prune-contact' }, now)).toMatchObject({ ok: true });
  });
});
