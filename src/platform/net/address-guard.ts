import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an outgoing request may reach this address: only public unicast addresses may.
 * ipaddr.js classifies it after unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1` is
 * 127.0.0.1); every special range is refused — private (10/8, 172.16/12, 192.168/16),
 * loopback, link-local (169.254/16 with the cloud metadata address, fe80::/10), unique
 * local (fc00::/7), carrier-grade NAT (100.64/10), unspecified (0.0.0.0, ::), broadcast,
 * multicast, reserved and benchmarking ranges, and the IPv6 prefixes that embed an IPv4
 * address (6to4, Teredo, NAT64), which could lead back to a private one.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** A host name or address literal that resolves to an address outgoing requests may not reach. */
export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
  constructor() {
    super('The address is not a public one.');
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node's http(s).request that refuses a name when any address it resolves
 * to is not public: the check is made on the very addresses the socket connects to, after
 * DNS resolution, so a name that resolves to a private address (or changes between a
 * check and the request) cannot slip through.
 */
export function guardedLookup(allowed: (address: string) => boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      if (addresses.some((a) => !allowed(a.address))) {
        return callback(Object.assign(new BlockedAddressError(), { errno: undefined }), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error('No address'), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Checks an address literal (a host the socket connects to without any lookup). */
export function checkLiteralHost(hostname: string, allowed: (address: string) => boolean): void {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare) !== 0 && !allowed(bare)) throw new BlockedAddressError();
}
