/**
 * Publication dates as Chinese government pages print them: `2026-11-30`, `2026/11/30`, `2026.11.30`,
 * `2026年11月30日`, and in lists the short `[11-30]` / `(11-30)` / `11月30日` whose year comes from context: the
 * latest such date not after today (China time), so on 2027-01-03 `[12-30]` is 2026-12-30. A date after
 * tomorrow is not a publication date (a meeting announced for later, or a forged date) and is ignored.
 */

const FULL = /(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?/g;
const SHORT_BRACKETED = /[[［(（【]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[\]］)）】]/g;
const SHORT_CHINESE = /(?<![\d年])(\d{1,2})月(\d{1,2})日/g;
/** A bare `11-30` at the end of a list item (where the lists print it); elsewhere it could be anything. */
const SHORT_BARE_AT_END = /(?<![\d\-/.:])(\d{1,2})-(\d{1,2})\s*$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of the civil day in China (UTC+8) at `at`. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from civil date `from` to civil date `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function validDate(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined; // 02-30
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The dates a text holds, in order of appearance, each `YYYY-MM-DD`; none after tomorrow (China time). */
export function datesInText(text: string, now: Date, opts: { bareShortAtEnd?: boolean } = {}): string[] {
  const today = chinaDay(now);
  const tomorrow = chinaDay(new Date(now.getTime() + 86_400_000));
  const thisYear = Number(today.slice(0, 4));
  const found: Array<{ at: number; date: string }> = [];
  const keep = (at: number, date: string | undefined) => {
    if (date && date <= tomorrow && date >= '1990-01-01') found.push({ at, date });
  };
  // Full dates first; their text is blanked so the short patterns do not read `11-30` out of `2026-11-30`.
  const rest = text.replace(FULL, (match, y: string, m: string, d: string, at: number) => {
    keep(at, validDate(Number(y), Number(m), Number(d)));
    return ' '.repeat(match.length);
  });
  const short = (at: number, m: string, d: string) => {
    const sameYear = validDate(thisYear, Number(m), Number(d));
    keep(at, sameYear && sameYear > tomorrow ? validDate(thisYear - 1, Number(m), Number(d)) : sameYear);
  };
  // Each form's text is blanked once read, so 【12月31日】 is one date, not two.
  let left = rest;
  for (const pattern of [SHORT_BRACKETED, SHORT_CHINESE]) {
    left = left.replace(pattern, (match, m: string, d: string, at: number) => {
      short(at, m, d);
      return ' '.repeat(match.length);
    });
  }
  if (opts.bareShortAtEnd && !found.length) {
    const bare = SHORT_BARE_AT_END.exec(left);
    if (bare) short(bare.index, bare[1]!, bare[2]!);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.date);
}

/** The date in a `<meta name="PubDate" content="2026-11-30 09:12">`, if it holds one. */
export function metaDate(content: string | undefined, now: Date): string | undefined {
  return content ? datesInText(content, now)[0] : undefined;
}

/** The newest of some `YYYY-MM-DD` dates. */
export function newest(dates: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const date of dates) if (date && (!best || date > best)) best = date;
  return best;
}
