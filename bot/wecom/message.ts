import { randomBytes } from 'node:crypto';
import type { WecomCardDoc } from '../../core/channels/wecom.ports';
import type { CardOpen, Reply } from '../reply';

/** WeCom truncates text and markdown past 2048 bytes; we split below that, at line ends where we can. */
export const TEXT_MAX_BYTES = 2000;
/** button_interaction holds at most 6 buttons. */
export const MAX_BUTTONS = 6;
/** WeCom suggests short card texts; longer bodies also go out as a text message before the card. */
export const CARD_TITLE_MAX = 36;
export const CARD_BODY_MAX = 112;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Splits text into parts of at most `max` UTF-8 bytes, preferring line breaks, never splitting a character. */
export function splitText(text: string, max = TEXT_MAX_BYTES): string[] {
  if (bytes(text) <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current) parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (bytes(candidate) <= max) {
      current = candidate;
      continue;
    }
    push();
    if (bytes(line) <= max) {
      current = line;
      continue;
    }
    for (const ch of line) {
      if (bytes(current + ch) > max) push();
      current += ch;
    }
  }
  push();
  return parts;
}

export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

/** A task_id WeCom accepts (≤128 bytes of [A-Za-z0-9_-@]) and nobody can guess. */
export function newTaskId(): string {
  return `ss-${randomBytes(12).toString('base64url')}`;
}

const STYLE: Record<string, number> = { primary: 1, default: 2, danger: 3 };

export interface RenderedMessage {
  payload: Record<string, unknown>;
  /** Set for a card: the lookup a click needs. */
  card?: Omit<WecomCardDoc, 'createdAt' | 'actedAt' | 'actedBy' | 'actedKey'>;
  /** Set for a `file` message: the bytes, uploaded (media/upload) when the message is sent. */
  file?: { fileName: string; mime: string; data: Buffer };
}

/** WeCom's limits for a `file` upload: 5 bytes to 20 MB. */
export const FILE_MIN_BYTES = 5;
export const FILE_MAX_BYTES = 20 * 1024 * 1024;

/** The template_card of a button card; also the base of its update after a click (the link stays). */
export function buttonCard(card: Pick<WecomCardDoc, '_id' | 'title' | 'body' | 'buttons' | 'link'>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    card_type: 'button_interaction',
    task_id: card._id,
    main_title: { title: clip(card.title, CARD_TITLE_MAX) },
    sub_title_text: clip(card.body, CARD_BODY_MAX),
    button_list: card.buttons.map((b) => ({ text: clip(b.text, 10), style: STYLE[b.style ?? 'default'] ?? 2, key: b.eventKey })),
    ...(card.link ?? {}),
    ...extra,
  };
}

/**
 * A card's link to a mini-program page (WeCom opens only mini-programs linked to the app): the whole card
 * opens it (`card_action` type 2) and a quote line names it. button_interaction cards take no `jump_list`
 * (that is text_notice/news_notice only, per WeCom's template card docs), hence these two.
 */
export function miniprogramLink(appid: string, open: CardOpen): Record<string, unknown> {
  const query = new URLSearchParams(open.query).toString();
  const pagepath = query ? `${open.page}?${query}` : open.page;
  return {
    card_action: { type: 2, appid, pagepath },
    quote_area: { type: 2, appid, pagepath, title: clip(open.text, 18) },
  };
}

/**
 * A Reply as message/send bodies (without touser/agentid): text split under WeCom's size limit, markdown
 * when it fits (else its fallback as text), a card as a `button_interaction` template_card whose buttons
 * carry short keys looked up in the stored card, a file as a `file` message (uploaded when sent), several
 * replies one after another.
 */
export function renderForWecom(to: string, reply: Reply, opts: { taskId?: string; duplicateCheckSeconds: number; miniprogramAppid?: string }): RenderedMessage[] {
  const dup = opts.duplicateCheckSeconds > 0 ? { enable_duplicate_check: 1, duplicate_check_interval: opts.duplicateCheckSeconds } : {};
  const texts = (t: string): RenderedMessage[] => splitText(t).map((content) => ({ payload: { touser: to, msgtype: 'text', text: { content }, ...dup } }));
  switch (reply.kind) {
    case 'text':
      return texts(reply.text);
    case 'markdown':
      if (bytes(reply.markdown) <= TEXT_MAX_BYTES) return [{ payload: { touser: to, msgtype: 'markdown', markdown: { content: reply.markdown }, ...dup } }];
      return texts(reply.fallback);
    case 'card': {
      if (reply.buttons.length === 0) return texts(reply.fallback);
      const taskId = opts.taskId ?? newTaskId();
      const buttons = reply.buttons.slice(0, MAX_BUTTONS).map((b, i) => ({ eventKey: `b${i}`, key: b.key, text: b.text, command: b.command, input: b.input, style: b.style }));
      const link = reply.open && opts.miniprogramAppid ? miniprogramLink(opts.miniprogramAppid, reply.open) : null;
      const card = { _id: taskId, to, title: reply.title, body: reply.body, buttons, link };
      const out: RenderedMessage[] = [];
      // A long body would be cut on the card: the full text goes first, the card keeps its start.
      if ([...reply.body].length > CARD_BODY_MAX) out.push(...texts(`${reply.title}\n${reply.body}`));
      out.push({ payload: { touser: to, msgtype: 'template_card', template_card: buttonCard(card), ...dup }, card });
      return out;
    }
    case 'file':
      // Too big or too small for WeCom: say where to get it instead.
      if (reply.data.length < FILE_MIN_BYTES || reply.data.length > FILE_MAX_BYTES) return texts(reply.fallback);
      // `file.media_id` is added at send time, after the upload.
      return [{ payload: { touser: to, msgtype: 'file', ...dup }, file: { fileName: reply.fileName, mime: reply.mime, data: reply.data } }];
    case 'several':
      return reply.replies.flatMap((r) => renderForWecom(to, r, { duplicateCheckSeconds: opts.duplicateCheckSeconds, miniprogramAppid: opts.miniprogramAppid }));
  }
}

/** A group robot's markdown holds 4096 bytes; appchat markdown is held to the same limit as text. */
export const ROBOT_MARKDOWN_MAX_BYTES = 4000;

/**
 * A Reply as bodies for a group (appchat/send, with `chatid`) or a group robot (webhook, without): text split
 * under the size limit, markdown when it fits, a card as its fallback text (groups get no button cards:
 * a click could not be tied to one person's task).
 */
export function renderForGroup(reply: Reply, opts: { chatid?: string; markdownMaxBytes?: number }): Record<string, unknown>[] {
  const base = opts.chatid ? { chatid: opts.chatid } : {};
  const texts = (t: string) => splitText(t).map((content) => ({ ...base, msgtype: 'text', text: { content } }));
  switch (reply.kind) {
    case 'text':
      return texts(reply.text);
    case 'markdown':
      if (bytes(reply.markdown) <= (opts.markdownMaxBytes ?? TEXT_MAX_BYTES)) return [{ ...base, msgtype: 'markdown', markdown: { content: reply.markdown } }];
      return texts(reply.fallback);
    case 'card':
    case 'file':
      return texts(reply.fallback);
    case 'several':
      return reply.replies.flatMap((r) => renderForGroup(r, opts));
  }
}
