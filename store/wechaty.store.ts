import type { WechatyStore } from '../core/channels/wechaty.ports';
import { contactOfUserid, ensureWechatyIndexes, redeemBindingCode, roomsOfUnit, useridOfContact } from './wechaty-binding';
import { claimWechatyMessage } from './wechaty-inbound.model';

export type { WechatyStore } from '../core/channels/wechaty.ports';

/**
 * Everything the Wechaty channel (bot/wechaty) keeps in MongoDB: message dedup keys, contacts bound to users
 * and rooms bound to units — the port of core/channels/wechaty.ports.ts. The channel gets it from the
 * composition root (lib/services.ts).
 */
export const wechatyStore: WechatyStore = {
  ensureIndexes: ensureWechatyIndexes,
  claimWechatyMessage,
  useridOfContact,
  contactOfUserid,
  redeemBindingCode,
  roomsOfUnit,
};
