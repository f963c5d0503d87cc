import { contactOfUserid, ensureWechatyIndexes, redeemBindingCode, roomsOfUnit, useridOfContact } from './wechaty-binding';
import { claimWechatyMessage } from './wechaty-inbound.model';

/**
 * Everything the Wechaty channel (bot/wechaty) keeps in MongoDB: message dedup keys, contacts bound to users
 * and rooms bound to units. The channel gets it from the composition root (lib/services.ts).
 */
export const wechatyStore = {
  ensureIndexes: ensureWechatyIndexes,
  claimWechatyMessage,
  useridOfContact,
  contactOfUserid,
  redeemBindingCode,
  roomsOfUnit,
};

/** The Wechaty channel's storage port. */
export type WechatyStore = typeof wechatyStore;
