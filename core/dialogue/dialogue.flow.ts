import type { z } from 'zod';
import { readDateWords } from '../calendar/date-words';
import type { FieldProblem } from '../errors';
import { zodIssueProblems } from '../zod-problems';
import type { DialogueSpec, DialogueStep, SiteChoice } from './dialogue.types';

/**
 * The pure half of guided filing: which step comes next, how an answer is read and checked, and what the
 * command finally receives. Storage, sites and texts are the chat side's (bot/dialogue/).
 */

export type Answers = Record<string, unknown>;

const norm = (line: string) => line.replace(/\u3000/g, ' ').trim().replace(/[。.!！]$/, '').trim();
const YES = new Set(['是', '是的', '确认', '确定', '好', '好的', '对', '可以', 'y', 'yes', 'ok', 'confirm']);
const NO = new Set(['否', '不', '不是', '不对', 'n', 'no']);
const SKIP = new Set(['无', '没有', '跳过', '不填', '略', '-', '—', 'none', 'skip', 'n/a']);

export const isYes = (line: string) => YES.has(norm(line).toLowerCase());
export const isNo = (line: string) => NO.has(norm(line).toLowerCase());
export const isSkip = (line: string) => SKIP.has(norm(line).toLowerCase());

/** The input field a step fills: its own, or the one an earlier answer named (a change record's "what"). */
export function fieldOf(step: DialogueStep, answers: Answers): string | undefined {
  if (!step.fieldFrom) return step.field;
  const named = answers[step.fieldFrom];
  return typeof named === 'string' && named ? named : undefined;
}

/** Whether a step may be skipped with these answers (a portal's temporary offline must say why). */
export function isSkippable(step: DialogueStep, answers: Answers): boolean {
  return !!step.optional && !(step.requiredFor && answers._siteKind === step.requiredFor.siteKind);
}

/** Whether a step has its answer (a skipped optional step counts: its answer is empty). */
export function isAnswered(step: DialogueStep, answers: Answers): boolean {
  const field = fieldOf(step, answers);
  return field !== undefined && answers[field] !== undefined;
}

/** The step to ask next: the first without an answer; `steps.length` means "confirm". */
export function nextStep(spec: DialogueSpec, answers: Answers): number {
  const i = spec.steps.findIndex((s) => !isAnswered(s, answers));
  return i < 0 ? spec.steps.length : i;
}

/** What the command receives: the answers without the dialogue's own (`_…`) and without skipped ones. */
export function commandInput(answers: Answers): Record<string, unknown> {
  return Object.fromEntries(Object.entries(answers).filter(([k, v]) => !k.startsWith('_') && v !== '' && v !== undefined));
}

/**
 * Whether a typed command should become a dialogue rather than run: it lacks fields the schema requires (and
 * only lacks them: a wrong value is refused at once, as before), or a date came in words and must be echoed
 * back before anything is filed. A line the schema accepts with ISO dates runs exactly as it always did.
 */
export function wantsDialogue(schema: z.ZodType, given: Answers, worded: boolean): boolean {
  if (worded) return true;
  const parsed = schema.safeParse(given);
  if (parsed.success) return false;
  return zodIssueProblems(parsed.error, { raw: given }).every((p) => given[p.field.split('.')[0]!] === undefined);
}

/**
 * The answers a dialogue starts with, from the typed line: dates in words become `YYYY-MM-DD` (`worded` says
 * so: they must be echoed back), and a change typed as `domain=…` answers "what changes".
 */
export function startAnswers(spec: DialogueSpec, given: Answers, now: Date): { answers: Answers; worded: boolean } {
  const answers: Answers = { ...given };
  let worded = false;
  for (const step of spec.steps) {
    const v = answers[step.field];
    if (step.kind === 'date' && typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) {
      const date = readDateWords(v, now);
      if (date) {
        answers[step.field] = date;
        worded = true;
      }
    }
    if (step.field.startsWith('_') && step.kind === 'enum' && answers[step.field] === undefined) {
      const named = step.options?.find((o) => answers[o] !== undefined);
      if (named) answers[step.field] = named;
    }
  }
  return { answers, worded };
}

/**
 * The field to ask again when filing was refused for something one answer can fix: a code the spec maps, or
 * the field a refusal names (a `date_invalid` of `start`, a validation problem); undefined for any other.
 */
export function fieldToFix(spec: DialogueSpec, code: string, fields: readonly string[]): string | undefined {
  const asked = new Set(spec.steps.filter((s) => !s.field.startsWith('_')).map((s) => s.field));
  return [spec.backTo?.[code], ...fields].find((f): f is string => !!f && asked.has(f));
}

export type Reading = { ok: true; value: unknown } | { ok: false; problem: FieldProblem };

/** A refused answer, written `{ field, code: '…' }` so the error-code test finds every code it may carry. */
const bad = (problem: FieldProblem): Reading => ({ ok: false, problem: { params: {}, ...problem } });

/** A numbered choice: `2`, `2.`, `第2个`, or the option itself. */
function choiceNumber(line: string, count: number): number | undefined {
  const m = /^第?\s*(\d{1,3})\s*[个项.、)）]?$/.exec(norm(line));
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= count ? n : undefined;
}

/**
 * Reads one answer as its step's kind. `choices` are the sites offered at a site step, `labels` each enum
 * option's words in the reader's language. A site typed rather than chosen is passed on as a ref; the chat
 * side checks the person may file for it.
 */
export function readAnswer(step: DialogueStep, line: string, o: { now: Date; answers: Answers; choices?: readonly SiteChoice[]; labels?: Record<string, string> }): Reading {
  const text = norm(line);
  const field = fieldOf(step, o.answers) ?? step.field;
  if (step.optional && isSkip(text)) {
    if (isSkippable(step, o.answers)) return { ok: true, value: '' };
    return bad({ field, code: step.requiredFor!.code, params: { article: step.requiredFor!.article } });
  }
  switch (step.kind) {
    case 'site': {
      const choices = o.choices ?? [];
      const n = choiceNumber(text, choices.length);
      if (n) return { ok: true, value: choices[n - 1]!.ref };
      if (choices.length === 1 && isYes(text)) return { ok: true, value: choices[0]!.ref };
      const lower = text.toLowerCase();
      const named = choices.find((c) => c.ref.toLowerCase() === lower || c.domain.toLowerCase() === lower || c.name === text);
      if (named) return { ok: true, value: named.ref };
      if (/^\d{1,3}$/.test(text)) return bad({ field, code: 'dialogue_choice_invalid', params: { value: text, max: choices.length } });
      return text ? { ok: true, value: text } : bad({ field, code: 'site_ref_required' });
    }
    case 'date': {
      const date = readDateWords(text, o.now);
      if (!date) return bad({ field, code: 'dialogue_date_unreadable', params: { value: text } });
      const from = step.notBefore ? o.answers[step.notBefore] : undefined;
      if (typeof from === 'string' && date < from) return bad({ field, code: 'window_end_before_start', params: { start: from, end: date } });
      return { ok: true, value: date };
    }
    case 'enum': {
      const options = step.options ?? [];
      const n = choiceNumber(text, options.length);
      if (n) return { ok: true, value: options[n - 1] };
      const lower = text.toLowerCase();
      const named = options.find((v) => v.toLowerCase() === lower || o.labels?.[v]?.toLowerCase() === lower);
      return named ? { ok: true, value: named } : bad({ field, code: 'dialogue_choice_invalid', params: { value: text, max: options.length } });
    }
    case 'yesno':
      if (isYes(text)) return { ok: true, value: 'yes' };
      if (isNo(text)) return { ok: true, value: 'no' };
      return bad({ field, code: 'dialogue_yes_no', params: { value: text } });
    case 'text':
      // Free text is kept as typed (a body ends with its full stop).
      return { ok: true, value: line.replace(/\u3000/g, ' ').trim() };
  }
}

/**
 * The command's own checks of one field, with the answers so far: its zod input parsed whole, and only the
 * problems of that field kept (the fields not yet asked are missing, which is expected).
 */
export function fieldProblems(schema: z.ZodType, answers: Answers, field: string): FieldProblem[] {
  const input = commandInput({ ...answers });
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return zodIssueProblems(parsed.error, { raw: input }).filter((p) => p.field === field || p.field.startsWith(`${field}.`));
}
