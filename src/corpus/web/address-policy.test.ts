import { describe, expect, it } from 'vitest';
import { addressRefusal, isAllowedHost, parseAllowedHosts, portRefusal, urlRefusal } from './address-policy.js';

describe('parseAllowedHosts', () => {
  it('reads host[:port] entries, IPv6 in brackets, case-insensitively', () => {
    expect(parseAllowedHosts(' Mirror.Newsroom.Local , 127.0.0.1:8080,[::1]:3000,')).toEqual([
      { host: 'mirror.newsroom.local', port: undefined },
      { host: '127.0.0.1', port: 8080 },
      { host: '::1', port: 3000 },
    ]);
    expect(parseAllowedHosts(undefined)).toEqual([]);
  });

  it('rejects what is not host[:port]', () => {
    for (const bad of ['http://example.org', 'example.org:99999', 'example.org/path', 'exa mple.org']) expect(() => parseAllowedHosts(bad), bad).toThrow(/is not host\[:port\]/);
  });
});

describe('isAllowedHost', () => {
  const allowed = parseAllowedHosts('mirror.local,127.0.0.1:8080');
  it('lets a listed host through on its listed port, or the standard port when none is listed', () => {
    expect(isAllowedHost(new URL('http://127.0.0.1:8080/a'), allowed)).toBe(true);
    expect(isAllowedHost(new URL('http://127.0.0.1:8081/a'), allowed)).toBe(false);
    expect(isAllowedHost(new URL('https://MIRROR.local/a'), allowed)).toBe(true);
    expect(isAllowedHost(new URL('https://mirror.local:8443/a'), allowed)).toBe(false);
    expect(isAllowedHost(new URL('https://other.local/a'), allowed)).toBe(false);
  });
});

describe('addressRefusal', () => {
  it('refuses every non-public range the issue lists, and IPv4 hidden in IPv6', () => {
    const refused = ['127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', '100.64.0.1', '224.0.0.1'];
    for (const address of refused) expect(addressRefusal(address), address).toBeDefined();
  });

  it('lets public unicast addresses through', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111']) expect(addressRefusal(address), address).toBeUndefined();
  });
});

describe('urlRefusal and portRefusal', () => {
  it('refuses other schemes and credentials, and ports other than the standard ones', () => {
    expect(urlRefusal(new URL('javascript:alert(1)'))).toMatch(/only http and https/);
    expect(urlRefusal(new URL('https://a:b@example.org/'))).toMatch(/user name or password/);
    expect(urlRefusal(new URL('https://example.org/'))).toBeUndefined();
    expect(portRefusal(new URL('https://example.org:8443/'))).toMatch(/port 8443/);
    expect(portRefusal(new URL('http://example.org:80/'))).toBeUndefined();
    expect(portRefusal(new URL('http://example.org:443/'))).toMatch(/port 443/);
  });
});
