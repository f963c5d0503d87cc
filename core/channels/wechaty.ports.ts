/**
 * What the Wechaty channel (bot/wechaty) keeps in MongoDB, as a port: message dedup keys, contacts bound to
 * users and rooms bound to units. store/wechaty.store.ts implements it; the composition root
 * (lib/services.ts) hands it to the channel, which imports no store/ module.
 */

/**
 * One Wechaty message we acted on, keyed by the puppet's message id. Puppets re-deliver messages (the same
 * message fires twice; old ones replay after a restart): the unique `_id` makes the second delivery, here or
 * in another instance, lose the insert and run nothing.
 */
export interface WechatyInboundDoc {
  _id: string;
  talkerId: string;
  roomId?: string;
  receivedAt: Date;
}

/** What redeeming a binding code gave: the user now bound, or why not. */
export type RedeemResult =
  | { ok: true; userid: string; replaced: boolean }
  | { ok: false; reason: 'invalid' | 'expired' | 'contact_bound' };

/** The Wechaty channel's storage port (store/wechaty.store.ts). */
export interface WechatyStore {
  /** Creates the collections' indexes even if the models were loaded after the connection was made. */
  ensureIndexes(): Promise<void>;
  /** True for the first caller with this message id; false for a re-delivery or a second instance. */
  claimWechatyMessage(messageId: string, doc: Omit<WechatyInboundDoc, '_id'>): Promise<boolean>;
  useridOfContact(contactId: string): Promise<string | undefined>;
  contactOfUserid(userid: string): Promise<string | undefined>;
  /** Redeems a code for a contact: works once, and only before the code expires. */
  redeemBindingCode(input: string, contact: { id: string; name?: string }, now?: Date): Promise<RedeemResult>;
  /** Every room bound to the unit (usually one). */
  roomsOfUnit(unitCode: string): Promise<string[]>;
}
