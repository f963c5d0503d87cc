import iconv from 'iconv-lite';

/**
 * Labels that name GB 2312 or GBK: decoded as GB 18030, their superset, as browsers do, so a page that says
 * gb2312 but uses a GBK-only character (common on older government sites) still reads right.
 */
const GB_LABELS = new Set(['gb2312', 'gb_2312', 'gb_2312-80', 'gbk', 'x-gbk', 'cp936', 'ms936', 'windows-936', 'csgb2312', 'chinese', 'iso-ir-58', 'gb18030']);

/** How far into a page a `<meta charset>` is looked for: further than a browser's 1024 bytes, for long head comments. */
const META_SCAN_BYTES = 4096;

function encodingOf(label: string | undefined): string | undefined {
  const l = label?.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return undefined;
  if (GB_LABELS.has(l)) return 'gb18030';
  if (l === 'utf8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

function charsetParam(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType ?? '')?.[1];
}

function bomEncoding(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` near the top. */
function metaEncoding(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, META_SCAN_BYTES)).toString('latin1');
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const direct = /\bcharset\s*=\s*["']?([^"'\s;/>]+)/i.exec(tag)?.[1];
    const encoding = encodingOf(direct);
    if (encoding) return encoding;
  }
  return undefined;
}

function isUtf8(body: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * The encoding of an HTML page, in a browser's order: byte-order mark, the `Content-Type` header's charset,
 * a `<meta>` charset. A page that declares none is UTF-8 when its bytes are valid UTF-8, else GB 18030 (the
 * usual undeclared encoding of a Chinese government page).
 */
export function htmlEncoding(body: Uint8Array, contentType?: string): string {
  return bomEncoding(body) ?? encodingOf(charsetParam(contentType)) ?? metaEncoding(body) ?? (isUtf8(body) ? 'utf-8' : 'gb18030');
}

/** The text of an HTML page (see {@link htmlEncoding}); a byte-order mark is dropped. */
export function decodeHtml(body: Uint8Array, contentType?: string): string {
  return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), htmlEncoding(body, contentType), { stripBOM: true });
}
