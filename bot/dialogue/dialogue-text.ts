import { formatDateLong } from '../../core/calendar/date-words';
import type { Locale } from '../../core/config.schema';
import { fieldOf, isSkippable, type Answers } from '../../core/dialogue/dialogue.flow';
import type { DialogueSpec, DialogueStep, SiteChoice } from '../../core/dialogue/dialogue.types';
import type { Translate } from '../../core/i18n';

/**
 * The words of a guided filing (locales/<lng>/bot.dialogue.json): the questions, the numbered choices, the
 * summary to confirm. Dates are always written out in full with their weekday.
 */

/** `request.temp_offline` → `request_temp_offline`: i18n keys cannot hold the id's dot. */
const keyOf = (commandId: string) => commandId.replace(/\./g, '_');

/** What is being filed, for the messages ("临时下线申请"). */
export const actionOf = (commandId: string, t: Translate) => t(`bot:dialogue.action.${keyOf(commandId)}`);

/** A field's name in the reader's language. */
export const labelOf = (field: string, t: Translate) => t(`bot:dialogue.field.${field}`);

/** Each option's words of an enum step, for reading an answer typed as a word (`不可抗力`). */
export function optionLabels(step: DialogueStep, t: Translate): Record<string, string> {
  return Object.fromEntries((step.options ?? []).map((o) => [o, t(`bot:dialogue.option.${step.field}.${o}`)]));
}

/** The question of one step, with its numbered choices and whether it may be skipped. */
export function question(step: DialogueStep, o: { answers: Answers; choices?: SiteChoice[]; more?: boolean; t: Translate }): string {
  const { t } = o;
  const lines: string[] = [];
  if (step.kind === 'site') {
    const choices = o.choices ?? [];
    if (choices.length === 1) lines.push(t('bot:dialogue.ask.site_one', { site: siteText(choices[0]!) }));
    else if (choices.length === 0) lines.push(t('bot:dialogue.ask.site_typed'));
    else {
      lines.push(t('bot:dialogue.ask.site'));
      choices.forEach((c, i) => lines.push(`${i + 1}. ${siteText(c)}`));
    }
    if (o.more) lines.push(t('bot:dialogue.ask.site_more', { n: choices.length }));
  } else if (step.fieldFrom) {
    lines.push(t('bot:dialogue.ask.new_value', { label: labelOf(fieldOf(step, o.answers) ?? step.field, t) }));
  } else {
    lines.push(t(`bot:dialogue.ask.${step.field}`));
    if (step.kind === 'enum') (step.options ?? []).forEach((v, i) => lines.push(`${i + 1}. ${t(`bot:dialogue.option.${step.field}.${v}`)}`));
  }
  if (isSkippable(step, o.answers)) lines.push(t('bot:dialogue.optional'));
  return lines.join('\n');
}

export const siteText = (c: SiteChoice) => (c.domain && c.domain !== c.name ? `${c.name}（${c.domain}）` : c.name);

/** One answer as the person reads it back: a date in full with its weekday, a choice by its words. */
export function answerText(step: DialogueStep, value: unknown, o: { siteName: string; t: Translate; lng: Locale }): string {
  const { t } = o;
  if (value === '' || value === undefined) return t('bot:dialogue.skipped');
  if (step.kind === 'site') return o.siteName || String(value);
  if (step.kind === 'date' && typeof value === 'string') return formatDateLong(value, o.lng);
  if (step.kind === 'enum') return t(`bot:dialogue.option.${step.field}.${String(value)}`);
  if (step.kind === 'yesno') return t(value === 'yes' ? 'bot:dialogue.yes' : 'bot:dialogue.no');
  return String(value);
}

/** The summary asked to be confirmed: every answer (dates in full), then 是/否. */
export function summary(spec: DialogueSpec, answers: Answers, o: { siteName: string; t: Translate; lng: Locale }): string {
  const { t } = o;
  const lines = [t('bot:dialogue.summary', { action: actionOf(spec.command, t) })];
  const shown = new Set<string>();
  for (const step of spec.steps) {
    // "What changes" is said by the next line's label (新的域名：…).
    if (step.field.startsWith('_') && !step.fieldFrom) continue;
    const field = fieldOf(step, answers);
    if (!field) continue;
    shown.add(field);
    lines.push(t('bot:dialogue.summary_line', { label: labelOf(field, t), value: answerText(step, answers[field], o) }));
  }
  // Fields typed on the command line that no step asks for (a second change, a notice's audience).
  for (const [field, value] of Object.entries(answers)) {
    if (shown.has(field) || field.startsWith('_') || value === '' || value === undefined) continue;
    const label = labelOf(field, t);
    if (label !== `dialogue.field.${field}`) lines.push(t('bot:dialogue.summary_line', { label, value: String(value) }));
  }
  lines.push(t('bot:dialogue.confirm'));
  return lines.join('\n');
}
