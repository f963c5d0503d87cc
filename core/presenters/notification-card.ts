/**
 * What a notification asks its reader to do, as data (`data.action` on the stored notification): the
 * workflow says which decision or acknowledgement it waits for, and bot/render/notification-cards.ts turns
 * it into a card with buttons in the reader's language. Nothing outside bot/ builds a card.
 */
export type NotificationAction =
  /** An approver's turn on a request (approve / reject / return / details). */
  | { kind: 'request.decide'; id: string }
  /** An error report transferred to a site: its admins show it or return it as not theirs. */
  | { kind: 'complaint.transferred'; ref: string }
  /** A notice that asks for an acknowledgement. */
  | { kind: 'notice.ack'; id: string; noticeKind: string };

/**
 * A card as the channels render it (i18n keys, rendered by bot/render/notification.render.ts in the reader's
 * locale): its buttons run commands — acknowledge a notice, approve a request, show or return an error
 * report. A button's input may name an i18n key (`bot:…`) as well. Notifications stored before actions
 * existed carry one of these as `data.card`; they still render.
 */
export interface NotificationCardData {
  title: string;
  hint?: string;
  buttons: { key: string; text: string; command: string; input: Record<string, unknown> }[];
  /** The mini-program page the card is about (`text` an i18n key); channels that can, link it. */
  open?: { page: string; query: Record<string, string>; text: string };
}
