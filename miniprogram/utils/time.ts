/** The server speaks UTC ISO strings; people read China time (UTC+8, no daylight saving). */
const china = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();

/** `2027-04-01` as China reads the instant. */
export const chinaDay = (iso: string) => china(iso).slice(0, 10);

/** `2027-04-01 10:00` as China reads the instant. */
export const chinaMinute = (iso: string) => china(iso).slice(0, 16).replace('T', ' ');
