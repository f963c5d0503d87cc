import type { PersonRef } from '../complaints/complaint.ports';
import type { NotificationIntent } from './reminder.plan';

/** Who holds which role, for the jobs that remind and escalate (store/reminder.repo.ts). Inactive users are left out. */
export interface PeopleDirectory {
  activeSiteAdmins(): Promise<PersonRef[]>;
  activeProvinceAdmins(): Promise<PersonRef[]>;
  /** Site id → its active admins, each person once. */
  siteAdminsBySite(siteIds: readonly string[]): Promise<Map<string, PersonRef[]>>;
  /** Unit code → its active supervisors, each person once. */
  supervisorsByUnit(units: readonly string[]): Promise<Map<string, PersonRef[]>>;
}

/** A daily job's "done today" marker: spares later runs the scan (unique keys are what make a job exactly-once). */
export interface RunMarkers {
  done(id: string): Promise<boolean>;
  mark(id: string, at: Date): Promise<void>;
}

/** Stores planned notifications; each (key, userid) once — an existing one counts as `existing`. */
export interface NotificationWriter {
  insert(intents: readonly NotificationIntent[], now: Date): Promise<{ inserted: number; existing: number }>;
}
