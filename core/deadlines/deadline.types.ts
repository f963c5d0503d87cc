import type { Audience } from '../complaints/complaint.types';
import type { PersonRef } from '../complaints/complaint.ports';

/** What an open deadline belongs to. Error reports first; approval steps, obligations, checks and offline windows can follow. */
export type DeadlineKind = 'complaint';

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
  /** Which duty (`transfer`, `answer`, …): a subject has one deadline per stage. */
  stage: string;
  /** The workflow state that holds the deadline open (an error report's `unmatched` / `received` / `transferred`). */
  state: string;
  /** The people's reference of the subject (the platform id of an error report). */
  ref: string;
  dueAt: Date;
  siteId: string | null;
  siteName: string | null;
  /** The supervising unit of the site: whose supervisors transfer, and hear of a late answer. */
  unitCode: string | null;
  /** The site's scopeUnits, for "my subtree's deadlines" lists. */
  scopeUnits: string[];
  /** Who acts on it, resolved to people when needed; null when nobody is bound to act (escalate it). */
  acts: Audience | null;
  /** The subject's version this entry was set from: an older writer never overwrites a newer entry. */
  version: number;
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

/** A stable text for an audience, so cached people are known to be for the audience an entry names now. */
export const audienceKey = (a: Audience | null): string =>
  a === null ? '-' : a.kind === 'site_admins' ? `s:${a.siteId}` : a.kind === 'supervisors' ? `u:${a.unitCode}` : 'p';

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

/** The audiences these entries name, for one people query per role kind. */
export function audiencesOf(entries: readonly { acts: Audience | null }[]): { sites: string[]; units: string[]; province: boolean } {
  const sites = new Set<string>();
  const units = new Set<string>();
  let province = false;
  for (const e of entries) {
    if (e.acts?.kind === 'site_admins') sites.add(e.acts.siteId);
    else if (e.acts?.kind === 'supervisors') units.add(e.acts.unitCode);
    else if (e.acts?.kind === 'province_admins') province = true;
  }
  return { sites: [...sites], units: [...units], province };
}
