import type { WecomCardDoc } from '../../core/channels/wecom.ports';

/**
 * A button card we sent, by its task_id (stored by the WeCom outbox): the lookup from a click (TaskId +
 * EventKey) back to the command it runs, and the single-use marker that makes a card act once.
 */
export type WecomCard = WecomCardDoc;

/** What a click needs of the stored cards (built by the composition root from the store). */
export interface WecomCardStore {
  find(taskId: string): Promise<WecomCard | null>;
  /** The card for the first click only; null when someone (or an earlier click) already acted on it. */
  claim(taskId: string, by: string, eventKey: string, now: Date): Promise<WecomCard | null>;
  /** Reopens a card whose command was refused, so its owner may click again once the cause is fixed. */
  release(taskId: string, by: string): Promise<void>;
}
