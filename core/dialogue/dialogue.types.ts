import type { RequestType } from '../requests/types';
import type { SiteKind, SiteStatus } from '../registry/types';

/**
 * Guided filing as data: a command typed without its fields is asked for them one at a time, then a summary
 * is confirmed (是/否) before it runs. Each command that can be filed this way has a small step list here;
 * every answer is still validated by the command's own zod input (core/dialogue/dialogue.flow.ts), so the
 * errors are the one-line form's.
 */

/**
 * How a step reads its answer: a numbered choice among the person's own sites, a date (in words or digits),
 * free text, a numbered choice among fixed values, or yes/no.
 */
export type StepKind = 'site' | 'date' | 'text' | 'enum' | 'yesno';

export interface DialogueStep {
  /** The input field the answer fills (a name starting with `_` only steers the dialogue and is not sent). */
  field: string;
  kind: StepKind;
  /** May be skipped with 无/跳过/none/skip; asked, but never required. */
  optional?: boolean;
  /** `enum`: the values offered, in order (each shown by its label `bot:dialogue.option.<field>.<value>`). */
  options?: readonly string[];
  /** Not skippable for a site of this kind (a portal's temporary offline must say why, art. 13), with this code. */
  requiredFor?: { siteKind: SiteKind; code: string; article: number };
  /** `date`: the date field this one may not precede (an end after its start). */
  notBefore?: string;
  /** The field is the value of an earlier answer (a change record's "what changes" names the field to fill). */
  fieldFrom?: string;
}

export interface DialogueSpec {
  /** The command id it files. */
  command: string;
  steps: readonly DialogueStep[];
  /** `site` steps offer the sites the person may file this request type for. */
  requestType?: RequestType;
  /**
   * Refusals at filing that one answer can fix, by error code → the field to ask again (a window longer than 30
   * days: the end). A refusal naming a step's field (`date_invalid` with `field`) goes back there as well.
   */
  backTo?: Readonly<Record<string, string>>;
  /** `site` steps offer only sites in these states (an opening is applied for a planned site). */
  siteStatuses?: readonly SiteStatus[];
}

/** A site offered as a numbered choice: the ref the command takes, and how it is shown. */
export interface SiteChoice {
  ref: string;
  name: string;
  domain: string;
  kind: SiteKind;
}

/**
 * Where a dialogue is, as stored with the pending question (core/prompts.ts): the answers so far are the
 * prompt's `input`, the field asked for its `field`.
 */
export interface DialogueState {
  /** The step being asked (an index into the spec's steps); `steps.length` is the confirmation. */
  step: number;
  /**
   * How many times the dialogue moved on: every write names the value it read and only one writer of that
   * value wins, so a message handled twice (two instances, a re-run) moves the dialogue once.
   */
  seq: number;
  /** `open` while asking; `done` once filed, kept until it expires so a re-delivered 是 gets the same answer. */
  status: 'open' | 'done';
  /** The sites offered at the current site step, in their numbered order. */
  choices?: SiteChoice[];
  /** The channel's id of the last message that moved the dialogue, and what it was answered. */
  lastMessageId?: string;
  lastReply?: string;
}
