import { chinaDateOf, chinaStartOf, formatDayNumber, dayNumberOf, MS_PER_DAY } from '../calendar/civil-date';
import type { InspectionProfile } from './inspection.types';

/**
 * A stable default offset for a site's probes: a hash of its id, folded into one probe interval, so 14,000
 * sites' probes spread over the day instead of all firing on the hour, and a site keeps its times from one
 * deployment to the next (no randomness, no stored state).
 */
export function defaultOffsetMinutes(siteId: string, probesPerDay: number): number {
  // FNV-1a, 32 bits: cheap and well spread for short ids.
  let h = 0x811c9dc5;
  for (let i = 0; i < siteId.length; i++) {
    h ^= siteId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const interval = Math.max(1, Math.floor(1440 / Math.max(1, probesPerDay)));
  return h % interval;
}

/** The probe interval of a profile in milliseconds (72 minutes for 20 a day). */
export const probeIntervalMs = (probesPerDay: number): number => Math.floor(MS_PER_DAY / Math.max(1, probesPerDay));

/**
 * The probe slots of one China-local day: `probesPerDay` instants evenly spaced from the profile's offset after
 * China midnight. The offset is folded into one interval, so every slot lies in the day and the slots are in order.
 */
export function planProbes(profile: Pick<InspectionProfile, 'probesPerDay' | 'offsetMinutes'>, day: string): Date[] {
  const n = Math.max(1, Math.floor(profile.probesPerDay));
  const interval = probeIntervalMs(n);
  const offset = (Math.max(0, profile.offsetMinutes) * 60_000) % interval;
  const start = chinaStartOf(day).getTime() + offset;
  return Array.from({ length: n }, (_, i) => new Date(start + i * interval));
}

/** The slots that fell due in (`after`, `until`]: what a probe run owes, across China midnight if need be. */
export function dueSlots(profile: Pick<InspectionProfile, 'probesPerDay' | 'offsetMinutes'>, after: Date, until: Date): Date[] {
  const out: Date[] = [];
  for (let d = dayNumberOf(chinaDateOf(after)); d <= dayNumberOf(chinaDateOf(until)); d++) {
    for (const at of planProbes(profile, formatDayNumber(d))) if (at > after && at <= until) out.push(at);
  }
  return out;
}

/** A probe slot's id, `${siteId}:${slotStart ISO}`: the one key two instances both compute for the same probe. */
export const probeSlotId = (siteId: string, slotStart: Date): string => `${siteId}:${slotStart.toISOString()}`;

/** The site and start of a probe slot id; undefined when it is not one. */
export function parseProbeSlot(slot: string): { siteId: string; at: Date } | undefined {
  const m = /^(.+):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/.exec(slot);
  if (!m) return undefined;
  const at = new Date(m[2]!);
  return Number.isNaN(at.getTime()) ? undefined : { siteId: m[1]!, at };
}
