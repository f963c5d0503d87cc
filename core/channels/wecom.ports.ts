/**
 * What the WeCom channel (bot/wecom) keeps in MongoDB, as a port: its token, inbound dedup keys and runs,
 * outbox, pace slots, cards, app chats and robots. store/wecom.store.ts implements it; the composition root
 * (lib/services.ts) hands it to the channel, which imports no store/ module. The records below are the
 * documents as stored (`_id` is each one's key), shared by the port and the store's models.
 */

/**
 * A WeCom app chat (appchat/create) bound to one unit. `_id` is the unit code and `chatid` has a unique
 * index: one group per unit, one unit per group. Creating it starts with the insert (`status: 'creating'`),
 * which is the claim (atomic on FerretDB v1 too); the WeCom call follows, then `active`.
 */
export interface WecomAppchatDoc {
  _id: string;
  chatid: string;
  name: string;
  owner: string;
  members: string[];
  status: 'creating' | 'active';
  createdBy: string;
  createdAt: Date;
  activeAt: Date | null;
}

export interface WecomCardButtonDoc {
  /** What WeCom echoes as EventKey: short (`b0`…`b5`), so the button's command and input stay on our side. */
  eventKey: string;
  key: string;
  text: string;
  command: string;
  input: Record<string, unknown>;
  style?: string;
}

/**
 * A button card we sent, by its task_id: the lookup from a click (TaskId + EventKey) back to the command it
 * runs, and the single-use marker (`actedAt`) that makes a card act once however often it is clicked.
 */
export interface WecomCardDoc {
  _id: string;
  to: string;
  title: string;
  body: string;
  buttons: WecomCardButtonDoc[];
  /** The mini-program link the card was sent with (`card_action` + `quote_area`), kept through its update. */
  link?: Record<string, unknown> | null;
  createdAt: Date;
  actedAt: Date | null;
  actedBy: string | null;
  actedKey: string | null;
}

/**
 * One WeCom callback we accepted, keyed by its dedup key (`msg:<MsgId>` or
 * `evt:<FromUserName>:<CreateTime>:<Event>:<EventKey>:<TaskId>`). The `_id` is the unique index: WeCom's
 * retries and a second app instance lose the insert race and run nothing.
 *
 * The decrypted fields are kept with `status: 'received'` until the answer is enqueued (`done`): a process
 * that dies in between leaves the message for `recoverInbound` (bot/wecom/inbound-runner.ts), since WeCom
 * does not retry a callback it got a 200 for. The first run belongs to the callback that inserted the key;
 * each later run is claimed by a unique insert (`inbound:<key>:<run>` in wecom_outbox_claims), so two
 * instances never run one message together.
 */
export interface WecomInboundDoc {
  _id: string;
  from: string;
  kind: string;
  receivedAt: Date;
  /** Absent on documents written before recovery existed (they are never recovered). */
  status?: 'received' | 'done' | 'failed';
  fields?: Record<string, unknown>;
  requestId?: string;
  /** Runs claimed so far (the callback's insert claims run 1); the next is `inbound:<_id>:<runs + 1>`. */
  runs?: number;
  /** When the current run started (its lease starts then). */
  runAt?: Date;
  doneAt?: Date | null;
}

/**
 * The file of one outbox message (its `_id` is the message id), kept until the message is finished: the
 * bytes are uploaded (media/upload) at send time, so a restart or a retry days later still has them.
 */
export interface WecomOutboxFileDoc {
  _id: string;
  fileName: string;
  mime: string;
  size: number;
  chunks: number;
  mediaId: string | null;
  mediaAt: Date | null;
  createdAt: Date;
}

export type WecomOutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** `send`: message/send to a member; `appchat`: appchat/send to a unit's group; `robot`: a group robot's webhook. */
export type WecomOutboxKind = 'send' | 'update_card' | 'appchat' | 'robot';

/**
 * One message on its way to WeCom. Written before anything is sent (so a crash loses nothing); claimed by
 * one drainer at a time with a lease, through a unique claim document (so two instances never send it
 * together); `_id` is the caller's idempotency key (so answering the same callback twice enqueues once).
 */
export interface WecomOutboxDoc {
  _id: string;
  kind: WecomOutboxKind;
  /** The WeCom userid it goes to; pacing is per recipient. */
  to: string;
  /** The message/send (or update_template_card) body without `touser`/`agentid`/access token. */
  payload: Record<string, unknown>;
  /** For update_card: what to send instead when the card can no longer be updated. */
  fallback: Record<string, unknown> | null;
  status: WecomOutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** Enqueue order within one recipient (ms timestamp × 1000 + counter). */
  seq: number;
  leaseUntil: Date | null;
  /** The claim that holds the lease; only it may finish the message. */
  claim: string | null;
  /** How many claims were made; the next one is `<_id>:<claims + 1>` in wecom_outbox_claims (unique). */
  claims: number;
  createdAt: Date;
  sentAt: Date | null;
  msgid: string | null;
  lastError: string | null;
}

export interface OutboxItem {
  id: string;
  kind: WecomOutboxKind;
  to: string;
  payload: Record<string, unknown>;
  fallback?: Record<string, unknown> | null;
}

export type QueuedOutbox = Pick<WecomOutboxDoc, '_id' | 'status' | 'nextAttemptAt' | 'leaseUntil' | 'claims' | 'attempts'>;

export interface PaceLimits {
  perMinute: number;
  minuteMs: number;
  perHour: number;
  hourMs: number;
}

/**
 * A WeCom group robot (群机器人) registered for a unit: the second way to post into an existing group. `_id`
 * is the unit code (one robot per unit; registering again replaces it). The webhook URL carries the robot's
 * key: it is a secret and never shown back.
 */
export interface WecomRobotDoc {
  _id: string;
  url: string;
  registeredBy: string;
  registeredAt: Date;
}

/**
 * The access token of one WeCom app, shared by every instance so they do not each call gettoken (which
 * WeCom rate-limits). One instance refreshes (see lockWecomTokenRefresh) while the others wait for its result.
 */
export interface WecomTokenDoc {
  _id: string;
  token: string | null;
  expiresAt: Date;
  fetchedAt: Date | null;
  /** Bumped by each refresh; the next refresh is claimed by a unique insert keyed on it. */
  gen: number;
}

/** The WeCom channel's storage port (store/wecom.store.ts). Every claim is a unique insert, atomic on FerretDB v1 too. */
export interface WecomStore {
  /** Creates the WeCom collections' indexes even if the models were loaded after the connection was made. */
  ensureIndexes(): Promise<void>;
  // unit groups
  findWecomAppchat(unitCode: string): Promise<WecomAppchatDoc | null>;
  /** True for the one caller that may create the unit's group; false when a group (or its creation) exists. */
  claimWecomAppchat(doc: Omit<WecomAppchatDoc, 'status' | 'activeAt'>): Promise<boolean>;
  activateWecomAppchat(unitCode: string, at: Date, set?: Partial<Pick<WecomAppchatDoc, 'members' | 'owner' | 'name'>>): Promise<void>;
  /** After WeCom refused the creation: lets the next attempt claim it again. */
  releaseWecomAppchat(unitCode: string): Promise<void>;
  /** Active users who administer one of `siteIds` or supervise one of `unitCodes`, by userid (sorted). */
  usersWithRoles(q: { siteIds: string[]; unitCodes: string[] }): Promise<string[]>;
  findWecomRobot(unitCode: string): Promise<WecomRobotDoc | null>;
  /** Registers (or replaces) the unit's robot; true when one was there before. */
  saveWecomRobot(doc: WecomRobotDoc): Promise<boolean>;
  // cards
  saveWecomCard(doc: WecomCardDoc): Promise<void>;
  findWecomCard(taskId: string): Promise<WecomCardDoc | null>;
  /** The card for the first click only; null when someone (or an earlier click) already acted on it. */
  claimWecomCard(taskId: string, by: string, eventKey: string, now: Date): Promise<WecomCardDoc | null>;
  /** Reopens a card whose command was refused, so its owner may click again once the cause is fixed. */
  releaseWecomCard(taskId: string, by: string): Promise<void>;
  // inbound
  /** True for the first caller with this key; false for a retry or a duplicate. */
  claimWecomInbound(key: string, doc: Omit<WecomInboundDoc, '_id'>): Promise<boolean>;
  /** The run number claimed, or undefined when another runner holds the message. */
  claimWecomInboundRun(key: string, run: number, now: Date, staleMs: number): Promise<number | undefined>;
  finishWecomInbound(key: string, status: 'done' | 'failed', at: Date): Promise<void>;
  /** Messages left `received` whose current run started before `before` (their runner died or hung). */
  staleWecomInbound(before: Date, limit?: number): Promise<WecomInboundDoc[]>;
  // outbox
  /** Stores messages to send, each id once; answers how many were new. */
  enqueueWecomOutbox(items: OutboxItem[], now: Date): Promise<number>;
  nextDueWecomRecipient(now: Date, skip: string[]): Promise<string | undefined>;
  /** The oldest `limit` unfinished messages of one recipient, in order. */
  wecomRecipientQueue(to: string, limit: number): Promise<QueuedOutbox[]>;
  claimWecomOutbox(seen: QueuedOutbox, now: Date, leaseMs: number): Promise<WecomOutboxDoc | null>;
  finishWecomOutbox(
    doc: Pick<WecomOutboxDoc, '_id' | 'claim'>,
    set: Partial<Pick<WecomOutboxDoc, 'status' | 'nextAttemptAt' | 'sentAt' | 'msgid' | 'lastError'>>,
    opts?: { uncountAttempt?: boolean },
  ): Promise<boolean>;
  /** Pushes every pending message of one recipient to `until`. */
  deferWecomRecipient(to: string, until: Date): Promise<void>;
  reserveWecomSendSlot(to: string, now: number, limits: PaceLimits): Promise<{ ok: true } | { ok: false; retryAt: number }>;
  saveWecomOutboxFile(id: string, file: { fileName: string; mime: string; data: Buffer }, now: Date): Promise<void>;
  /** The file of message `id` with its bytes, or null when it is gone (or was never whole). */
  loadWecomOutboxFile(id: string): Promise<(WecomOutboxFileDoc & { data: Buffer }) | null>;
  /** A media_id still fresh enough to send again, else null. */
  reusableMediaId(doc: Pick<WecomOutboxFileDoc, 'mediaId' | 'mediaAt'>, now: Date): string | null;
  rememberWecomMedia(id: string, mediaId: string | null, at: Date): Promise<void>;
  deleteWecomOutboxFile(id: string): Promise<void>;
  // access token shared by instances
  readWecomToken(key: string): Promise<WecomTokenDoc | null>;
  /** True when this caller may refresh now (one caller per token generation). */
  lockWecomTokenRefresh(key: string, now: Date, lockMs: number): Promise<boolean>;
  saveWecomToken(key: string, token: string, expiresAt: Date, now: Date): Promise<void>;
  releaseWecomTokenLock(key: string, now: Date, lockMs: number): Promise<void>;
  /** Marks this exact token stale; a token another instance already replaced stays. */
  invalidateWecomToken(key: string, token: string): Promise<void>;
}
