import type { Translate } from '../../core/i18n';
import type { Locale } from '../../core/config.schema';
import { translatorFor } from '../../lib/i18n';
import { text, type Reply } from '../reply';

/**
 * `语言 en`: the answer is already in the language chosen (the person must be able to read it, and it shows
 * the change took), whatever language the command was typed in.
 */
export function renderLocale(out: { locale: Locale; changed: boolean; supported: Locale[] }, _t: Translate): Reply {
  const t = translatorFor(out.locale);
  const options = out.supported.map((l) => t('bot:locale.option', { code: l, name: t(`common:language.${l}`) })).join(t('bot:locale.separator'));
  const key = out.changed ? 'bot:locale.changed' : 'bot:locale.current';
  return text(t(key, { language: t(`common:language.${out.locale}`), options }));
}
