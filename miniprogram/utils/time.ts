/**
 * China time for the mini-program, the one place it is written here (the mini-program is built file by file and
 * cannot load core/ at run time; core/calendar/civil-date.ts is the server's). The server speaks UTC ISO strings;
 * people read China time (Asia/Shanghai, UTC+8 all year, no daylight saving).
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const china = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString();

/** `2027-04-01` as China reads the instant. */
export const chinaDay = (iso: string) => china(Date.parse(iso)).slice(0, 10);

/** `2027-04-01 10:00` as China reads the instant. */
export const chinaMinute = (iso: string) => china(Date.parse(iso)).slice(0, 16).replace('T', ' ');

/** Today in China, as the server counts. */
export const chinaToday = (now: Date) => china(now.getTime()).slice(0, 10);
