import type { Locale } from '../config.schema';

/** 通知 (a notice) or 通报 (a criticism, art. 37). */
export const NOTICE_KINDS = ['notice', 'criticism'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Who reads it: people (the subtree's site admins, or the selected units' admins and supervisors) and/or bound groups. */
export const NOTICE_PEOPLE = ['admins', 'units', 'none'] as const;
export type NoticePeople = (typeof NOTICE_PEOPLE)[number];

export interface NoticeAudience {
  people: NoticePeople;
  /** Selected units (`people: 'units'`); for the others the sender's unit subtree. */
  units: string[];
  /** Also posted into the groups bound to the audience's units. */
  groups: boolean;
}

export interface NoticeWho {
  userid: string;
  name: string;
}

/**
 * A broadcast from a supervisor. `publishing` until every recipient's notification is stored, then
 * `published`; a notice left `publishing` by a crash is finished by the `notice-publish` job.
 */
export interface Notice {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  /** Bodies for foreign-language readers, by locale. */
  bodies: Partial<Record<Locale, string>>;
  requiresAck: boolean;
  audience: NoticeAudience;
  /** The sender's unit (its subtree is the scope); null: the whole province (province admins). */
  unitCode: string | null;
  unitName: string;
  by: NoticeWho;
  status: 'publishing' | 'published';
  createdAt: Date;
  publishedAt: Date | null;
  /** Stored at publication: people and group posts. */
  recipients: number;
  groups: number;
}

export interface NoticeRecipient {
  userid: string;
  name: string;
  locale: string;
}

/** One message to store, keyed `key` + `userid` (unique in storage). */
export interface NoticeMessage {
  key: string;
  userid: string;
  locale: string;
  kind: 'notice' | 'reminder' | 'escalation';
  template: string;
  params: Record<string, string>;
  subject: { kind: string; id: string };
  data: Record<string, unknown> | null;
}

/** Delivery state of one notice's messages, as the delivery engine left them. */
export interface NoticeDeliveryCounts {
  recipients: number;
  delivered: number;
  pending: number;
  failed: number;
  inApp: number;
  groups: number;
  groupsDelivered: number;
}

/** Storage of notices, their recipients' messages and acknowledgements; bulk operations only. */
/** One notice received: the notice, when its message to me was stored, and my acknowledgement if any. */
export interface ReceivedNotice {
  notice: Notice;
  receivedAt: Date;
  acknowledgedAt: Date | null;
}

/** A notice without its bodies: what a list of many needs (the bodies may be long, in several languages). */
export type NoticeHead = Omit<Notice, 'body' | 'bodies'>;

/**
 * Whose notices a supervisor follows, as a query: the ones it sent, and those sent for a unit in `units`
 * (the subtrees it supervises); `units: null` is every notice (a province admin). The query form of `canFollow`.
 */
export interface NoticeFollowScope {
  userid: string;
  units: readonly string[] | null;
}

/** One notice in the sender's list (`notice.sent`), with how many of its recipients acknowledged it. */
export interface SentNotice {
  notice: NoticeHead;
  acknowledged: number;
}

export interface NoticeRepo {
  create(draft: Omit<Notice, 'id'>): Promise<Notice>;
  /** The notices in this scope, newest first, at most `limit`; `truncated` when there are more (`notice.sent`). */
  followedBy(scope: NoticeFollowScope, limit: number): Promise<{ notices: SentNotice[]; truncated: boolean }>;
  /** The notices sent to one person, newest first (`notice.mine`). */
  receivedBy(userid: string, limit: number): Promise<ReceivedNotice[]>;
  get(id: string): Promise<Notice | undefined>;
  /** Notices a crash left half-published. */
  publishing(limit: number): Promise<Notice[]>;
  /** Published notices that require acknowledgement, published since `since`. */
  awaitingAcks(since: Date): Promise<Notice[]>;
  markPublished(id: string, counts: { recipients: number; groups: number }, at: Date): Promise<void>;
  /** Active site admins of the sites in these units' subtrees (null: every site). */
  siteAdminsOfScope(units: string[] | null): Promise<NoticeRecipient[]>;
  /** Supervisors of these units and admins of the sites they host or supervise. */
  peopleOfUnits(units: string[]): Promise<NoticeRecipient[]>;
  /** Which of these units (null: any) have a bound group. */
  unitsWithGroups(units: string[] | null): Promise<string[]>;
  /** Stores each message once (insertMany, unordered; an existing key is "already there"). */
  store(messages: readonly NoticeMessage[], now: Date): Promise<{ inserted: number; existing: number }>;
  /** The people a notice was sent to (its stored messages, group posts excluded). */
  recipientsOf(noticeId: string): Promise<NoticeRecipient[]>;
  deliveryCounts(noticeId: string): Promise<NoticeDeliveryCounts>;
  /** Records one acknowledgement; false when this person had already acknowledged. */
  ack(noticeId: string, who: NoticeWho, at: Date): Promise<boolean>;
  ackedUserids(noticeId: string): Promise<Set<string>>;
  /** Whether this person is among the notice's recipients (may acknowledge it). */
  isRecipient(noticeId: string, userid: string): Promise<boolean>;
}

export const GROUP_PREFIX = 'room:';
export const noticeKey = (id: string) => `notice:${id}`;
export const noticeReminderKey = (id: string, date: string) => `notice-reminder:${id}:${date}`;
