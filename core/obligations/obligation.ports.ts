import type { TrackingSince } from './tracking';
import type { ObligationConfig, ObligationId } from './obligation.config';
import type { SubjectKind } from './obligation.schedule';

/** Who acknowledged, as the record remembers them. */
export interface AckBy {
  userid: string;
  name: string;
}

/** One acknowledged occurrence of an obligation for one site or unit; stored once under its unique `key`. */
export interface ObligationAck {
  key: string;
  obligation: ObligationId;
  subjectKind: SubjectKind;
  subjectId: string;
  subjectName: string;
  period: string;
  dueDate: string;
  by: AckBy;
  at: Date;
  note: string | null;
  /** Acknowledged on or before the due day (China time). */
  onTime: boolean;
  source: string;
}

export interface ObligationRepo {
  /** The deployment's dates (STEWARD_OBLIGATIONS), validated at start. */
  config(): ObligationConfig;
  /** Inserts the acknowledgement under its unique key; when it exists already, returns the stored one and `created: false`. */
  acknowledge(ack: ObligationAck): Promise<{ created: boolean; ack: ObligationAck }>;
  /** The stored acknowledgements among these keys, in one query. */
  acksByKeys(keys: string[]): Promise<Map<string, ObligationAck>>;
  /**
   * The day tracking started (STEWARD_TRACKING_SINCE, else the database's creation day recorded at first
   * start): occurrences due before it are not tracked (core/obligations/tracking.ts). Null when not recorded.
   */
  trackingSince(): Promise<TrackingSince>;
}
