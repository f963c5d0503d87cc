import { appendFileSync } from 'node:fs';

/** `npm run faults` runs the long form; `npm test` the short one (same cases, smaller numbers). */
export const FULL = process.env.STEWARD_FAULTS === 'full';

/**
 * Records one case's figures for `npm run faults` to print at the end (scripts/faults.ts); a no-op under
 * `npm test`.
 */
export function recordFigures(name: string, figures: Record<string, number | string>): void {
  const file = process.env.STEWARD_FAULT_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ case: name, ...figures })}\n`);
}
