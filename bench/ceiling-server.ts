import { createServer } from 'node:http';
import pg from 'pg';
import { redactLocation, type Property } from '../src/modules/properties/index.js';

/**
 * The ceiling for GET /v1/properties/{id}: bare node:http and a pg pool, running the very
 * SELECT the properties repository issues (`findPropertyById`, as Drizzle renders it) as a
 * named prepared statement (parsed and planned once per connection), no logging, and
 * writing the same JSON as `toPropertyDto` with the location redacted as an anonymous
 * reader sees it (`redactLocation`), with nothing else on the way. Staylane's
 * throughput on that route is reported as a share of this server's.
 *
 * Env: DATABASE_URL, PORT, HOST (127.0.0.1), POOL_MAX (10, as the app's pool).
 */

const SQL =
  'select "id", "host_id", "title", "description", "property_type", "address_line1", "city", "region", "postal_code", ' +
  '"country", "latitude", "longitude", "timezone", "currency", "nightly_price", "cleaning_fee", "weekly_discount_percent", ' +
  '"max_guests", "bedrooms", "beds", "bathrooms", "amenities", "cancellation_policy", "status", "rating_sum", ' +
  '"rating_count", "rating_average", "created_at", "updated_at", "deleted_at" from "properties" ' +
  'where ("properties"."id" = $1 and "properties"."deleted_at" is null) limit $2';

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
  max_guests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  amenities: string[];
  cancellation_policy: string;
  status: string;
  rating_count: number;
  rating_average: string | null;
  created_at: Date;
  updated_at: Date;
}

const ROUTE = /^\/v1\/properties\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const NOT_FOUND = JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 });

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
});
pool.on('error', () => undefined);

// Field order and conversions as toPropertyDto, so both servers write the same bytes.
const toJson = (r: Row) =>
  JSON.stringify(
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
      maxGuests: r.max_guests,
      bedrooms: r.bedrooms,
      beds: r.beds,
      bathrooms: r.bathrooms,
      amenities: r.amenities,
      cancellationPolicy: r.cancellation_policy,
      status: r.status,
      ratingAverage: r.rating_average === null ? null : Number(r.rating_average),
      ratingCount: r.rating_count,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    } as Property),
  );

const server = createServer((req, res) => {
  const match = req.method === 'GET' ? ROUTE.exec(req.url ?? '') : null;
  if (!match) {
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end(NOT_FOUND);
    return;
  }
  pool.query<Row>({ name: 'find_property_by_id', text: SQL, values: [match[1]!.toLowerCase(), 1] }).then(
    ({ rows: [row] }) => {
      // Like the app, drafts and unlisted places are hidden from anonymous readers.
      if (!row || row.status !== 'listed') {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(NOT_FOUND);
        return;
      }
      const body = toJson(row);
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        })
        .end(body);
    },
    () => {
      res.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500}');
    },
  );
});

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
