import { Types } from 'mongoose';
import { chinaDateOf } from '../core/calendar/civil-date';
import type { TrackingSince } from '../core/obligations/tracking';
import { MetaModel } from './meta.model';
import { isDuplicateKey } from './duplicate-key';
import { SiteModel } from './site.model';
import { UserModel } from './user.model';

/** The meta marker holding the instant tracking started (its China-local day is the tracking start). */
export const TRACKING_SINCE_KEY = 'tracking_since';

let known: TrackingSince = null;

/**
 * The database's creation day as well as it can be told: the earliest of now, the first site's and user's
 * ObjectId time and the demo data's marker. A database in use before this marker existed keeps its history
 * tracked from when its registry was loaded, not from the upgrade.
 */
async function creationInstant(now: Date): Promise<Date> {
  const times = [now.getTime()];
  for (const first of [await SiteModel.findOne({}, { _id: 1 }).sort({ _id: 1 }).lean(), await UserModel.findOne({}, { _id: 1 }).sort({ _id: 1 }).lean()]) {
    if (first?._id instanceof Types.ObjectId) times.push(first._id.getTimestamp().getTime());
  }
  const seeded = await MetaModel.findById('demo_seed').lean();
  if (seeded?.at) times.push(seeded.at.getTime());
  return new Date(Math.min(...times));
}

/**
 * At start (lib/boot.ts): records once when this database started tracking deadlines. One insert under a
 * unique `_id`, so two processes starting together agree; a later start finds it and changes nothing.
 */
export async function ensureTrackingSince(now: Date): Promise<string> {
  const existing = await MetaModel.findById(TRACKING_SINCE_KEY).lean();
  if (existing) return chinaDateOf(existing.at);
  const at = await creationInstant(now);
  try {
    await MetaModel.create({ _id: TRACKING_SINCE_KEY, at });
    return chinaDateOf(at);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const won = await MetaModel.findById(TRACKING_SINCE_KEY).lean();
    return chinaDateOf(won?.at ?? at);
  }
}

/** The recorded tracking start, null before the first start recorded it. Once known it never changes, so it is kept. */
export async function storedTrackingSince(): Promise<TrackingSince> {
  if (known) return known;
  const doc = await MetaModel.findById(TRACKING_SINCE_KEY).lean();
  if (doc) known = chinaDateOf(doc.at);
  return known;
}
