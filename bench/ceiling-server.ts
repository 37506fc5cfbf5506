import { createServer } from 'node:http';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { readyPhotosQuery } from '../src/modules/photos/photos.repository.js';
import { findByIdQuery } from '../src/modules/properties/properties.repository.js';
import type { Db } from '../src/platform/db/types.js';
import { redactLocation, type Property } from '../src/modules/properties/index.js';

/**
 * The ceiling for GET /v1/properties/{id}: bare node:http and a pg pool, running the very
 * statements the app issues for an uncached detail read — the place (`findPropertyById`) and
 * its ready photos (`listReadyPhotosOf`, the photos module's part of the detail), their SQL
 * rendered once at start-up by the same Drizzle query builders so they cannot drift — each as
 * a named prepared statement (parsed and planned once per connection), no logging, and
 * writing the same JSON as `toPropertyDto` plus the photos with the location redacted as an
 * anonymous reader sees it (`redactLocation`), with nothing else on the way. Staylane's
 * throughput on that route is reported as a share of this server's.
 *
 * Env: DATABASE_URL, PORT, HOST (127.0.0.1), POOL_MAX (10, as the app's pool).
 */

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
});
pool.on('error', () => undefined);

// Rendered, not run: Drizzle only builds the SQL text here, from the app's own builders.
const renderer = drizzle(pool) as unknown as Db;
const PLACE_SQL = findByIdQuery(renderer).toSQL().sql;
const PHOTOS_SQL = readyPhotosQuery(renderer).toSQL().sql;

interface Row {
  id: string;
  host_id: string;
  title: string;
  description: string;
  property_type: string;
  address_line1: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  currency: string;
  nightly_price: number;
  cleaning_fee: number;
  weekly_discount_percent: number;
  weekend_price: number | null;
  min_nights: number;
  max_nights: number;
  max_guests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  amenities: string[];
  cancellation_policy: string;
  booking_mode: string;
  status: string;
  rating_count: number;
  rating_average: string | null;
  created_at: Date;
  updated_at: Date;
}

interface PhotoRow {
  id: string;
  status: string;
  caption: string | null;
  key_prefix: string;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  position: number;
  failure_reason: string | null;
  created_at: Date;
}

const ROUTE = /^\/v1\/properties\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const NOT_FOUND = JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 });

const variant = (prefix: string, width: number) => `/media/${prefix}-${width}.webp`;
const toPhoto = (r: PhotoRow) => ({
  id: r.id,
  status: r.status,
  caption: r.caption,
  width: r.width,
  height: r.height,
  blurhash: r.blurhash,
  urls: { small: variant(r.key_prefix, 320), medium: variant(r.key_prefix, 960), large: variant(r.key_prefix, 1920) },
  position: r.position,
  failureReason: r.failure_reason,
  createdAt: r.created_at.toISOString(),
});

// Field order and conversions as toPropertyDto, so both servers write the same bytes.
const toJson = (r: Row, photoRows: PhotoRow[]) => {
  const list = photoRows.map(toPhoto);
  return JSON.stringify(
    redactLocation({
      id: r.id,
      hostId: r.host_id,
      title: r.title,
      description: r.description,
      propertyType: r.property_type,
      address: {
        line1: r.address_line1,
        city: r.city,
        region: r.region,
        postalCode: r.postal_code,
        country: r.country,
      },
      latitude: r.latitude,
      longitude: r.longitude,
      timezone: r.timezone,
      currency: r.currency,
      nightlyPrice: r.nightly_price,
      cleaningFee: r.cleaning_fee,
      weeklyDiscountPercent: r.weekly_discount_percent,
      weekendPrice: r.weekend_price,
      minNights: r.min_nights,
      maxNights: r.max_nights,
      maxGuests: r.max_guests,
      bedrooms: r.bedrooms,
      beds: r.beds,
      bathrooms: r.bathrooms,
      amenities: r.amenities,
      cancellationPolicy: r.cancellation_policy,
      bookingMode: r.booking_mode,
      status: r.status,
      ratingAverage: r.rating_average === null ? null : Number(r.rating_average),
      ratingCount: r.rating_count,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      coverPhoto: list[0] ?? null,
      photos: list,
    } as unknown as Property),
  );
};

const server = createServer((req, res) => {
  const match = req.method === 'GET' ? ROUTE.exec(req.url ?? '') : null;
  if (!match) {
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end(NOT_FOUND);
    return;
  }
  void answer(match[1]!.toLowerCase()).then(
    ({ status, body }) => {
      const type = status === 200 ? 'application/json; charset=utf-8' : 'application/problem+json';
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    },
    () => {
      res.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500}');
    },
  );
});

// The app's order: the place, then (found and visible) its photos.
async function answer(id: string): Promise<{ status: number; body: string }> {
  const {
    rows: [row],
  } = await pool.query<Row>({ name: 'find_property_by_id', text: PLACE_SQL, values: [id, 1] });
  // Like the app, drafts and unlisted places are hidden from anonymous readers.
  if (!row || row.status !== 'listed') return { status: 404, body: NOT_FOUND };
  const { rows } = await pool.query<PhotoRow>({ name: 'ready_photos_of', text: PHOTOS_SQL, values: [[id], 'ready'] });
  return { status: 200, body: toJson(row, rows) };
}

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ceiling listening on ${typeof address === 'object' && address ? address.port : ''}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.end();
  });
}
