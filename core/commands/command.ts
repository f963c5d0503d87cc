import type { z } from 'zod';
import type { Actor, RoleName } from '../actor';
import type { Locale, Translate } from '../i18n';
import type { Deps } from '../ports';

/** Where a command came from: recorded in audit trails and logs. */
export type Source = 'api' | 'shell' | 'wecom' | 'wechaty' | 'miniprogram' | 'job' | 'cli';

/** Everything a handler knows about the call; built by the adapter (route, channel, job) that runs it. */
export interface Ctx {
  actor: Actor;
  lng: Locale;
  t: Translate;
  source: Source;
  requestId: string;
  deps: Deps;
  /**
   * Where a long-running command reports how far it is, in the reader's words (the shell shows it while the
   * command runs); absent on channels that answer only once.
   */
  progress?: (line: string) => void;
}

/**
 * A command as data (Hubot's CommandBus, ARCHITECTURE.md convention 3): one spec serves chat, card buttons,
 * the REST API and jobs. `roles` is the coarse gate (who may run it at all, and who sees it in help); the
 * handler checks the subject with core/policies once it has loaded it.
 */
export interface CommandSpec<In extends z.ZodType = z.ZodType, Out extends z.ZodType = z.ZodType> {
  id: string;
  input: In;
  output: Out;
  /** Any of these roles may run it; empty means every registered user. */
  roles: RoleName[];
  /** REST exposure under /api/v1; path params (`:ref`) and query/body fields all feed `input`. */
  http?: { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string };
  /**
   * Chat exposure: the words that start it (in every locale; the first of each locale is shown in help) and
   * the input fields that positional words fill, in order. The last positional takes the rest of the line.
   */
  chat?: { words: Partial<Record<Locale, string[]>>; args?: string[] };
  /**
   * An input field the command cannot run without and that a person answers in words (a reject's reason).
   * Given without it, in chat or by a card button, the chat engine asks for it and runs the command with the
   * answer (Hubot's propose → confirm); the REST API refuses it as the schema does.
   */
  needs?: { field: string };
  handler(ctx: Ctx, input: z.output<In>): Promise<z.output<Out>>;
}

/** Keeps the input type of each spec while collecting specs of different types in one list. */
export function defineCommand<In extends z.ZodType, Out extends z.ZodType>(spec: CommandSpec<In, Out>): CommandSpec<In, Out> {
  return spec;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandSpec<any, any>;
