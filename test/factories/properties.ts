import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DateTime } from 'luxon';
import type { Property } from '../../src/modules/properties/index.js';
import type { Session } from '#test/helpers.js';

/** A valid create body (listed, in Lisbon); `overrides` replace top-level fields. */
export function propertyInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Sunny flat by the river',
    description: 'A calm place to stay.',
    propertyType: 'apartment',
    address: { line1: 'Rua Augusta 1', city: 'Lisbon', region: 'Lisboa', postalCode: '1100-048', country: 'PT' },
    latitude: 38.7139,
    longitude: -9.1394,
    timezone: 'Europe/Lisbon',
    currency: 'EUR',
    nightlyPrice: 10_000,
    maxGuests: 2,
    status: 'listed',
    ...overrides,
  };
}

/** An address for `propertyInput` with another city (and country). */
export const address = (city: string, country = 'PT') => ({
  line1: '1 Main Street',
  city,
  region: '',
  postalCode: '',
  country,
});

export async function createProperty(
  app: FastifyInstance,
  session: Session,
  overrides: Record<string, unknown> = {},
): Promise<Property> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/properties',
    headers: session.auth,
    payload: propertyInput(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`create property failed: ${res.statusCode} ${res.body}`);
  return res.json<Property>();
}

export interface SearchBody {
  data: Property[];
  page: { nextCursor: string | null; hasMore: boolean };
}

/** GET /v1/properties with a query string (object values are URL-encoded). */
export async function search(
  app: FastifyInstance,
  query: Record<string, string | number>,
): Promise<{ res: LightMyRequestResponse; body: SearchBody }> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await app.inject({ url: `/v1/properties?${qs}` });
  return { res, body: res.json<SearchBody>() };
}

export const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/** Today plus `days` as YYYY-MM-DD (UTC); tests use days far enough ahead to be future everywhere. */
export const inDays = (days: number) => DateTime.utc().plus({ days }).toISODate();

/** Today plus `days` in an IANA time zone. */
export const inDaysIn = (timezone: string, days: number) =>
  DateTime.now().setZone(timezone).plus({ days }).toISODate()!;

/** The value of one sample of a Prometheus text exposition, 0 when absent. */
export async function metricValue(app: FastifyInstance, sample: string): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

/** A city name of random letters: unique per call and unlike any other (no shared trigrams for the fuzzy match). */
export const uniqueCity = () =>
  'Q' +
  randomBytes(8)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!);
