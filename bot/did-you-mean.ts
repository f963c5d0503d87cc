import { distance } from 'fastest-levenshtein';
import { hasRole, type Actor } from '../core/actor';
import type { AnyCommand } from '../core/commands/command';
import type { Locale, Translate } from '../core/i18n';
import { normalizeLine, type ParsedLine } from './parser';

/** A command word worth suggesting, as the person would type it, and how close it came to what they typed. */
export interface Suggestion {
  command: AnyCommand;
  /** The command's first word in the person's language. */
  word: string;
  score: number;
}

/** Below this a word is not "close": `你好` suggests nothing rather than a random command. */
const MIN_SCORE = 0.45;
/**
 * Latin words share letters by chance far more than Chinese words share characters (`frobnicate` has every
 * letter of `notice`), so a typed Latin word must come closer before it is worth a suggestion.
 */
const MIN_SCORE_LATIN = 0.6;
/** A second suggestion only when it is nearly as close as the first. */
const SECOND_WITHIN = 0.15;

const mayRun = (actor: Actor, c: AnyCommand) => c.roles.length === 0 || c.roles.some((r) => hasRole(actor, r));

/** How many characters of `word` also occur in `typed` (each typed character counted once). */
function sharedChars(typed: string, word: string): number {
  const pool = [...typed];
  let shared = 0;
  for (const ch of word) {
    const i = pool.indexOf(ch);
    if (i >= 0) {
      shared++;
      pool.splice(i, 1);
    }
  }
  return shared;
}

/**
 * How close a typed word is to a command word, 0..1: the mean of edit-distance similarity and the share of
 * characters in common. Chinese command words are short and mostly differ by a character or two (开始检查 /
 * 开启检查), where shared characters say more than the edit distance alone.
 */
export function closeness(typed: string, word: string): number {
  const a = typed.toLowerCase();
  const b = word.toLowerCase();
  const longest = Math.max([...a].length, [...b].length);
  if (!longest) return 0;
  const edit = 1 - distance(a, b) / longest;
  return (edit + sharedChars(a, b) / longest) / 2;
}

/** What the person typed as a command: the first word (a Chinese line without spaces is one word). */
function headOf(line: string): string {
  return normalizeLine(line).split(/\s+/)[0] ?? '';
}

/**
 * The one or two commands the person most likely meant by a line no command word starts: only commands
 * their roles let them run, matched against the words of every language, shown in their own language.
 */
export function suggestCommands(line: string, commands: readonly AnyCommand[], actor: Actor, lng: Locale): Suggestion[] {
  const head = headOf(line);
  if (!head) return [];
  const min = /^[ -~]+$/.test(head) ? MIN_SCORE_LATIN : MIN_SCORE;
  const best = new Map<AnyCommand, Suggestion>();
  for (const command of commands) {
    if (!command.chat || !mayRun(actor, command)) continue;
    const word = command.chat.words[lng]?.[0] ?? command.chat.words['zh-CN']?.[0] ?? command.id;
    for (const candidate of Object.values(command.chat.words).flat()) {
      const score = closeness(head, candidate);
      if (score >= min && score > (best.get(command)?.score ?? -1)) best.set(command, { command, word, score });
    }
  }
  const ranked = [...best.values()].sort((x, y) => y.score - x.score || x.word.localeCompare(y.word));
  const [first, second] = ranked;
  if (!first) return [];
  return second && second.score >= first.score - SECOND_WITHIN ? [first, second] : [first];
}

/** How a suggested command is typed: its word and its arguments' placeholders, as help shows them. */
export function usageOf(s: Pick<Suggestion, 'command' | 'word'>, t: Translate): string {
  return [s.word, ...(s.command.chat?.args ?? []).map((a) => t(`commands:${s.command.id}.args.${a}`))].join(' ');
}

/** The answer to a line no command word starts: the usual "unknown command", with the likely commands when there are. */
export function unknownCommandAnswer(line: string, commands: readonly AnyCommand[], actor: Actor, lng: Locale, t: Translate): string {
  const typed = line.trim().slice(0, 40);
  const suggestions = suggestCommands(line, commands, actor, lng);
  if (!suggestions.length) return t('errors:unknown_command', { text: typed });
  return t('bot:did_you_mean.unknown', { text: typed, suggestions: suggestions.map((s) => t('bot:did_you_mean.item', { usage: usageOf(s, t) })).join(t('bot:did_you_mean.or')) });
}

/**
 * The `key=value` fields a parsed line gives that its command does not take (not in its input schema): such
 * a line is a mistake to point out, not something to run with the fields silently dropped (`通知 title=…`
 * meant 发通知, not "list my notifications"). Undefined when the schema's fields cannot be known.
 */
export function unexpectedFields(parsed: ParsedLine): string[] {
  const keys = inputKeys(parsed.command.input);
  if (!keys) return [];
  const args = new Set(parsed.command.chat?.args ?? []);
  // `body.en` / `body_en` are a field's variants (a notice's body in another language): known when `body` is.
  return Object.keys(parsed.input).filter((k) => !keys.has(k) && !args.has(k) && !keys.has(k.split(/[._]/)[0]!));
}

/** The fields of an object schema, looking through the wrappers zod puts around one (refinements, pipes, defaults). */
function inputKeys(schema: unknown, depth = 0): Set<string> | undefined {
  if (!schema || typeof schema !== 'object' || depth > 5) return undefined;
  const s = schema as { shape?: Record<string, unknown>; _zod?: { def?: { in?: unknown; out?: unknown; innerType?: unknown; schema?: unknown } } };
  if (s.shape && typeof s.shape === 'object') return new Set(Object.keys(s.shape));
  const def = s._zod?.def;
  if (!def) return undefined;
  // A pipe (also what z.preprocess builds) has its fields on whichever side is an object.
  for (const inner of [def.in, def.out, def.innerType, def.schema]) {
    const keys = inner === undefined ? undefined : inputKeys(inner, depth + 1);
    if (keys) return keys;
  }
  return undefined;
}

/**
 * The answer to a known command word given fields it does not take: which fields, and the commands that do
 * take them (among those the person may run), else the command's own usage.
 */
export function unexpectedFieldsAnswer(parsed: ParsedLine, fields: string[], commands: readonly AnyCommand[], actor: Actor, lng: Locale, t: Translate): string {
  const word = parsed.command.chat?.words[lng]?.[0] ?? parsed.command.chat?.words['zh-CN']?.[0] ?? parsed.command.id;
  const takers = commands
    .filter((c) => c !== parsed.command && c.chat && mayRun(actor, c))
    .map((c) => ({ c, keys: inputKeys(c.input) }))
    .filter(({ keys }) => keys && fields.every((f) => keys.has(f)))
    .map(({ c }) => ({ c, score: Math.max(...Object.values(c.chat!.words).flat().map((w) => closeness(word, w))) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 2)
    .map(({ c }) => ({ command: c, word: c.chat!.words[lng]?.[0] ?? c.chat!.words['zh-CN']?.[0] ?? c.id }));
  const head = t('bot:did_you_mean.extra_fields', { word, fields: fields.join(', ') });
  const tail = takers.length
    ? t('bot:did_you_mean.try_instead', { suggestions: takers.map((s) => t('bot:did_you_mean.item', { usage: usageOf(s, t) })).join(t('bot:did_you_mean.or')) })
    : t('bot:did_you_mean.usage', { usage: usageOf({ command: parsed.command, word }, t) });
  return `${head}${tail}`;
}
