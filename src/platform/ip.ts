import { isIP } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** IPv4-mapped IPv6 (`::ffff:203.0.113.7`, as dual-stack sockets report IPv4 peers). */
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** An address as the block list and the geolocation see it: IPv4-mapped IPv6 is IPv4. */
export function plainAddress(ip: string): { address: string; family: IpFamily } | null {
  const address = MAPPED_V4.exec(ip)?.[1] ?? ip;
  const version = isIP(address);
  if (version === 0) return null;
  return { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * A range as `net.BlockList` takes it, matched against addresses as plainAddress gives
 * them: an IPv4-mapped IPv6 range (`::ffff:203.0.113.0/120`) is the IPv4 range it maps
 * (`203.0.113.0/24`). Null for anything that is not a range.
 */
export function subnetOf(range: string): { address: string; prefix: number; family: IpFamily } | null {
  const [network = '', prefixText, ...rest] = range.split('/');
  const version = isIP(network);
  if (version === 0 || rest.length > 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  const mapped = version === 6 ? plainAddress(network) : null;
  if (mapped?.family === 'ipv4' && prefix >= 96)
    return { address: mapped.address, prefix: prefix - 96, family: 'ipv4' };
  return { address: network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}
