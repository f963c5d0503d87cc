import { strictInt } from '../strict-input';

/**
 * Working days each approval level has to decide, counted from the day the step became active. The Measures
 * set no figure for 逐级审核, so it is the deployment's choice (STEWARD_REVIEW_WORKING_DAYS), 5 by default.
 */
export const DEFAULT_REVIEW_WORKING_DAYS = 5;

/** The setting as core/config.schema.ts validates it at start and store/request.repo.ts reads it. */
export const reviewWorkingDaysSchema = strictInt({ min: 1, max: 30, message: 'a whole number of working days from 1 to 30' }).default(DEFAULT_REVIEW_WORKING_DAYS);

/** The value of `STEWARD_REVIEW_WORKING_DAYS` (empty → the default); throws on a bad value. */
export function parseReviewWorkingDays(text: string | undefined): number {
  const parsed = reviewWorkingDaysSchema.safeParse(text === undefined || text.trim() === '' ? undefined : text.trim());
  if (!parsed.success) throw new Error(`STEWARD_REVIEW_WORKING_DAYS: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}
