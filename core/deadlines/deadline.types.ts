import type { Audience } from '../complaints/complaint.types';
import type { PersonRef } from '../complaints/complaint.ports';

/**
 * What an open deadline belongs to: an error report's transfer or answer (`complaint`), an approval step's
 * review (`review`), an approved offline window's or a filed emergency shutdown's end (`outage`), a recurring
 * obligation's occurrence (`obligation`) and a site's quarterly check (`check`).
 */
export const DEADLINE_KINDS = ['complaint', 'review', 'outage', 'obligation', 'check'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * Who acts on an open deadline: an error report's audience, or the deciders of an approval step — its named
 * assignee after a 转办, otherwise the supervisors of its unit (and the province admins at the root step).
 */
export type DeadlineAudience = Audience | { kind: 'approvers'; unitCode: string; root: boolean; assignee: string | null };

/** Small facts of one kind of entry that its readers need (a step's unit name, an obligation's period…): flat, JSON-safe. */
export type DeadlineDetail = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One open deadline, as the register keeps it: small, so reading every open deadline is cheap on any
 * backend, and self-sufficient, so reminders, escalations, digests and the due lists never read a workflow's
 * documents. Its `id` is deterministic (`complaint:<id>:answer`): setting it again is idempotent, closing it
 * is a delete by `_id`.
 */
export interface OpenDeadline {
  id: string;
  kind: DeadlineKind;
  subjectId: string;
  /** Which duty (`transfer`, `answer`, `step-0`, `window`, …): a subject has one deadline per stage. */
  stage: string;
  /** The workflow state that holds the deadline open (an error report's `unmatched` / `received` / `transferred`). */
  state: string;
  /** The people's reference of the subject (the platform id of an error report, a request's id, a site's code). */
  ref: string;
  dueAt: Date;
  siteId: string | null;
  siteName: string | null;
  /** The supervising unit of the site: whose supervisors transfer, and hear of a late answer. */
  unitCode: string | null;
  /** The site's scopeUnits, for "my subtree's deadlines" lists. */
  scopeUnits: string[];
  /** Who acts on it, resolved to people when needed; null when nobody is bound to act (escalate it). */
  acts: DeadlineAudience | null;
  /** The subject's version this entry was set from: an older writer never overwrites a newer entry. */
  version: number;
  /** What this kind's readers need beyond the fields above; absent for error reports. */
  detail?: DeadlineDetail;
}

/**
 * The people who act, as last resolved for the entry (by a job, never on the workflow's write path), with the
 * audience they were resolved for and when: readers use them while fresh and resolve again otherwise.
 */
export interface CachedPeople {
  key: string;
  at: Date;
  list: PersonRef[];
}

export type RegisteredDeadline = OpenDeadline & { people: CachedPeople | null };

/** `complaint:<id>:answer`: the register's key of one deadline. */
export const deadlineId = (kind: DeadlineKind, subjectId: string, stage: string): string => `${kind}:${subjectId}:${stage}`;

/** The kind a register key belongs to (its first part). */
export function kindOfId(id: string): DeadlineKind {
  const kind = id.slice(0, id.indexOf(':'));
  if (!(DEADLINE_KINDS as readonly string[]).includes(kind)) throw new RangeError(`not a register key: ${id}`);
  return kind as DeadlineKind;
}

/**
 * A deadline with no date: an approval step filed before steps had review deadlines. It is registered (the
 * inbox lists it) but never due, so no reminder or escalation ever reads it.
 */
export const NO_DUE_DATE = new Date('9999-12-31T00:00:00.000Z');

/** A stable text for an audience, so cached people are known to be for the audience an entry names now. */
export function audienceKey(a: DeadlineAudience | null): string {
  if (a === null) return '-';
  switch (a.kind) {
    case 'site_admins':
      return `s:${a.siteId}`;
    case 'supervisors':
      return `u:${a.unitCode}`;
    case 'province_admins':
      return 'p';
    case 'approvers':
      return a.assignee ? `a:${a.assignee}` : `u:${a.unitCode}${a.root ? '+p' : ''}`;
  }
}

/**
 * How long resolved people stay good for a reader: a role given or taken away reaches reminders and digests
 * within this time even if the job that refreshes them stopped (it refreshes far more often).
 */
export const PEOPLE_MAX_AGE_MS = 60 * 60 * 1000;

/** The cached people of an entry when they are for its audience and recent enough; otherwise undefined (resolve). */
export function freshPeople(d: Pick<RegisteredDeadline, 'acts' | 'people'>, now: Date): PersonRef[] | undefined {
  if (!d.people || d.people.key !== audienceKey(d.acts)) return undefined;
  const age = now.getTime() - d.people.at.getTime();
  return age >= 0 && age <= PEOPLE_MAX_AGE_MS ? d.people.list : undefined;
}

/** The audiences these entries name, for one people query per role kind (and one for named users). */
export function audiencesOf(entries: readonly { acts: DeadlineAudience | null }[]): { sites: string[]; units: string[]; province: boolean; users: string[] } {
  const sites = new Set<string>();
  const units = new Set<string>();
  const users = new Set<string>();
  let province = false;
  for (const e of entries) {
    const a = e.acts;
    if (a?.kind === 'site_admins') sites.add(a.siteId);
    else if (a?.kind === 'supervisors') units.add(a.unitCode);
    else if (a?.kind === 'province_admins') province = true;
    else if (a?.kind === 'approvers') {
      if (a.assignee) users.add(a.assignee);
      else {
        units.add(a.unitCode);
        if (a.root) province = true;
      }
    }
  }
  return { sites: [...sites], units: [...units], province, users: [...users] };
}

/** The people of an audience from the people of each role (as `roleHolders` answers), each person once. */
export function peopleOfAudience(
  a: DeadlineAudience | null,
  who: { siteAdmins: ReadonlyMap<string, readonly PersonRef[]>; supervisors: ReadonlyMap<string, readonly PersonRef[]>; provinceAdmins: readonly PersonRef[]; users?: readonly PersonRef[] },
): PersonRef[] {
  if (!a) return [];
  switch (a.kind) {
    case 'site_admins':
      return [...(who.siteAdmins.get(a.siteId) ?? [])];
    case 'supervisors':
      return [...(who.supervisors.get(a.unitCode) ?? [])];
    case 'province_admins':
      return [...who.provinceAdmins];
    case 'approvers': {
      if (a.assignee) return (who.users ?? []).filter((p) => p.userid === a.assignee);
      const people = [...(who.supervisors.get(a.unitCode) ?? []), ...(a.root ? who.provinceAdmins : [])];
      return people.filter((p, i) => people.findIndex((q) => q.userid === p.userid) === i);
    }
  }
}
