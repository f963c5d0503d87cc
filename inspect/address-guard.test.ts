import { BlockedAddressError, guardedTarget, isForbiddenAddress, type Lookup } from './address-guard';
import { parseInspectResolve } from './resolve';

describe('#address guard (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.100.100.200', // Alibaba Cloud metadata, in 100.64/10
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['202.99.160.68', '8.8.8.8', '100.128.0.1', '172.32.0.1', '2400:3200::1', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  const lookup: Lookup = async (host) => {
    const table: Record<string, string[]> = {
      'www.public.gov.cn': ['202.99.160.68'],
      'evil.gov.cn': ['127.0.0.1'],
      'mixed.gov.cn': ['10.0.0.5', '202.99.160.69'],
      'meta.gov.cn': ['169.254.169.254'],
    };
    if (table[host]) return table[host];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };

  it('connects to the first allowed address DNS gives, and refuses a name whose every address is forbidden', async () => {
    await expect(guardedTarget('www.public.gov.cn', 443, {}, lookup)).resolves.toEqual({ address: '202.99.160.68', port: 443, trusted: false });
    await expect(guardedTarget('mixed.gov.cn', 80, {}, lookup)).resolves.toEqual({ address: '202.99.160.69', port: 80, trusted: false });
    await expect(guardedTarget('evil.gov.cn', 80, {}, lookup)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(guardedTarget('meta.gov.cn', 80, {}, lookup)).rejects.toThrow(/169\.254\.169\.254/);
    await expect(guardedTarget('[::ffff:127.0.0.1]', 80, {}, lookup)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(guardedTarget('192.168.0.1', 80, {}, lookup)).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('sends a STEWARD_INSPECT_RESOLVE host to its address and port, trusted, but never an IP literal', async () => {
    const resolve = parseInspectResolve('evil.gov.cn=127.0.0.1:8081');
    await expect(guardedTarget('evil.gov.cn', 80, resolve, lookup)).resolves.toEqual({ address: '127.0.0.1', port: 8081, trusted: true });
    await expect(guardedTarget('127.0.0.1', 8081, resolve, lookup)).rejects.toBeInstanceOf(BlockedAddressError);
  });
});
