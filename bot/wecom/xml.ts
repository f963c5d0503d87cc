/**
 * WeCom's callback XML is flat (`<xml><Tag><![CDATA[..]]></Tag>…</xml>`, a few nested lists at most), so a
 * small strict parser is safer than a general one: no DOCTYPE, no entity declarations, no external
 * anything, a size and depth limit, and only the five predefined entities plus character references.
 */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [tag: string]: XmlValue;
}

export class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0's Char production: a character reference outside it is malformed, not a character. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function decodeText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,8}|#[0-9]{1,8}|[a-z]+);|&/g, (m, ref: string | undefined) => {
    if (!ref) throw new XmlError('bare & in text');
    if (ref.startsWith('#')) {
      const cp = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(cp)) throw new XmlError(`character reference &${ref}; is not an XML character`);
      return String.fromCodePoint(cp);
    }
    if (!Object.hasOwn(PREDEFINED, ref)) throw new XmlError(`entity &${ref}; not allowed`);
    return PREDEFINED[ref]!;
  });
}

export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxChars: 64 * 1024, maxDepth: 4, maxElements: 200 };

/** Parses `<xml>…</xml>` into an object; a repeated tag becomes an array. Throws XmlError on anything else. */
export function parseXml(input: string, limits: Partial<XmlLimits> = {}): XmlObject {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (input.length > lim.maxChars) throw new XmlError('document too large');
  if (/<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(input)) throw new XmlError('DTD and entity declarations are refused');
  let pos = 0;
  let elements = 0;
  const src = input.replace(/^\uFEFF/, '');
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos))![0].length;
      pos += ws;
      if (src.startsWith('<?xml', pos) && pos === ws) {
        const end = src.indexOf('?>', pos);
        if (end < 0) throw new XmlError('unterminated declaration');
        pos = end + 2;
      } else if (src.startsWith('<!--', pos)) {
        const end = src.indexOf('-->', pos);
        if (end < 0) throw new XmlError('unterminated comment');
        pos = end + 3;
      } else return;
    }
  };
  const NAME = /^<([A-Za-z_][A-Za-z0-9_.-]*)\s*(\/?)>/;

  function element(depth: number): { name: string; value: XmlValue } {
    if (depth > lim.maxDepth) throw new XmlError('nested too deep');
    if (++elements > lim.maxElements) throw new XmlError('too many elements');
    const open = NAME.exec(src.slice(pos, pos + 200));
    if (!open) throw new XmlError(`expected an element at ${pos}`);
    const name = open[1]!;
    pos += open[0].length;
    if (open[2]) return { name, value: '' };
    let text = '';
    // No prototype: a tag named __proto__ or constructor is an ordinary key, never the object's prototype.
    const children: XmlObject = Object.create(null) as XmlObject;
    let hasChildren = false;
    for (;;) {
      if (pos >= src.length) throw new XmlError(`unterminated <${name}>`);
      if (src.startsWith('<![CDATA[', pos)) {
        const end = src.indexOf(']]>', pos);
        if (end < 0) throw new XmlError('unterminated CDATA');
        text += src.slice(pos + 9, end);
        pos = end + 3;
      } else if (src.startsWith('</', pos)) {
        const close = `</${name}>`;
        if (!src.startsWith(close, pos)) throw new XmlError(`mismatched close of <${name}>`);
        pos += close.length;
        return { name, value: hasChildren ? children : text };
      } else if (src.startsWith('<!--', pos)) {
        const end = src.indexOf('-->', pos);
        if (end < 0) throw new XmlError('unterminated comment');
        pos = end + 3;
      } else if (src[pos] === '<') {
        const child = element(depth + 1);
        hasChildren = true;
        const prev = children[child.name];
        children[child.name] = prev === undefined ? child.value : Array.isArray(prev) ? [...prev, child.value] : [prev, child.value];
      } else {
        const next = src.indexOf('<', pos);
        const end = next < 0 ? src.length : next;
        text += decodeText(src.slice(pos, end));
        pos = end;
      }
    }
  }

  skipMisc();
  const root = element(1);
  skipMisc();
  if (pos !== src.length) throw new XmlError('content after the root element');
  if (root.name !== 'xml') throw new XmlError('root element must be <xml>');
  if (typeof root.value === 'string') {
    if (root.value.trim()) throw new XmlError('root holds text');
    return {};
  }
  return root.value as XmlObject;
}

/** A top-level text field, or undefined when absent or not text. */
export function xmlText(doc: XmlObject, tag: string): string | undefined {
  const v = doc[tag];
  return typeof v === 'string' ? v : undefined;
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** Builds WeCom's flat XML (numbers bare, strings in CDATA), for passive replies and the fake server. */
export function buildXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
