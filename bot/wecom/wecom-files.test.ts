import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { createLogger } from '../../lib/logger';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { WecomOutboxFileChunkModel, WecomOutboxFileModel } from '../../store/wecom-outbox-file.model';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import type { Wecom } from './wecom';

useTestDatabase();

const logger = createLogger('silent');
const year = new Date().getFullYear();
let fake: FakeWecom;
let wecom: Wecom;
let harness: WecomHarness;
let url = '';

beforeAll(async () => {
  await seedDemoIfEmpty();
  harness = await startWecomHarness(
    { retryBaseMs: 10, httpTimeoutMs: 5000, httpRetries: 1, duplicateCheckSeconds: 5, pace: { perMinute: 1000, perHour: 10_000 }, outbox: { pollMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } },
    { logger },
  );
  ({ fake, url } = harness);
  wecom = harness.instances[0]!;
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => fake.reset());

describe('#wecom files: the annual report in chat', () => {
  it('sends the summary, then the xlsx and the pdf as file messages (uploaded with media/upload)', async () => {
    await fake.sendText(url, 'demo.siteadmin', `年报文件 jyj.zhengding.gov.cn year=${year}`);
    await wecom.settle();
    await fake.waitFor(() => fake.filesTo('demo.siteadmin').length === 2, 30_000, 'two file messages');

    const sent = fake.sentTo('demo.siteadmin');
    expect(sent[0]!.body.msgtype).toBe('text');
    expect((sent[0]!.body.text as { content: string }).content).toContain(`${year} 年度报表`);
    expect(sent.slice(1).map((r) => r.body.msgtype)).toEqual(['file', 'file']);

    expect(fake.uploads.map((u) => u.type)).toEqual(['file', 'file']);
    const [xlsx, pdf] = fake.filesTo('demo.siteadmin').map((f) => f.upload!);
    expect(xlsx!.fileName).toMatch(new RegExp(`^annual-report-\\S+-${year}\\.xlsx$`));
    expect(xlsx!.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(pdf!.fileName).toMatch(new RegExp(`^annual-report-\\S+-${year}\\.pdf$`));
    expect(pdf!.contentType).toBe('application/pdf');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx!.data as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThan(0);
    const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join(' ');
    expect(cells).toContain('正定县教育局');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf!.data)), { mergePages: true });
    expect(text).toContain(String(year));

    // The stored bytes are gone once the messages are sent.
    await new Promise((r) => setTimeout(r, 200));
    expect(await WecomOutboxFileModel.countDocuments()).toBe(0);
    expect(await WecomOutboxFileChunkModel.countDocuments()).toBe(0);
  }, 60_000);

  it('keeps the file through upload failures and sends each file once', async () => {
    fake.inject('media/upload', { status: 503, times: 3 });
    await fake.sendText(url, 'demo.siteadmin', `report files jyj.zhengding.gov.cn ${year}`);
    await wecom.settle();
    await fake.waitFor(() => fake.filesTo('demo.siteadmin').length === 2, 30_000, 'two file messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.filesTo('demo.siteadmin')).toHaveLength(2);
    expect(fake.uploads).toHaveLength(2);
    expect(fake.filesTo('demo.siteadmin').every((f) => f.upload)).toBe(true);
  }, 60_000);

  it('shows where to download the files on a channel without files (the shell)', async () => {
    const engine = createChatEngine({ deps: createDeps(), logger, defaultLocale: 'zh-CN' });
    const reply = await engine.handle({ userid: 'demo.siteadmin', text: `年报文件 jyj.zhengding.gov.cn ${year}`, source: 'shell' });
    expect(reply.kind).toBe('several');
    const shown = replyText(reply);
    expect(shown).toContain(`${year} 年度报表`);
    expect(shown).toMatch(/下载：Excel \S+xlsx/);
  }, 60_000);
});
