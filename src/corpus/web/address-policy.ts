/**
 * @module address-policy: where a link the bot is handed may lead. By default only public
 * addresses on the web's standard ports; hosts listed in FETCH_ALLOWED_HOSTS are let through, which
 * is how a newsroom reaches an intranet mirror (and how the tests reach 127.0.0.1).
 */
import ipaddr from 'ipaddr.js';

export interface AllowedHost {
  /** Lower-case host name or IP literal (IPv6 without brackets). */
  host: string;
  /** The one port allowed; undefined allows the scheme's standard port only. */
  port: number | undefined;
}

const STANDARD_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** What each kind of non-public address is called in a refusal. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  linkLocal: 'a link-local address (cloud metadata services live there)',
  uniqueLocal: 'a private network address',
  unspecified: 'an unspecified address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  benchmarking: 'a reserved address',
  amt: 'a reserved address',
  as112: 'a reserved address',
  deprecated: 'a reserved address',
  orchid2: 'a reserved address',
  discard: 'a reserved address',
  rfc6145: 'a translated address',
  rfc6052: 'a translated address',
  '6to4': 'a tunnelled address',
  teredo: 'a tunnelled address',
};

/** Parses `host[:port]` entries ("news.example.org", "127.0.0.1:8080", "[::1]:3000"); throws on a malformed one. */
export function parseAllowedHosts(setting: string | undefined): AllowedHost[] {
  return (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^(?:\[([0-9a-f:.]+)\]|([^\s:/[\]]+))(?::(\d{1,5}))?$/i.exec(entry);
      const port = match?.[3] === undefined ? undefined : Number(match[3]);
      if (!match || (port !== undefined && (port < 1 || port > 65_535))) throw new Error(`"${entry}" is not host[:port]`);
      return { host: (match[1] ?? match[2] ?? '').toLowerCase(), port };
    });
}

/** The URL's host as the allow list spells it: lower case, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export function portOf(url: URL): number {
  return url.port === '' ? (STANDARD_PORTS[url.protocol] ?? 0) : Number(url.port);
}

export function isAllowedHost(url: URL, allowed: readonly AllowedHost[]): boolean {
  const host = hostOf(url);
  const port = portOf(url);
  return allowed.some((entry) => entry.host === host && (entry.port === undefined ? port === STANDARD_PORTS[url.protocol] : port === entry.port));
}

/** Why a link may not be followed whatever its host resolves to (scheme, credentials), or undefined. */
export function urlRefusal(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https links can be added (this one is ${url.protocol.replace(/:$/, '')})`;
  if (url.username !== '' || url.password !== '') return 'links with a user name or password in them are not followed';
  return undefined;
}

/** Why a link to a public host may not use its port (anything but the scheme's standard one), or undefined. */
export function portRefusal(url: URL): string | undefined {
  const port = portOf(url);
  if (port === STANDARD_PORTS[url.protocol]) return undefined;
  return `it uses port ${port}; only the standard web ports (80, 443) are allowed unless the host is listed in FETCH_ALLOWED_HOSTS`;
}

/** What kind of non-public address this is ("a loopback address (this machine)"), or undefined for a public unicast one. */
export function addressRefusal(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 reaches 127.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return RANGE_NAMES[range] ?? 'not a public address';
}
