import type { Source } from '../core/commands/command';
import type { Reply } from './reply';

/**
 * A place people talk to the bot (shell, WeCom, Wechaty). Each turns its inbound messages into
 * `ChatEngine.handle` calls and knows how to deliver a `Reply` to a person or group.
 */
export interface Channel {
  readonly name: Source;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `to` is a registry userid, or a channel-specific group id. */
  send(to: string, reply: Reply): Promise<void>;
}
