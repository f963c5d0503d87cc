import mongoose, { Schema } from 'mongoose';

/**
 * A Wechaty contact bound to a registry user: `_id` is the contact id (one contact, one user) and `userid` is
 * unique too (one user, one contact; binding a new contact replaces the old one).
 */
export interface WechatyBindingDoc {
  _id: string;
  userid: string;
  /** The contact's display name when it was bound, for operators reading the collection. */
  contactName?: string;
  boundAt: Date;
}

const bindingSchema = new Schema<WechatyBindingDoc>(
  { _id: String, userid: { type: String, required: true }, contactName: String, boundAt: { type: Date, required: true } },
  { versionKey: false },
);
bindingSchema.index({ userid: 1 }, { unique: true });

export const WechatyBindingModel = mongoose.model<WechatyBindingDoc>('WechatyBinding', bindingSchema, 'wechaty_bindings');

/** A one-time binding code issued to a registered user on another channel (shell, WeCom); `_id` is its SHA-256. */
export interface WechatyBindingCodeDoc {
  _id: string;
  userid: string;
  issuedAt: Date;
  expiresAt: Date;
}

const codeSchema = new Schema<WechatyBindingCodeDoc>(
  { _id: String, userid: { type: String, required: true }, issuedAt: { type: Date, required: true }, expiresAt: { type: Date, required: true } },
  { versionKey: false },
);
codeSchema.index({ expiresAt: 1 });

export const WechatyBindingCodeModel = mongoose.model<WechatyBindingCodeDoc>('WechatyBindingCode', codeSchema, 'wechaty_binding_codes');

/**
 * The use of a code: its `_id` is the code's hash, so of two contacts redeeming one code at once only one insert
 * succeeds (an insert on a unique key is the one exactly-once guard the database keeps under races).
 */
export interface WechatyBindingCodeUseDoc {
  _id: string;
  contactId: string;
  usedAt: Date;
}

export const WechatyBindingCodeUseModel = mongoose.model<WechatyBindingCodeUseDoc>(
  'WechatyBindingCodeUse',
  new Schema<WechatyBindingCodeUseDoc>({ _id: String, contactId: { type: String, required: true }, usedAt: { type: Date, required: true } }, { versionKey: false }),
  'wechaty_binding_code_uses',
);
