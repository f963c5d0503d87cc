import { isIP } from 'node:net';
import { asciiHost } from './host-name';

/** Where connections to a host name go instead of where DNS says: an address (IP or name) and a port. */
export interface ConnectTo {
  host: string;
  port: number;
}

/** Host name (lower case, ASCII; `*.example.gov.cn` for every subdomain) → where its connections go. */
export type ResolveMap = Record<string, ConnectTo>;

const HOSTNAME = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/;

function parseEntry(entry: string): [string, ConnectTo] {
  const bad = (why: string) => new Error(`STEWARD_INSPECT_RESOLVE: "${entry}" ${why}; expected host=address:port, e.g. www.zhengding.gov.cn=127.0.0.1:8081`);
  const eq = entry.indexOf('=');
  if (eq <= 0) throw bad('has no host=');
  const name = asciiHost(entry.slice(0, eq));
  if (!HOSTNAME.test(name)) throw bad(`has a bad host name "${entry.slice(0, eq)}"`);
  const target = entry.slice(eq + 1).trim();
  // [v6]:port, or address:port where the address has no colon (an IPv4 address or a host name).
  const match = /^\[([0-9a-f:.]+)\]:(\d+)$/i.exec(target) ?? /^([^:[\]]+):(\d+)$/.exec(target);
  if (!match) throw bad(target.includes(':') ? 'has a bad address:port (IPv6 addresses go in brackets)' : 'has no :port');
  const address = match[1]!.toLowerCase();
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw bad(`has port ${match[2]} out of 1–65535`);
  if (target.startsWith('[') ? isIP(address) !== 6 : isIP(address) === 0 && !HOSTNAME.test(address) ) throw bad(`has a bad address "${address}"`);
  return [name, { host: address, port }];
}

/**
 * Reads `STEWARD_INSPECT_RESOLVE`: comma-separated `host=address:port`, like curl's `--connect-to`
 * (`www.zhengding.gov.cn=127.0.0.1:8081,*.bd.gov.cn=10.1.2.3:443`). Tests and staging point `.gov.cn` names
 * at loopback with it; a deployment with split DNS can point them at a private network. Connections to these
 * hosts go to the address given, which the SSRF guard then trusts. Throws naming the bad entry.
 */
export function parseInspectResolve(value: string | undefined): ResolveMap {
  const map: ResolveMap = {};
  for (const entry of (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [name, to] = parseEntry(entry);
    if (map[name]) throw new Error(`STEWARD_INSPECT_RESOLVE: ${name} is listed twice`);
    map[name] = to;
  }
  return map;
}

/** Where a host's connections go under the map: its own entry, else the nearest `*.` entry above it. */
export function connectToOf(map: ResolveMap, host: string): ConnectTo | undefined {
  const name = asciiHost(host);
  const exact = map[name];
  if (exact) return exact;
  const labels = name.split('.');
  for (let i = 1; i < labels.length - 1; i++) {
    const wildcard = map[`*.${labels.slice(i).join('.')}`];
    if (wildcard) return wildcard;
  }
  return undefined;
}

/** Lower-cases the keys of a map given in code (tests hand in names as they like). */
export function normalizeResolveMap(map: ResolveMap | undefined): ResolveMap {
  const out: ResolveMap = {};
  for (const [name, to] of Object.entries(map ?? {})) out[asciiHost(name)] = to;
  return out;
}
