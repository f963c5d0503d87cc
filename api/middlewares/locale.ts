import { SUPPORTED_LOCALES, type Locale } from '../../core/config.schema';
import type { ApiMiddleware } from '../state';

/** `en`, `en-US`, `zh`, `zh-CN`, `zh-Hans-CN` … to the locale we speak, or undefined. */
export function localeOfTag(tag: string): Locale | undefined {
  const t = tag.trim().toLowerCase();
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return undefined;
}

/** The best locale an `Accept-Language` header names, by q-value; undefined when it names none we speak. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    const lng = localeOfTag(r.tag);
    if (lng) return lng;
  }
  return undefined;
}

/**
 * The language the client asks for: `?lng=en|zh-CN` first, then `Accept-Language`. Until auth knows the user,
 * answers use it or the configured default; auth then falls back to the user's own locale when none was asked.
 */
export function locale(defaultLocale: Locale): ApiMiddleware {
  return async (ctx, next) => {
    const q = ctx.query.lng;
    const fromQuery = typeof q === 'string' ? SUPPORTED_LOCALES.find((l) => l.toLowerCase() === q.trim().toLowerCase()) : undefined;
    const requested = fromQuery ?? localeFromAcceptLanguage(ctx.get('Accept-Language'));
    if (requested) ctx.state.requestedLng = requested;
    ctx.state.lng = requested ?? defaultLocale;
    await next();
  };
}
