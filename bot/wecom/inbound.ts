import type { Translate } from '../../core/i18n';
import type { Deps } from '../../core/ports';
import { translatorFor } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import type { AnsweredPrompt, ChatEngine, ChatTurn } from '../chat-engine';
import { replyText, text, type Reply } from '../reply';
import type { WecomCard, WecomCardStore } from './cards';
import type { InboundMessage } from './callback';
import { buttonCard, CARD_BODY_MAX, clip, splitText } from './message';
import type { WecomOutbox } from './outbox';
import type { WecomSettings } from './settings';
import { xmlText } from './xml';
import { commandOfMenuKey } from './menu';
import { commandById } from '../../core/commands/registry';

/** What a menu key runs: its command's first word (any locale's word starts the command for anyone). */
function menuWordOf(key: string): string | undefined {
  const id = commandOfMenuKey(key);
  const words = id ? commandById(id)?.chat?.words : undefined;
  return words?.['zh-CN']?.[0] ?? words?.en?.[0];
}

export interface InboundOptions {
  settings: WecomSettings;
  deps: Deps;
  engine: ChatEngine;
  outbox: WecomOutbox;
  /** The cards we sent, for what a click means and to claim a card once. */
  cards: WecomCardStore;
  logger: Logger;
  now?: () => Date;
}

/** What a pending prompt started from a card click remembers (bot/pending-comment.ts `context`). */
interface CardPromptContext {
  kind: 'wecom_card';
  taskId: string;
  eventKey: string;
  /** The click's one-use response code, kept for the update once the comment has run. */
  responseCode: string | null;
}

const cardPromptOf = (c: Record<string, unknown>): CardPromptContext | undefined =>
  c.kind === 'wecom_card' && typeof c.taskId === 'string' && typeof c.eventKey === 'string' ? (c as unknown as CardPromptContext) : undefined;

/**
 * What a callback means once it is accepted: a text line goes through the chat engine (identity, parse,
 * command, render) and its answer into the outbox; a card click runs the button's command through the same
 * command layer and updates the card. A button that needs a comment (reject, return) asks for it instead,
 * and the comment, the person's next text, runs the command and updates the card the same way. Everything
 * else is ignored, politely.
 */
export function createInboundHandler(opts: InboundOptions) {
  const { settings: s, deps, engine, outbox, logger } = opts;
  const now = opts.now ?? (() => new Date());

  const refusal = (userid: string): Reply => text(translatorFor(s.defaultLocale)('errors:unknown_user', { userid }));

  async function onText(msg: InboundMessage, content: string): Promise<void> {
    const turn: ChatTurn = await engine.turn({ userid: msg.from, text: content, source: 'wecom', requestId: msg.requestId, messageId: msg.key });
    const fromCard = turn.answered && cardPromptOf(turn.answered.prompt.context);
    if (turn.answered && fromCard) return finishCardPrompt(msg, turn.answered, fromCard, turn.reply);
    await outbox.enqueue(msg.from, turn.reply, `r:${msg.key}`);
  }

  /**
   * The comment a card's reject/return asked for has run its command: on success the card shows the result
   * and who acted (with the response code of the click that asked, used once), as after any other click;
   * refused, the card stays clickable and the reason goes as a message.
   */
  async function finishCardPrompt(msg: InboundMessage, answered: AnsweredPrompt, c: CardPromptContext, result: Reply): Promise<void> {
    const key = `r:${msg.key}`;
    const card = answered.ok ? await opts.cards.claim(c.taskId, msg.from, c.eventKey, now()) : null;
    if (!card) {
      await outbox.enqueue(msg.from, result, key);
      return;
    }
    const t = translatorFor(answered.by.locale);
    const extra = [{ keyname: t('bot:card_comment.comment_label'), value: clip(answered.comment, 26) }];
    await finishCard({ card, buttonText: answered.prompt.label, byName: answered.by.name, result, responseCode: c.responseCode, key, t, extra, to: msg.from });
  }

  /** Updates a card after its command ran (result, who acted); a new message when it has no response code. */
  async function finishCard(o: {
    card: Pick<WecomCard, '_id' | 'title' | 'body' | 'buttons' | 'link'>;
    buttonText: string;
    byName: string;
    result: Reply;
    responseCode: string | null | undefined;
    key: string;
    t: Translate;
    extra?: { keyname: string; value: string }[];
    to: string;
  }): Promise<void> {
    const resultText = replyText(o.result);
    const actedBy = o.t('bot:wecom_card_acted_by', { name: o.byName, button: o.buttonText });
    const fallbackText = splitText(`${o.card.title}\n${resultText}\n${actedBy}`)[0]!;
    const fallback = { touser: o.to, msgtype: 'text', text: { content: fallbackText } };
    if (!o.responseCode) {
      await outbox.enqueueRaw([{ id: `${o.key}:0`, kind: 'send', to: o.to, payload: fallback }]);
      return;
    }
    const template_card = buttonCard(o.card, {
      sub_title_text: clip(resultText, CARD_BODY_MAX),
      horizontal_content_list: [{ keyname: o.t('bot:wecom_card_acted_by_label'), value: o.byName }, ...(o.extra ?? [])],
      replace_text: clip(o.t('bot:wecom_card_done', { button: o.buttonText }), 10),
    });
    await outbox.enqueueRaw([
      { id: `${o.key}:0`, kind: 'update_card', to: o.to, payload: { userids: [o.to], response_code: o.responseCode, template_card }, fallback },
    ]);
    // The card shows the start of the answer; a longer one also arrives in full.
    if ([...resultText].length > CARD_BODY_MAX) await outbox.enqueue(o.to, o.result, `${o.key}:full`);
  }

  /**
   * A click on a card we sent: the button's command goes through the chat engine (`press`) like a typed
   * line. A command that needs a reason (reject, return) makes the engine ask for it; the card is claimed
   * only when the reason has run the command (`finishCardPrompt`). Any other command claims the card first,
   * so two clicks (or two people) cannot both act; refused, the card is released and stays clickable.
   */
  async function onCardClick(msg: InboundMessage): Promise<void> {
    const taskId = xmlText(msg.fields, 'TaskId') ?? '';
    const eventKey = xmlText(msg.fields, 'EventKey') ?? '';
    const responseCode = xmlText(msg.fields, 'ResponseCode');
    const card = await opts.cards.find(taskId);
    const button = card?.buttons.find((b) => b.eventKey === eventKey);
    if (!card || !button || card.to !== msg.from) {
      logger.warn({ requestId: msg.requestId, wecom: { taskId, eventKey, from: msg.from } }, 'click on a card we do not know (or not sent to this user) ignored');
      return;
    }
    const user = await deps.users.byUserid(msg.from);
    if (!user || !user.active) {
      await outbox.enqueue(msg.from, refusal(msg.from), `c:${msg.key}`);
      return;
    }
    const t = translatorFor(user.locale);
    const press = {
      userid: user.userid,
      source: 'wecom' as const,
      command: button.command,
      input: button.input,
      label: button.text,
      subject: card.title,
      context: { kind: 'wecom_card', taskId, eventKey, responseCode: responseCode ?? null } satisfies CardPromptContext,
      requestId: msg.requestId,
    };
    const asks = engine.asks(button.command, button.input);
    if (asks ? Boolean(card.actedAt) : !(await opts.cards.claim(taskId, msg.from, eventKey, now()))) {
      await outbox.enqueue(msg.from, text(t('bot:wecom_card_already_done', { title: card.title })), `c:${msg.key}`);
      return;
    }
    const pressed = await engine.press(press);
    logger.info({ requestId: msg.requestId, source: 'wecom', userid: user.userid, command: button.command, taskId, asked: pressed.asked, ok: pressed.ok }, 'card click');
    if (pressed.asked || !pressed.ok) {
      // Asked for a reason, or refused: the card stays clickable (each click brings a fresh response code).
      if (!pressed.asked) await opts.cards.release(taskId, msg.from);
      await outbox.enqueue(msg.from, pressed.reply, `c:${msg.key}`);
      return;
    }
    await finishCard({ card, buttonText: button.text, byName: user.name, result: pressed.reply, responseCode, key: `c:${msg.key}`, t, to: msg.from });
  }

  /**
   * A click on the app menu (bot/wecom/menu.ts): its command's word goes through the chat engine exactly as if
   * the person had typed it — the same identity check, role gate, questions for what it needs — and the
   * answer goes back like any reply. A key that is not ours (an old menu) is ignored.
   */
  async function onMenuClick(msg: InboundMessage): Promise<void> {
    const key = xmlText(msg.fields, 'EventKey') ?? '';
    const word = menuWordOf(key);
    if (!word) {
      logger.warn({ requestId: msg.requestId, wecom: { eventKey: key, from: msg.from } }, 'click on a menu key we do not know ignored');
      return;
    }
    logger.info({ requestId: msg.requestId, source: 'wecom', userid: msg.from, wecom: { eventKey: key } }, 'menu click');
    await onText(msg, word);
  }

  return async function handle(msg: InboundMessage): Promise<void> {
    const type = xmlText(msg.fields, 'MsgType');
    if (type === 'text') return onText(msg, xmlText(msg.fields, 'Content') ?? '');
    if (type === 'event') {
      const event = xmlText(msg.fields, 'Event');
      if (event === 'template_card_event') return onCardClick(msg);
      // WeCom sends `click` for an app menu button (WeChat's own docs write CLICK).
      if (event?.toLowerCase() === 'click') return onMenuClick(msg);
      logger.debug({ requestId: msg.requestId, wecom: { event } }, 'WeCom event ignored');
      return;
    }
    // Pictures, voice, files…: only text commands are understood.
    const user = await deps.users.byUserid(msg.from);
    const reply = user?.active ? text(translatorFor(user.locale)('bot:wecom_text_only')) : refusal(msg.from);
    await outbox.enqueue(msg.from, reply, `r:${msg.key}`);
  };
}
