/**
 * MongoDB's duplicate-key error (11000): for us it means "someone already did this". A unique natural key
 * (a WeCom MsgId, a notification key, a spent code) is how a rule that no single document holds stays
 * exactly-once, so many modules ask this question.
 */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
