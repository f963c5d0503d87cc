import { connectToOf, parseInspectResolve } from './resolve';

describe('#parseInspectResolve (STEWARD_INSPECT_RESOLVE, like curl --connect-to)', () => {
  it('reads comma-separated host=address:port, names lower-cased, IPv6 in brackets, wildcards', () => {
    const map = parseInspectResolve(' www.Zhengding.gov.cn=127.0.0.1:8081, zhengding.gov.cn=[::1]:8082,*.bd.gov.cn=staging.internal:443 ');
    expect(map).toEqual({
      'www.zhengding.gov.cn': { host: '127.0.0.1', port: 8081 },
      'zhengding.gov.cn': { host: '::1', port: 8082 },
      '*.bd.gov.cn': { host: 'staging.internal', port: 443 },
    });
    expect(connectToOf(map, 'slj.bd.gov.cn')).toEqual({ host: 'staging.internal', port: 443 });
    expect(connectToOf(map, 'a.slj.bd.gov.cn')).toEqual({ host: 'staging.internal', port: 443 });
    expect(connectToOf(map, 'bd.gov.cn')).toBeUndefined();
    expect(connectToOf(map, 'WWW.ZHENGDING.GOV.CN.')).toEqual({ host: '127.0.0.1', port: 8081 });
  });

  it('is empty for an empty or missing value', () => {
    expect(parseInspectResolve('')).toEqual({});
    expect(parseInspectResolve(undefined)).toEqual({});
  });

  it.each([
    ['www.a.gov.cn', /has no host=/],
    ['=127.0.0.1:80', /has no host=/],
    ['www.a.gov.cn=127.0.0.1', /has no :port/],
    ['www.a.gov.cn=127.0.0.1:0', /out of 1–65535/],
    ['www.a.gov.cn=127.0.0.1:70000', /out of 1–65535/],
    ['www.a.gov.cn=127.0.0.1:http', /bad address:port/],
    ['www.a.gov.cn=::1:80', /IPv6 addresses go in brackets/],
    ['www.a.gov.cn=[zz::1]:80', /bad address:port/],
    ['www.a.gov.cn=[127.0.0.1]:80', /bad address/],
    ['www a.gov.cn=127.0.0.1:80', /bad host name/],
    ['www.a.gov.cn=127.0.0.1:80,www.a.gov.cn=127.0.0.1:81', /listed twice/],
  ])('refuses %s with a clear error', (value, message) => {
    expect(() => parseInspectResolve(value)).toThrow(message);
    expect(() => parseInspectResolve(value)).toThrow(/STEWARD_INSPECT_RESOLVE/);
  });
});
