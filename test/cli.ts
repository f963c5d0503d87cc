/**
 * How tests run the `steward` CLI as a child process: one Node process with tsx's loader, as `npm start`
 * does. Not the `tsx` command: it relays SIGTERM to a child process and SIGKILLs it when the child does not
 * answer within 30 ms, which on a loaded machine turns a graceful stop into exit 143.
 */
export const NODE = process.execPath;
export const STEWARD = ['--import', 'tsx', 'scripts/steward.ts'];
