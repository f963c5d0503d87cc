import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { datesInText, metaDate, newest } from './publication-dates';

/**
 * What the inspection reads on one HTML page: its links, its dated items, whether it is blank. Navigation,
 * header and footer ("chrome") are told apart from the content by the names sites give them, so a menu's
 * links do not make a blank column look filled and a footer's dates do not make a page look fresh.
 */

/** A page once parsed (cheerio over htmlparser2: lenient with the broken markup these sites serve). */
export type ParsedPage = CheerioAPI;

export function parsePage(html: string): ParsedPage {
  return load(html);
}

export interface PageLink {
  /** Absolute http(s) URL without its fragment. */
  url: string;
  text: string;
}

/** The meta names that carry a page's publication date on these sites (CMS conventions: TRS, Hanweb…). */
const DATE_METAS = new Set(['pubdate', 'publishdate', 'firstpublishedtime', 'publishtime']);
const CHROME_TAGS = new Set(['nav', 'header', 'footer']);
const CHROME_TOKEN = /nav|menu|daohang|foot|copyright|^(header|head|top|bottom|banner|dh|bq)([-_].*)?$/i;
const NO_CONTENT = /暂无(信息|内容|数据|记录|文章)|没有(找到)?(相关)?(信息|内容|记录)/;

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function isChromeElement(el: Element): boolean {
  if (CHROME_TAGS.has(el.tagName)) return true;
  const tokens = `${el.attribs.id ?? ''} ${el.attribs.class ?? ''}`.split(/\s+/).filter(Boolean);
  return tokens.some((t) => CHROME_TOKEN.test(t));
}

/**
 * The text under a node with a space between every two text nodes, in document order: cheerio's `.text()`
 * glues `<span>主办单位：X</span><span>承办：Y</span>` into one run, which no pattern can split again.
 */
export function spacedText(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode) => {
    if (n.type === 'text') parts.push((n as unknown as { data: string }).data);
    else if (n.type === 'tag' || n.type === 'root') {
      const tag = n.type === 'tag' ? (n as Element).tagName : '';
      if (tag === 'script' || tag === 'style' || tag === 'noscript' || tag === 'template') return;
      for (const child of (n as Element).children) walk(child);
    }
  };
  walk(node);
  return collapse(parts.join(' '));
}

/** Whether a node sits in the navigation, the header or the footer. */
export function inChrome(node: AnyNode): boolean {
  for (let n: AnyNode | null = node; n; n = n.parent) if (n.type === 'tag' && isChromeElement(n as Element)) return true;
  return false;
}

/** The page's base for relative links: its `<base href>` if it has one, else its own URL. */
function baseOf($: ParsedPage, pageUrl: string): string {
  const href = $('base[href]').first().attr('href');
  try {
    return href ? new URL(href, pageUrl).href : pageUrl;
  } catch {
    return pageUrl;
  }
}

/** An http(s) URL for a link's target, or undefined (javascript:, mailto:, tel:, a bare fragment, garbage). */
export function absoluteUrl(href: string | undefined, base: string): string | undefined {
  const raw = href?.trim();
  if (!raw || raw.startsWith('#') || /^(javascript|mailto|tel|data|about|sms|weixin):/i.test(raw)) return undefined;
  try {
    const url = new URL(raw, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** The elements under a node, in document order (the DOM walked directly: no selector engine, no wrappers). */
function* elementsUnder(node: AnyNode): Generator<Element> {
  const children = (node as Element).children;
  if (!children) return;
  for (const child of children) {
    if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
      yield child as Element;
      yield* elementsUnder(child);
    }
  }
}

function hasDescendant(el: Element, test: (e: Element) => boolean): boolean {
  for (const e of elementsUnder(el)) if (test(e)) return true;
  return false;
}

const LINK_TAGS: Record<string, 'href' | 'src'> = { a: 'href', area: 'href', frame: 'src', iframe: 'src' };

/** Every link of a page (anchors, image maps, frames and iframes — old portals are framesets), once each. */
export function pageLinks($: ParsedPage, pageUrl: string): PageLink[] {
  const base = baseOf($, pageUrl);
  const seen = new Map<string, PageLink>();
  for (const el of elementsUnder($.root()[0]!)) {
    const attr = LINK_TAGS[el.tagName];
    if (!attr) continue;
    const url = absoluteUrl(el.attribs[attr], base);
    if (!url || seen.has(url)) continue;
    let text = spacedText(el);
    if (!text) for (const e of elementsUnder(el)) if (e.tagName === 'img' && e.attribs.alt) text = e.attribs.alt;
    seen.set(url, { url, text });
  }
  return [...seen.values()];
}

export interface PageDates {
  /** The newest publication date read (PubDate meta or a list item), `YYYY-MM-DD`. */
  lastUpdate?: string;
  /** Dated items (list entries with a date, and a PubDate meta). */
  items: number;
  /** A page with no dated item and no list entry at all, or one that says 暂无信息: a 空白栏目 if it is a column. */
  blank: boolean;
}

const ENTRY_TAGS = new Set(['li', 'tr', 'dd']);
const NOT_TEXT = new Set(['script', 'style', 'noscript', 'template']);
const isEntry = (el: Element) => ENTRY_TAGS.has(el.tagName);

/** List entries: the innermost `li`, table rows and `dd` of the content (not the menu or the footer). */
function contentEntries($: ParsedPage): Element[] {
  const out: Element[] = [];
  for (const el of elementsUnder($.root()[0]!)) if (isEntry(el) && !hasDescendant(el, isEntry) && !inChrome(el)) out.push(el);
  return out;
}

/** Publication dates and blankness of a page, as of `now` (short dates take their year from it). */
export function pageDates($: ParsedPage, now: Date): PageDates {
  const metas = $('meta[name]')
    .toArray()
    .filter((el) => DATE_METAS.has(String($(el).attr('name')).toLowerCase()))
    .map((el) => metaDate($(el).attr('content'), now))
    .filter((d): d is string => !!d);
  const entries = contentEntries($);
  const itemDates: string[] = [];
  for (const el of entries) {
    // The item's own date is the last one in it: titles may mention other dates before it.
    const dates = datesInText(spacedText(el), now, { bareShortAtEnd: true });
    if (dates.length) itemDates.push(dates[dates.length - 1]!);
  }
  if (!itemDates.length) {
    // Lists built of divs and spans: any innermost element of the content holding a full date.
    const body = $('body')[0] ?? $.root()[0]!;
    for (const el of elementsUnder(body)) {
      if (NOT_TEXT.has(el.tagName) || el.children.some((c) => c.type === 'tag') || inChrome(el)) continue;
      const dates = datesInText(spacedText(el), now);
      if (dates.length) itemDates.push(dates[dates.length - 1]!);
    }
  }
  const items = itemDates.length + metas.length;
  const listed = entries.some((el) => hasDescendant(el, (e) => e.tagName === 'a' && e.attribs.href !== undefined));
  const saysEmpty = NO_CONTENT.test(spacedText($.root()[0]!));
  return { lastUpdate: newest([...metas, ...itemDates]), items, blank: items === 0 && (!listed || saysEmpty) };
}
