import type { NotificationAction, NotificationCardData } from '../../core/presenters/notification-card';

/**
 * The card for what a notification asks (its `data.action`). Buttons run the same commands as chat; a
 * command that needs a comment (reject, return: `needs` on its spec) is asked for by the chat engine when
 * the button is pressed. `open` is the subject's page in the mini-program.
 */
export function cardForAction(action: NotificationAction): NotificationCardData | undefined {
  switch (action.kind) {
    case 'request.decide': {
      const { id } = action;
      return {
        title: 'bot:requests.card.title',
        hint: 'bot:requests.card.hint',
        buttons: [
          { key: 'approve', text: 'bot:requests.card.approve', command: 'request.approve', input: { id } },
          { key: 'reject', text: 'bot:card_comment.reject_button', command: 'request.reject', input: { id } },
          { key: 'return', text: 'bot:card_comment.return_button', command: 'request.return', input: { id } },
          { key: 'show', text: 'bot:requests.card.show', command: 'request.show', input: { id } },
        ],
        open: { page: 'pages/request/index', query: { id }, text: 'bot:card_comment.open_miniprogram' },
      };
    }
    case 'complaint.transferred': {
      const { ref } = action;
      return {
        title: 'bot:complaint.card_title',
        // Answering takes text: the hint says what to type, and the report's page in the mini-program has the box for it.
        hint: 'bot:complaint.card_answer_hint',
        buttons: [
          { key: 'show', text: 'bot:complaint.card_show', command: 'complaint.show', input: { ref } },
          { key: 'not_ours', text: 'bot:complaint.card_not_ours', command: 'complaint.return', input: { ref, reason: 'bot:complaint.not_ours_reason' } },
        ],
        open: { page: 'pages/complaints/index', query: { ref }, text: 'bot:card_comment.open_miniprogram' },
      };
    }
    case 'notice.ack':
      return {
        title: `bot:notices.card_title.${action.noticeKind}`,
        hint: 'bot:notices.ack_hint',
        buttons: [{ key: 'ack', text: 'bot:notices.ack_button', command: 'notice.ack', input: { id: action.id } }],
        open: { page: 'pages/notices/index', query: { id: action.id }, text: 'bot:card_comment.open_miniprogram' },
      };
    default:
      return undefined;
  }
}

/** A stored notification's card: built from its action, or (stored before actions existed) the card it carries. */
export function cardOf(data: Record<string, unknown> | null | undefined): NotificationCardData | undefined {
  const action = data?.action as NotificationAction | undefined;
  if (action && typeof action === 'object' && typeof action.kind === 'string') return cardForAction(action);
  return data?.card as NotificationCardData | undefined;
}
