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
