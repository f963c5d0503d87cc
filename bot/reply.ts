/** A button on a card; `command` + `input` is what a click runs, through the same command layer. */
export interface CardButton {
  key: string;
  text: string;
  command: string;
  input: Record<string, unknown>;
  style?: 'primary' | 'default' | 'danger';
}

/** A mini-program page a card is about (`pages/request/index` + `{id}`); WeCom links it when an AppID is set. */
export interface CardOpen {
  page: string;
  query: Record<string, string>;
  text: string;
}

/**
 * What the bot says, whatever the channel: a closed union each channel knows how to send. Channels without
 * cards or markdown show `fallback` text.
 */
export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'markdown'; markdown: string; fallback: string }
  | { kind: 'card'; title: string; body: string; buttons: CardButton[]; fallback: string; open?: CardOpen }
  /** A file (e.g. the annual report's xlsx); channels that cannot send files show `fallback` (where to download it). */
  | { kind: 'file'; fileName: string; data: Buffer; mime: string; fallback: string }
  /** Several replies in order (a summary, then files); channels that send only text show `fallback`. */
  | { kind: 'several'; replies: Reply[]; fallback: string };

export const text = (t: string): Reply => ({ kind: 'text', text: t });

/** The plain-text form of any reply, for the shell and for channels that only carry text. */
export function replyText(reply: Reply): string {
  return reply.kind === 'text' ? reply.text : reply.fallback;
}

/** The replies of a `several` reply, flattened, or the reply itself. */
export function replyParts(reply: Reply): Reply[] {
  return reply.kind === 'several' ? reply.replies.flatMap(replyParts) : [reply];
}
