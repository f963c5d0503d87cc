import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import { UserModel, type UserDoc } from './user.model';
import type { WecomAppchatDoc } from '../core/channels/wecom.ports';
export type { WecomAppchatDoc } from '../core/channels/wecom.ports';

const schema = new Schema<WecomAppchatDoc>(
  {
    _id: String,
    chatid: { type: String, required: true },
    name: { type: String, required: true },
    owner: { type: String, required: true },
    members: { type: [String], default: [] },
    status: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    activeAt: { type: Date, default: null },
  },
  { versionKey: false },
);
schema.index({ chatid: 1 }, { unique: true });

export const WecomAppchatModel = mongoose.model<WecomAppchatDoc>('WecomAppchat', schema, 'wecom_appchats');

export async function findWecomAppchat(unitCode: string): Promise<WecomAppchatDoc | null> {
  return WecomAppchatModel.findById(unitCode).lean<WecomAppchatDoc>();
}

/** True for the one caller that may create the unit's group; false when a group (or its creation) exists. */
export async function claimWecomAppchat(doc: Omit<WecomAppchatDoc, 'status' | 'activeAt'>): Promise<boolean> {
  try {
    await WecomAppchatModel.create({ ...doc, status: 'creating', activeAt: null });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export async function activateWecomAppchat(unitCode: string, at: Date, set: Partial<Pick<WecomAppchatDoc, 'members' | 'owner' | 'name'>> = {}): Promise<void> {
  await WecomAppchatModel.updateOne({ _id: unitCode }, { $set: { ...set, status: 'active', activeAt: at } });
}

/** After WeCom refused the creation: lets the next attempt claim it again. */
export async function releaseWecomAppchat(unitCode: string): Promise<void> {
  await WecomAppchatModel.deleteOne({ _id: unitCode, status: 'creating' });
}

/**
 * Active users who administer one of `siteIds` or supervise one of `unitCodes`, by userid (sorted). Two
 * plain queries rather than an `$or`, which FerretDB v1 cannot push down.
 */
export async function usersWithRoles(q: { siteIds: string[]; unitCodes: string[] }): Promise<string[]> {
  const found = new Set<string>();
  const take = (docs: Pick<UserDoc, 'userid'>[]) => docs.forEach((d) => found.add(d.userid));
  if (q.siteIds.length) take(await UserModel.find({ active: true, 'roles.siteId': { $in: q.siteIds } }, { userid: 1 }).lean<Pick<UserDoc, 'userid'>[]>());
  if (q.unitCodes.length) {
    const docs = await UserModel.find({ active: true, 'roles.unitCode': { $in: q.unitCodes } }, { userid: 1, roles: 1 }).lean<Pick<UserDoc, 'userid' | 'roles'>[]>();
    // Only the supervisor role counts: `unitCode` is the supervisor binding's field.
    take(docs.filter((d) => d.roles.some((r) => r.role === 'supervisor' && q.unitCodes.includes(r.unitCode ?? ''))));
  }
  return [...found].sort();
}
