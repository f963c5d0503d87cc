/**
 * Looks a user's word up in a fixed table by its own keys only: `constructor`, `toString` or `__proto__` are
 * words like any other, never something every object inherits.
 */
export function ownWord<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}
