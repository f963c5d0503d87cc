/**
 * A notification that asks for an answer carries `data.card` (i18n keys, rendered by bot/render/notification.render.ts in the
 * reader's locale): it goes out as a card whose buttons run a command — acknowledge a notice, approve a
 * request, show or return an error report. A button's input may name an i18n key (`bot:…`) as well.
 */
export interface NotificationCardData {
  title: string;
  hint?: string;
  buttons: { key: string; text: string; command: string; input: Record<string, unknown> }[];
  /** The mini-program page the card is about (`text` an i18n key); channels that can, link it. */
  open?: { page: string; query: Record<string, string>; text: string };
}
