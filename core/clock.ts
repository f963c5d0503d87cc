/** The clock, so core code and tests agree on "now" without calling Date.now(). */
export interface Clock {
  now(): Date;
}
