#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';

const USAGE = `Site Steward

Usage:
  steward start                                   run the service (npm start)
  steward console --as <userid>                   chat with the bot in the terminal (npm run console -- --as demo.siteadmin)
  steward import units|sites|users FILE [--json]  import a CSV or JSON file, reporting each bad row
  steward import complaints FILE [--json]         import error reports exported from the national platform (deduplicated)
  steward user deactivate <userid>                stop a user at once: REST API, mini-program and chat refuse them;
                                                  their API tokens and mini-program sessions are revoked
  steward user activate <userid>                  let a deactivated user in again (with new credentials only)
  steward token issue <userid> [--label TEXT]     issue a REST API token for a user (shown once)
  steward token list [<userid>] [--json]          API tokens: id, user, label, created, last used, status (never the secret)
  steward token revoke <token-id>                 revoke one API token (the id from token list): refused from the next request
  steward calendar load FILE [--by NAME]          load a year's official holiday schedule (JSON), used at once
  steward calendar show [YEAR]                    which years have an official schedule; one year's days off
  steward inspect <site> [--json]                 inspect a site now (art. 28): availability, home page and column
                                                  updates, broken links, required elements; --json: one JSON document

User, token, import, calendar and inspect commands take --lng zh-CN|en (default STEWARD_LOCALE).
Configuration comes from the environment: see the README.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: { as: { type: 'string' }, json: { type: 'boolean' }, lng: { type: 'string' }, label: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, ...rest] = positionals;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

switch (values.help ? 'help' : command) {
  case 'start':
    await (await import('./cli/start')).start();
    break;
  case 'console':
    await (await import('./cli/console')).consoleCommand(str(values.as));
    break;
  case 'import':
    if (rest[0] === 'complaints') {
      await (await import('./cli/import-complaints')).importComplaintsCommand(rest[1], { json: Boolean(values.json), lng: str(values.lng) });
      break;
    }
    await (await import('./cli/import')).importCommand(rest[0], rest[1], { json: Boolean(values.json), lng: str(values.lng) });
    break;
  case 'token':
    await (await import('./cli/token')).tokenCommand(rest[0], rest[1], { label: str(values.label), lng: str(values.lng), json: Boolean(values.json) });
    break;
  case 'user':
    await (await import('./cli/user')).userCommand(rest[0], rest[1], { lng: str(values.lng), json: Boolean(values.json) });
    break;
  case 'inspect':
    await (await import('./cli/inspect')).inspectCommand(rest[0], { lng: str(values.lng), json: Boolean(values.json) });
    break;
  case 'calendar':
    await (await import('./cli/calendar')).calendarCommand(rest[0], rest[1], { lng: str(values.lng), by: str(values.by) });
    break;
  default:
    process.stdout.write(USAGE + '\n');
    process.exit(command && command !== 'help' ? 2 : 0);
}
