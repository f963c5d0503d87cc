import iconv from 'iconv-lite';
import { decodeHtml, htmlEncoding } from './charset';

const PAGE = '<title>石家庄市人民政府</title><p>通知公告 2026年03月05日 喆</p>';
const gbk = (html: string) => iconv.encode(html, 'gbk');

describe('#inspect page encodings', () => {
  it('reads the charset of the Content-Type header first', () => {
    expect(decodeHtml(gbk(PAGE), 'text/html; charset=GBK')).toBe(PAGE);
    expect(decodeHtml(gbk(PAGE), 'text/html; charset="gb2312"')).toBe(PAGE);
  });

  it('reads a <meta> charset in either of its spellings', () => {
    const meta = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">${PAGE}`;
    expect(decodeHtml(gbk(meta), 'text/html')).toBe(meta);
    const short = `<!-- ${'x'.repeat(1500)} --><meta charset='gbk'>${PAGE}`;
    expect(decodeHtml(gbk(short))).toBe(short);
  });

  it('decodes a page labelled gb2312 as GB 18030, so a GBK-only character survives', () => {
    // 喆 is in GBK but not in GB 2312.
    expect(htmlEncoding(gbk(PAGE), 'text/html; charset=gb2312')).toBe('gb18030');
    expect(decodeHtml(gbk(PAGE), 'text/html; charset=gb2312')).toContain('喆');
  });

  it('takes an undeclared page for UTF-8 when it is valid UTF-8, else for GB 18030', () => {
    expect(decodeHtml(Buffer.from(PAGE, 'utf8'), 'text/html')).toBe(PAGE);
    expect(decodeHtml(gbk(PAGE), 'text/html')).toBe(PAGE);
  });

  it('lets a byte-order mark win over a wrong header, and drops it', () => {
    expect(decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PAGE, 'utf8')]), 'text/html; charset=gbk')).toBe(PAGE);
  });

  it('ignores a charset it does not know and looks further', () => {
    expect(decodeHtml(gbk(`<meta charset="gbk">${PAGE}`), 'text/html; charset=klingon')).toBe(`<meta charset="gbk">${PAGE}`);
  });
});
