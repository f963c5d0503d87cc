import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { DomainError, ValidationError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { buildCtx } from '../../lib/command-context';
import { translatorFor } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import { claimWecomCard, findWecomCard, releaseWecomCard } from '../../store/wecom-card.model';
import type { ChatEngine } from '../chat-engine';
import { hasRenderer, renderError, renderResult } from '../render/index';
import { replyText, text, type Reply } from '../reply';
import type { InboundMessage } from './callback';
import { buttonCard, CARD_BODY_MAX, clip, splitText } from './message';
import type { WecomOutbox } from './outbox';
import type { WecomSettings } from './settings';
import { xmlText } from './xml';

export interface InboundOptions {
  settings: WecomSettings;
  deps: Deps;
  engine: ChatEngine;
  outbox: WecomOutbox;
  logger: Logger;
  now?: () => Date;
}

/**
 * What a callback means once it is accepted: a text line goes through the chat engine (identity, parse,
 * command, render) and its answer into the outbox; a card click runs the button's command through the same
 * command layer and updates the card. Everything else is ignored, politely.
 */
export function createInboundHandler(opts: InboundOptions) {
  const { settings: s, deps, engine, outbox, logger } = opts;
  const now = opts.now ?? (() => new Date());

  const refusal = (userid: string): Reply => text(translatorFor(s.defaultLocale)('errors:unknown_user', { userid }));

  async function onText(msg: InboundMessage, content: string): Promise<void> {
    const reply = await engine.handle({ userid: msg.from, text: content, source: 'wecom', requestId: msg.requestId });
    await outbox.enqueue(msg.from, reply, `r:${msg.key}`);
  }

  async function onCardClick(msg: InboundMessage): Promise<void> {
    const taskId = xmlText(msg.fields, 'TaskId') ?? '';
    const eventKey = xmlText(msg.fields, 'EventKey') ?? '';
    const responseCode = xmlText(msg.fields, 'ResponseCode');
    const card = await findWecomCard(taskId);
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
    const ctx = buildCtx(user, 'wecom', deps, { requestId: msg.requestId });
    const claimed = await claimWecomCard(taskId, msg.from, eventKey, now());
    if (!claimed) {
      await outbox.enqueue(msg.from, text(ctx.t('bot:wecom_card_already_done', { title: card.title })), `c:${msg.key}`);
      return;
    }
    const spec = commandById(button.command);
    let result: Reply;
    try {
      if (!spec) throw new Error(`card button runs unknown command ${button.command}`);
      const out = await runCommand(spec, button.input, ctx);
      result = hasRenderer(spec.id) ? renderResult(spec.id, out, ctx.t) : text(ctx.t('bot:wecom_card_done_generic'));
      logger.info({ requestId: msg.requestId, source: 'wecom', userid: user.userid, command: spec.id, taskId }, 'card command');
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ValidationError)) logger.error({ err, requestId: msg.requestId, command: button.command }, 'card command failed');
      // Refused: the card stays clickable (each click brings a fresh response code), the reason goes as a message.
      await releaseWecomCard(taskId, msg.from);
      await outbox.enqueue(msg.from, renderError(err, ctx.t, msg.requestId), `c:${msg.key}`);
      return;
    }
    const resultText = replyText(result);
    const actedBy = ctx.t('bot:wecom_card_acted_by', { name: user.name, button: button.text });
    const fallbackText = splitText(`${card.title}\n${resultText}\n${actedBy}`)[0]!;
    const fallback = { touser: msg.from, msgtype: 'text', text: { content: fallbackText } };
    if (!responseCode) {
      await outbox.enqueueRaw([{ id: `c:${msg.key}:0`, kind: 'send', to: msg.from, payload: fallback }]);
      return;
    }
    const template_card = buttonCard(card, {
      sub_title_text: clip(resultText, CARD_BODY_MAX),
      horizontal_content_list: [{ keyname: ctx.t('bot:wecom_card_acted_by_label'), value: user.name }],
      replace_text: clip(ctx.t('bot:wecom_card_done', { button: button.text }), 10),
    });
    await outbox.enqueueRaw([
      { id: `c:${msg.key}:0`, kind: 'update_card', to: msg.from, payload: { userids: [msg.from], response_code: responseCode, template_card }, fallback },
    ]);
    // The card shows the start of the answer; a longer one also arrives in full.
    if ([...resultText].length > CARD_BODY_MAX) await outbox.enqueue(msg.from, result, `c:${msg.key}:full`);
  }

  return async function handle(msg: InboundMessage): Promise<void> {
    const type = xmlText(msg.fields, 'MsgType');
    if (type === 'text') return onText(msg, xmlText(msg.fields, 'Content') ?? '');
    if (type === 'event') {
      const event = xmlText(msg.fields, 'Event');
      if (event === 'template_card_event') return onCardClick(msg);
      logger.debug({ requestId: msg.requestId, wecom: { event } }, 'WeCom event ignored');
      return;
    }
    // Pictures, voice, files…: only text commands are understood.
    const user = await deps.users.byUserid(msg.from);
    const reply = user?.active ? text(translatorFor(user.locale)('bot:wecom_text_only')) : refusal(msg.from);
    await outbox.enqueue(msg.from, reply, `r:${msg.key}`);
  };
}
