import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { buildCtx } from '../../lib/command-context';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { runNoticePublish } from '../../jobs/notice-publish.job';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { NoticeAckModel } from '../../store/notice.model';
import { NotificationModel } from '../../store/notification.model';
import { useTestDatabase } from '../db';
import { confirmDialog, installDom, tap, textOf, useMiniprogramApi, waitFor } from './harness';

useTestDatabase();
installDom();

const now = new Date('2027-04-01T10:00:00+08:00');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const chat = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, text: string) => replyText(await chat.handle({ userid, text, source: 'wecom' }));
const run = async <T>(userid: string, id: string, input: unknown) => (await runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', deps))) as T;
const zh = translatorFor('zh-CN');
const en = translatorFor('en');

type Published = { notice: { id: string }; recipients: number };
const BODY = '请各网站于4月15日前完成首页栏目自查，并在系统中确认。';
const BODY_EN = 'Please finish the home-page self-check by 15 April and acknowledge here.';
let id = '';

beforeAll(async () => {
  await seedDemoIfEmpty();
  const out = await run<Published>('demo.county', 'notice.publish', { title: '关于开展首页栏目自查的通知', body: BODY, bodies: { en: BODY_EN }, ack: true });
  id = out.notice.id;
  expect(out.recipients).toBeGreaterThan(0);
  // The publish job finishes whatever a crash left half-published; here it finds the notice already materialized.
  await runNoticePublish({ deps }, now);
  expect(await NotificationModel.exists({ effectId: `notice:${id}`, userid: 'demo.siteadmin' })).not.toBeNull();
});

describe('#miniprogram notices page', () => {
  it('a county supervisor publishes a notice requiring acknowledgement; the site admin reads and acknowledges it on the page', async () => {
    await mp.signIn('demo.siteadmin');
    const page = mp.open('notices');
    page.instance.onLoad();
    await waitFor(() => page.querySelector(`#ack-${id}`), 'the notice with its acknowledge button');
    const item = page.querySelector(`#notice-${id}`)!.dom.textContent ?? '';
    expect(item).toContain('关于开展首页栏目自查的通知');
    expect(item).toContain(zh('bot:notices.kind.notice'));
    expect(textOf(page, `#notice-${id} .notice-state`)).toBe(zh('common:mp.notices.to_ack'));
    // Closed, the body is hidden; tapping the title opens it.
    expect(item).not.toContain(BODY);
    tap(page, `#open-${id}`);
    await waitFor(() => textOf(page, `#notice-${id} .notice-body`), 'the opened notice');
    expect(textOf(page, `#notice-${id} .notice-body`)).toBe(BODY);

    tap(page, `#ack-${id}`);
    // Acknowledging asks first.
    await waitFor(() => page.instance.data.confirmId === id, 'the confirmation');
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message') || textOf(page, '.error'), 'the acknowledgement');
    expect(textOf(page, '.error')).toBe('');
    expect(textOf(page, '.message')).toBe(zh('bot:notices.ack_done', { id, title: '关于开展首页栏目自查的通知' }));
    await waitFor(() => !page.querySelector(`#ack-${id}`), 'the acknowledged notice');
    expect(textOf(page, `#notice-${id} .notice-state`)).toBe(zh('common:mp.notices.acknowledged', { date: '2027-04-01' }));

    expect(await NoticeAckModel.findById(`${id}:demo.siteadmin`).lean()).toMatchObject({ noticeId: id, userid: 'demo.siteadmin', at: now });
    const status = await run<{ counts: { acknowledged: number; recipients: number }; notAcknowledged: { userid: string }[] }>('demo.county', 'notice.status', { id });
    expect(status.counts.acknowledged).toBe(1);
    expect(status.notAcknowledged.map((p) => p.userid)).not.toContain('demo.siteadmin');
    // Chat agrees: the list says acknowledged.
    expect(await say('demo.siteadmin', '我收到的通知')).toContain(`${id} [${zh('bot:notices.kind.notice')}] 关于开展首页栏目自查的通知`);
  });

  it('reads the body in the chosen language and shows a server refusal as it comes', async () => {
    const other = await run<Published>('demo.county', 'notice.publish', { title: '仅发群', body: '群内通知', to: 'groups' });
    const login = await mp.signIn('demo.siteadmin');
    tap(login, '#language');
    await waitFor(() => mp.wx.storage.get('steward.lng') === 'en', 'the language switch');
    const page = mp.open('notices');
    page.instance.onLoad({ id });
    await waitFor(() => textOf(page, `#notice-${id} .notice-body`), 'the notice opened from its id');
    expect(textOf(page, `#notice-${id} .notice-body`)).toBe(BODY_EN);
    expect(textOf(page, `#notice-${id} .notice-state`)).toBe(en('common:mp.notices.acknowledged', { date: '2027-04-01' }));
    expect(page.querySelector(`#notice-${other.notice.id}`)).toBeFalsy();

    // A notice not sent to me (a stale or forwarded link): the server refuses as if it did not exist, the page shows its words.
    const acknowledge = page.instance.acknowledge as (e: unknown) => Promise<void>;
    await acknowledge.call(page.instance, { currentTarget: { dataset: { id: other.notice.id } } });
    await waitFor(() => textOf(page, '.error'), 'the refusal');
    expect(textOf(page, '.error')).toBe(en('errors:not_found', { what: 'notice' }));
    expect(await NoticeAckModel.countDocuments({ noticeId: other.notice.id })).toBe(0);
  });
});
