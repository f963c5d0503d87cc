/**
 * The people and the trail every workflow shares (requests, checks, and whatever comes next): one `Who`, one
 * `AuditEntry`, so a presenter or a renderer reads any workflow's history the same way.
 */

/** A person as a workflow remembers them: the registry userid and the name at the time (users may be renamed later). */
export interface Who {
  userid: string;
  name: string;
}

/** Timers and jobs act as the system. */
export const SYSTEM: Who = { userid: 'system', name: 'system' };

/**
 * One line of a workflow's audit trail: who moved it from which state to which, when, through which channel
 * (`source`: chat, api, job…), by which action, with the comment they gave. `S` is the workflow's states.
 */
export interface AuditEntry<S extends string = string> {
  at: Date;
  by: Who;
  source: string;
  action: string;
  from: S | null;
  to: S;
  /** The approval step acted on, for workflows with steps. */
  step?: number;
  comment?: string;
}
