import mongoose, { Schema } from 'mongoose';

/**
 * One mini-program credential, stored only as its sha256: a short-lived session token (`access`), the refresh
 * token that renews it (`refresh`, used once: each use rotates it), or a bind ticket (`bind`) that a WeChat
 * identity not yet bound to a registry user holds while it enters its binding code. Tokens of one login share
 * a `family`, so a replayed refresh token revokes the whole login.
 */
export interface MpTokenDoc {
  hash: string;
  kind: 'access' | 'refresh' | 'bind';
  family: string;
  /** The registry user (access, refresh). */
  userid?: string;
  /** The WeChat openid (bind tickets, and the sessions it turned into). */
  openid?: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const mpTokenSchema = new Schema<MpTokenDoc>(
  {
    hash: { type: String, required: true },
    kind: { type: String, required: true, enum: ['access', 'refresh', 'bind'] },
    family: { type: String, required: true },
    userid: { type: String },
    openid: { type: String },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
mpTokenSchema.index({ hash: 1 }, { unique: true });
mpTokenSchema.index({ family: 1 });

export const MpTokenModel = mongoose.model<MpTokenDoc>('MpToken', mpTokenSchema, 'mp_tokens');

/** A one-time code the bot gives a user in chat, to bind their WeChat openid to them. Stored hashed. */
export interface MpBindingCodeDoc {
  hash: string;
  userid: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

const bindingCodeSchema = new Schema<MpBindingCodeDoc>(
  {
    hash: { type: String, required: true },
    userid: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
bindingCodeSchema.index({ hash: 1 }, { unique: true });

export const MpBindingCodeModel = mongoose.model<MpBindingCodeDoc>('MpBindingCode', bindingCodeSchema, 'mp_binding_codes');

/** A WeChat openid bound to a registry user (once; unique on the openid). */
export interface MpIdentityDoc {
  appid: string;
  openid: string;
  userid: string;
  boundAt: Date;
}

const identitySchema = new Schema<MpIdentityDoc>(
  {
    appid: { type: String, required: true },
    openid: { type: String, required: true },
    userid: { type: String, required: true },
    boundAt: { type: Date, required: true },
  },
  { versionKey: false },
);
identitySchema.index({ appid: 1, openid: 1 }, { unique: true });

export const MpIdentityModel = mongoose.model<MpIdentityDoc>('MpIdentity', identitySchema, 'mp_identities');

/**
 * Spent one-time secrets (refresh tokens, binding codes, bind tickets), keyed by their hash: the secret is the
 * natural key, so whoever inserts it spent the secret; everyone else finds it spent.
 */
export interface MpSpentDoc {
  _id: string;
  at: Date;
}

export const MpSpentModel = mongoose.model<MpSpentDoc>('MpSpent', new Schema<MpSpentDoc>({ _id: String, at: Date }, { versionKey: false }), 'mp_spent');
