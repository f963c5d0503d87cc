import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../config.schema';
import { notFound } from '../errors';
import { ownWord } from '../own-word';
import { defineCommand } from './command';

/** What people type for a language, in either language; the locale ids themselves are read case-insensitively. */
const LOCALE_WORDS: Record<string, Locale> = {
  zh: 'zh-CN', 'zh-cn': 'zh-CN', 'zh-hans': 'zh-CN', 中文: 'zh-CN', 简体中文: 'zh-CN', 汉语: 'zh-CN', chinese: 'zh-CN',
  en: 'en', 'en-us': 'en', 'en-gb': 'en', english: 'en', 英文: 'en', 英语: 'en',
};

const localeWord = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const locale = ownWord(LOCALE_WORDS, v.toLowerCase());
    if (!locale) {
      ctx.addIssue({ code: 'custom', message: 'locale_unknown', params: { value: v, values: SUPPORTED_LOCALES.join(', ') } });
      return z.NEVER;
    }
    return locale;
  });

export const localeSet = defineCommand({
  id: 'me.locale',
  input: z.object({ locale: localeWord.optional() }),
  output: z.object({ locale: z.enum(SUPPORTED_LOCALES), changed: z.boolean(), supported: z.array(z.enum(SUPPORTED_LOCALES)) }),
  roles: [],
  chat: { words: { 'zh-CN': ['语言', '切换语言'], en: ['language', 'lang'] }, args: ['locale'] },
  /**
   * Art. 25 and the product's promise that every message exists in each supported language: a person picks
   * theirs from chat, kept on their user record, so cards, digests and reminders follow it from now on.
   * Without a language it says which one is in use and which exist.
   */
  async handler(ctx, input) {
    const supported = [...SUPPORTED_LOCALES];
    if (!input.locale || input.locale === ctx.actor.user.locale) return { locale: input.locale ?? ctx.actor.user.locale, changed: false, supported };
    const user = await ctx.deps.users.setLocale(ctx.actor.user.userid, input.locale);
    if (!user) throw notFound('user', ctx.actor.user.userid);
    return { locale: user.locale, changed: true, supported };
  },
});
