/**
 * MongoDB's duplicate-key error (11000): for us it means "someone already did this". An insert with a
 * unique key is the one exactly-once guard that holds on MongoDB and on FerretDB v1 alike (see
 * store/version-claim.ts), so many modules ask this question.
 */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
