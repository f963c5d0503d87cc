import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { connectToOf, type ResolveMap } from './resolve';

/**
 * Addresses the inspector never connects to: a site's domain that resolves to one of them (by mistake or on
 * purpose) must not make the service read its own host, the office network or a cloud's metadata service
 * (169.254.169.254 on most clouds, 100.100.100.200 on Alibaba Cloud, fd00:ec2::254 on AWS).
 */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT; Alibaba Cloud's metadata service
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local; the metadata service of most clouds
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form (::127.0.0.1)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local; AWS's metadata service
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

function ipv4Of(hiHex: string, loHex: string): string {
  const hi = parseInt(hiHex, 16);
  const lo = parseInt(loHex, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether the inspector refuses to connect to this IP address (IPv4-mapped IPv6 is judged as its IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judge that one.
    const nat64 = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (nat64) return isForbiddenAddress(ipv4Of(nat64[1]!, nat64[2]!));
    // 6to4 (2002::/16) carries one in bits 16–48.
    const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(:|$)/i.exec(address);
    if (sixToFour) return isForbiddenAddress(ipv4Of(sixToFour[1]!, sixToFour[2]!));
  }
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the guard refused to connect; the fetcher reports it as the `blocked` outcome. */
export class BlockedAddressError extends Error {
  readonly code = 'STEWARD_BLOCKED_ADDRESS';
  constructor(readonly host: string, readonly address?: string) {
    super(address && address !== host ? `${host} resolves to ${address}, which the inspector does not fetch` : `${host} is an address the inspector does not fetch`);
  }
}

/** Every address of a host name (the system resolver by default; tests hand in their own). */
export type Lookup = (host: string) => Promise<string[]>;

export const systemLookup: Lookup = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Where to open the connection for a URL's host and port. `trusted`: sent there by `STEWARD_INSPECT_RESOLVE`. */
export interface ConnectTarget {
  address: string;
  port: number;
  trusted: boolean;
}

/**
 * The address to connect to for a host: its `STEWARD_INSPECT_RESOLVE` entry (trusted as given), else the
 * first address DNS gives that the guard allows. The connection then goes to that very address, so a second
 * DNS answer cannot slip past the check (no DNS-rebinding gap).
 */
export async function guardedTarget(host: string, port: number, resolve: ResolveMap, lookup: Lookup): Promise<ConnectTarget> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const overridden = isIP(bare) ? undefined : connectToOf(resolve, bare);
  if (overridden) {
    if (isIP(overridden.host)) return { address: overridden.host, port: overridden.port, trusted: true };
    // A name on the right-hand side (staging's internal host) is looked up but not judged: the operator chose it.
    const [address] = await lookup(overridden.host);
    if (!address) throw new BlockedAddressError(bare);
    return { address, port: overridden.port, trusted: true };
  }
  if (isIP(bare)) {
    if (isForbiddenAddress(bare)) throw new BlockedAddressError(bare);
    return { address: bare, port, trusted: false };
  }
  const addresses = await lookup(bare);
  const allowed = addresses.find((a) => !isForbiddenAddress(a));
  if (!allowed) throw new BlockedAddressError(bare, addresses[0]);
  return { address: allowed, port, trusted: false };
}
