import type { AnyCommand } from '../core/commands/command';

/** What a chat line means: a command and its raw input (validated later by the command's schema). */
export interface ParsedLine {
  command: AnyCommand;
  input: Record<string, unknown>;
}

/** A line as commands read it: full-width spaces as spaces, trimmed, without a leading `/` (or `／`). */
export function normalizeLine(line: string): string {
  return line.replace(/\u3000/g, ' ').trim().replace(/^[/／]/, '');
}

/**
 * Turns a chat line into a command: the longest command word that starts the line (in any locale, so an
 * English speaker may type Chinese commands and back), then `key=value` pairs, then positional words for the
 * spec's `args` (the last one takes the rest of the line). Full-width spaces and a leading `/` are accepted.
 */
export function parseLine(line: string, commands: readonly AnyCommand[]): ParsedLine | undefined {
  const text = normalizeLine(line);
  if (!text) return undefined;
  let best: { command: AnyCommand; word: string } | undefined;
  for (const command of commands) {
    for (const word of Object.values(command.chat?.words ?? {}).flat()) {
      const w = word.toLowerCase();
      const lower = text.toLowerCase();
      const boundary = lower.length === w.length || /[\s:：]/.test(lower[w.length] ?? '') || (w.codePointAt(w.length - 1) ?? 0) > 0x7f;
      if (lower.startsWith(w) && boundary && (!best || w.length > best.word.length)) best = { command, word: w };
    }
  }
  if (!best) return undefined;
  const rest = text.slice(best.word.length).replace(/^[\s:：]+/, '');
  const input: Record<string, unknown> = {};
  const positional: string[] = [];
  for (const token of rest.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []) {
    const kv = /^([A-Za-z][\w.]*)=(.*)$/.exec(token);
    if (kv) input[kv[1]!] = kv[2]!.replace(/^"|"$/g, '');
    else positional.push(token.replace(/^"|"$/g, ''));
  }
  // Positional words fill, in order, the args not already given as key=value.
  const args = (best.command.chat?.args ?? []).filter((name) => input[name] === undefined);
  args.forEach((name, i) => {
    const value = i === args.length - 1 ? positional.slice(i).join(' ') : positional[i];
    if (value) input[name] = value;
  });
  return { command: best.command, input };
}
