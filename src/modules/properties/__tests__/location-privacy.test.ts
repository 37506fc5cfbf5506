import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, graphql, register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';
import type { Role } from '../../../platform/context.js';
import type { Db } from '../../../platform/db/types.js';
import type { PropertiesApi, Property } from '../index.js';
import { address, createProperty, ids, metricValue, uniqueCity } from '#test/factories/properties.js';

/**
 * Location privacy: the street line, postal code and exact point of a
 * place are shown to its host, admins and guests holding a confirmed booking of it; anyone
 * else gets nulls and a point rounded to 2 decimals — on every read path, through every
 * cache, over both transports.
 */

let queries = 0;
const testApp = useTestApp({ onQuery: () => void queries++ });
let host: Session;
let admin: Session;
let guest: Session;
let stranger: Session;
let db: Db;
let properties: PropertiesApi;

beforeAll(async () => {
  [host, guest, stranger] = await Promise.all([
    register(testApp().app, { role: 'host' }),
    register(testApp().app),
    register(testApp().app),
  ]);
  admin = await registerAdmin(testApp());
  db = testApp().container.database.db;
  properties = testApp().container.services.properties;
});

// Ties on purpose: Math.round(41.155 * 100) / 100 is 41.15 and Math.round(-862.5) / 100 is
// -8.62; half away from zero on the written decimals gives 41.16 and -8.63.
const LINE1 = 'Rua das Flores 12';
const POSTAL = '4050-262';
const EXACT = { line1: LINE1, postalCode: POSTAL, latitude: 41.155, longitude: -8.625 };
const REDACTED = { line1: null, postalCode: null, latitude: 41.16, longitude: -8.63 };
type Shown = typeof EXACT | typeof REDACTED;

const createPlace = (city: string, overrides: Record<string, unknown> = {}) =>
  createProperty(testApp().app, host, {
    address: { line1: LINE1, city, region: 'Norte', postalCode: POSTAL, country: 'PT' },
    latitude: EXACT.latitude,
    longitude: EXACT.longitude,
    ...overrides,
  });

const shown = (p: Pick<Property, 'address' | 'latitude' | 'longitude'>): Shown =>
  ({
    line1: p.address.line1,
    postalCode: p.address.postalCode,
    latitude: p.latitude,
    longitude: p.longitude,
  }) as Shown;

const headersOf = (who?: Session) => who?.auth ?? {};

/** Books the place for the guest (a pending booking: dates held, location not revealed yet). */
async function book(propertyId: string, occupant: Session = guest, start = 200): Promise<string> {
  const refId = randomUUID();
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  await properties.reserveDates(db, {
    propertyId,
    start: day(start),
    end: day(start + 3),
    occupantId: occupant.user.id,
    claim: async () => ({ refId }),
  });
  return refId;
}

const restDetail = (id: string, who?: Session, headers: Record<string, string> = {}) =>
  testApp().app.inject({ url: `/v1/properties/${id}`, headers: { ...headersOf(who), ...headers } });

const restSearch = (query: Record<string, string | number>, who?: Session) =>
  testApp().app.inject({
    url: `/v1/properties?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`,
    headers: headersOf(who),
  });

const GQL_FIELDS = 'id address { line1 city postalCode } latitude longitude';
async function gqlDetail(id: string, who?: Session): Promise<Property> {
  const { body } = await graphql(
    testApp().app,
    `query($id: ID!) { property(id: $id) { ${GQL_FIELDS} } }`,
    { id },
    headersOf(who),
  );
  expect(body.errors).toBeUndefined();
  return body.data!.property as Property;
}
async function gqlSearch(filter: Record<string, unknown>, who?: Session): Promise<Property[]> {
  const { body } = await graphql(
    testApp().app,
    `query($f: PropertyFilter) { properties(filter: $f, first: 100) { edges { node { ${GQL_FIELDS} } } } }`,
    { f: filter },
    headersOf(who),
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.properties as { edges: { node: Property }[] }).edges.map((e) => e.node);
}
const ctxOf = (who?: Session) => (who ? { actor: { id: who.user.id, role: who.user.role as Role } } : {});

/** What `who` sees of the place on every read path: REST and GraphQL detail and search, the batch. */
async function everyView(p: Property, city: string, who?: Session): Promise<Record<string, Shown>> {
  const detail = await restDetail(p.id, who);
  expect(detail.statusCode).toBe(200);
  const found = (await restSearch({ city }, who)).json<{ data: Property[] }>().data.find((x) => x.id === p.id);
  const gqlFound = (await gqlSearch({ city }, who)).find((x) => x.id === p.id);
  const batch = (await properties.getPropertiesByIds([p.id], ctxOf(who))).get(p.id);
  return {
    restDetail: shown(detail.json<Property>()),
    graphqlDetail: shown(await gqlDetail(p.id, who)),
    restSearch: shown(found!),
    graphqlSearch: shown(gqlFound!),
    batch: shown(batch!),
    serviceDetail: shown(await properties.getProperty(p.id, ctxOf(who))),
  };
}

async function expectSees(p: Property, city: string, who: Session | undefined, expected: Shown) {
  const views = await everyView(p, city, who);
  for (const [path, view] of Object.entries(views))
    expect(view, `${who?.user.email ?? 'anonymous'}: ${path}`).toEqual(expected);
}

describe('who sees the exact location', () => {
  it('anonymous callers and other users see it redacted; the host and admins exact; everywhere', async () => {
    const city = uniqueCity();
    const p = await createPlace(city);
    expect(shown(p)).toEqual(EXACT);
    await expectSees(p, city, undefined, REDACTED);
    await expectSees(p, city, stranger, REDACTED);
    await expectSees(p, city, guest, REDACTED);
    await expectSees(p, city, host, EXACT);
    await expectSees(p, city, admin, EXACT);
  });

  it('a guest sees it exactly once the booking is confirmed, and no longer once it is released', async () => {
    const city = uniqueCity();
    const p = await createPlace(city);
    const refId = await book(p.id);
    // Holding the dates (pending) reveals nothing.
    await expectSees(p, city, guest, REDACTED);

    expect(await properties.revealLocation(db, refId)).toBe(1);
    await expectSees(p, city, guest, EXACT);
    // Only to that guest.
    await expectSees(p, city, stranger, REDACTED);
    await expectSees(p, city, undefined, REDACTED);

    expect(await properties.freeDates(db, [refId])).toBe(1);
    await expectSees(p, city, guest, REDACTED);
  });

  it("a confirmed booking reveals that place only: the guest's other places on the same page stay redacted", async () => {
    const city = uniqueCity();
    const [booked, other] = [await createPlace(city), await createPlace(city)];
    await properties.revealLocation(db, await book(booked.id));
    const page = (await restSearch({ city }, guest)).json<{ data: Property[] }>().data;
    expect(ids(page).sort()).toEqual([booked.id, other.id].sort());
    expect(shown(page.find((x) => x.id === booked.id)!)).toEqual(EXACT);
    expect(shown(page.find((x) => x.id === other.id)!)).toEqual(REDACTED);
    const batch = await properties.getPropertiesByIds([booked.id, other.id], ctxOf(guest));
    expect(shown(batch.get(booked.id)!)).toEqual(EXACT);
    expect(shown(batch.get(other.id)!)).toEqual(REDACTED);
  });

  it("the host's own list is exact, and so are the answers to the host's writes", async () => {
    const city = uniqueCity();
    const p = await createPlace(city);
    const list = await testApp().app.inject({ url: '/v1/hosts/me/properties?limit=100', headers: host.auth });
    expect(shown(list.json<{ data: Property[] }>().data.find((x) => x.id === p.id)!)).toEqual(EXACT);
    const patched = await testApp().app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}`,
      headers: host.auth,
      payload: { title: 'Still exact for its host' },
    });
    expect(shown(patched.json<Property>())).toEqual(EXACT);
  });
});

describe('caches never pass one caller’s view to another', () => {
  const hits = (name: string) => metricValue(testApp().app, `cache_lookups_total{cache="${name}",result="hit"}`);

  it('detail: host first then anonymous, and anonymous first then host', async () => {
    const city = uniqueCity();
    const first = await createPlace(city);
    expect(shown((await restDetail(first.id, host)).json())).toEqual(EXACT);
    const before = await hits('property');
    expect(shown((await restDetail(first.id)).json())).toEqual(REDACTED);
    expect(shown(await gqlDetail(first.id))).toEqual(REDACTED);
    // Served from the cache the host's read filled.
    expect(await hits('property')).toBeGreaterThan(before);

    const second = await createPlace(city);
    expect(shown((await restDetail(second.id)).json())).toEqual(REDACTED);
    expect(shown((await restDetail(second.id, host)).json())).toEqual(EXACT);
    expect(shown(await gqlDetail(second.id, host))).toEqual(EXACT);
    expect(shown((await restDetail(second.id)).json())).toEqual(REDACTED);
  });

  it('search: host first then anonymous, and anonymous first then host, for the same page', async () => {
    const city = uniqueCity();
    await createPlace(city);
    const page = async (who?: Session) =>
      (await restSearch({ city }, who)).json<{ data: Property[] }>().data.map(shown);

    expect(await page(host)).toEqual([EXACT]);
    const before = await hits('search');
    expect(await page()).toEqual([REDACTED]);
    expect(await hits('search')).toBeGreaterThan(before);
    expect((await gqlSearch({ city })).map(shown)).toEqual([REDACTED]);

    const other = uniqueCity();
    await createPlace(other);
    expect((await restSearch({ city: other })).json<{ data: Property[] }>().data.map(shown)).toEqual([REDACTED]);
    expect((await restSearch({ city: other }, host)).json<{ data: Property[] }>().data.map(shown)).toEqual([EXACT]);
    expect((await gqlSearch({ city: other }, admin)).map(shown)).toEqual([EXACT]);
    expect((await restSearch({ city: other })).json<{ data: Property[] }>().data.map(shown)).toEqual([REDACTED]);
  });
});

describe('HTTP caching of a view that depends on who asks', () => {
  it('the exact and the redacted view have different ETags; one never validates the other', async () => {
    const p = await createPlace(uniqueCity());
    const anon = await restDetail(p.id);
    const own = await restDetail(p.id, host);
    const anonTag = anon.headers.etag as string;
    const hostTag = own.headers.etag as string;
    expect(anonTag).toMatch(/^"[^"]+"$/);
    expect(hostTag).not.toBe(anonTag);
    // The admin gets the same exact representation, hence the host's tag.
    expect((await restDetail(p.id, admin)).headers.etag).toBe(hostTag);

    // An anonymous caller presenting the host's ETag gets the redacted body, not a 304.
    const replay = await restDetail(p.id, undefined, { 'if-none-match': hostTag });
    expect(replay.statusCode).toBe(200);
    expect(shown(replay.json())).toEqual(REDACTED);
    expect(replay.headers.etag).toBe(anonTag);
    // …and the host presenting the anonymous one gets the exact body.
    const hostReplay = await restDetail(p.id, host, { 'if-none-match': anonTag });
    expect(hostReplay.statusCode).toBe(200);
    expect(shown(hostReplay.json())).toEqual(EXACT);
    // Each one's own tag still answers 304.
    expect((await restDetail(p.id, undefined, { 'if-none-match': anonTag })).statusCode).toBe(304);
    expect((await restDetail(p.id, host, { 'if-none-match': hostTag })).statusCode).toBe(304);
  });

  it('a confirmed booking changes the guest’s ETag', async () => {
    const p = await createPlace(uniqueCity());
    const refId = await book(p.id);
    const before = (await restDetail(p.id, guest)).headers.etag as string;
    await properties.revealLocation(db, refId);
    const after = await restDetail(p.id, guest, { 'if-none-match': before });
    expect(after.statusCode).toBe(200);
    expect(shown(after.json())).toEqual(EXACT);
    expect(after.headers.etag).not.toBe(before);
  });

  it('only a redacted answer to an anonymous caller is public; every answer varies on Authorization', async () => {
    const p = await createPlace(uniqueCity());
    await properties.revealLocation(db, await book(p.id));
    const cases: [string, Session | undefined, string][] = [
      ['anonymous', undefined, 'public, max-age=60'],
      ['stranger', stranger, 'private, no-cache'],
      ['confirmed guest', guest, 'private, no-store'],
      ['host', host, 'private, no-store'],
      ['admin', admin, 'private, no-store'],
    ];
    for (const [who, session, cacheControl] of cases) {
      const res = await restDetail(p.id, session);
      expect(res.headers['cache-control'], who).toBe(cacheControl);
      expect(String(res.headers.vary).toLowerCase(), who).toContain('authorization');
      const notModified = await restDetail(p.id, session, { 'if-none-match': res.headers.etag as string });
      expect(notModified.statusCode, who).toBe(304);
      expect(notModified.headers['cache-control'], who).toBe(cacheControl);
      expect(String(notModified.headers.vary).toLowerCase(), who).toContain('authorization');
    }
    // A draft stays private to its host and admins, whoever asks; its 404 to others varies too.
    const draft = await createPlace(uniqueCity(), { status: 'draft' });
    expect((await restDetail(draft.id, host)).headers['cache-control']).toBe('private, no-store');
    const hidden = await restDetail(draft.id);
    expect(hidden.statusCode).toBe(404);
    expect(String(hidden.headers.vary).toLowerCase()).toContain('authorization');
  });

  it('search pages: public when anonymous, private when signed in, not stored when a place on it is exact', async () => {
    const city = uniqueCity();
    await createPlace(city);
    const cases: [string, Session | undefined, string][] = [
      ['anonymous', undefined, 'public, max-age=15'],
      ['stranger', stranger, 'private, max-age=15'],
      ['host', host, 'private, no-store'],
      ['admin', admin, 'private, no-store'],
    ];
    for (const [who, session, cacheControl] of cases) {
      const res = await restSearch({ city }, session);
      expect(res.statusCode, who).toBe(200);
      expect(res.headers['cache-control'], who).toBe(cacheControl);
      expect(String(res.headers.vary).toLowerCase(), who).toContain('authorization');
    }
  });

  it('keeps the Origin that CORS adds to Vary', async () => {
    const withCors = await createTestApp({ env: { CORS_ORIGINS: 'https://example.com' } });
    try {
      const owner = await register(withCors.app, { role: 'host' });
      const p = await createProperty(withCors.app, owner);
      for (const url of [`/v1/properties/${p.id}`, '/v1/properties?limit=1']) {
        const res = await withCors.app.inject({ url, headers: { origin: 'https://example.com' } });
        expect(res.headers['access-control-allow-origin'], url).toBe('https://example.com');
        const vary = String(res.headers.vary)
          .toLowerCase()
          .split(',')
          .map((v) => v.trim());
        expect(vary, url).toEqual(expect.arrayContaining(['origin', 'authorization']));
      }
    } finally {
      await withCors.close();
    }
  });
});

describe('radius search', () => {
  it('measures from the rounded point it shows, so a circle around the exact point alone misses it', async () => {
    const city = uniqueCity();
    const p = await createPlace(city);
    // 0.70 km from the exact point (41.155, -8.625); 1.16 km from the rounded (41.16, -8.63).
    const nearExact = { lat: 41.15, lng: -8.62, radiusKm: 1 };
    expect(distanceKm(nearExact.lat, nearExact.lng, EXACT.latitude, EXACT.longitude)).toBeLessThan(1);
    expect((await restSearch({ ...nearExact, city })).json<{ data: Property[] }>().data).toEqual([]);
    expect(ids(await gqlSearch({ ...nearExact, city }))).toEqual([]);
    // A circle around the rounded point that misses the exact one finds it.
    const aroundRounded = { lat: 41.165, lng: -8.635, radiusKm: 1 };
    expect(distanceKm(aroundRounded.lat, aroundRounded.lng, EXACT.latitude, EXACT.longitude)).toBeGreaterThan(1);
    const found = (await restSearch({ ...aroundRounded, city })).json<{ data: Property[] }>().data;
    expect(ids(found)).toEqual([p.id]);
    expect(shown(found[0]!)).toEqual(REDACTED);
    expect(distanceKm(aroundRounded.lat, aroundRounded.lng, found[0]!.latitude, found[0]!.longitude)).toBeLessThan(
      aroundRounded.radiusKm,
    );
    expect(ids(await gqlSearch({ ...aroundRounded, city }))).toEqual([p.id]);
  });
});

describe('query cost', () => {
  async function count(run: () => Promise<unknown>): Promise<number> {
    await run(); // warm every cache this read goes through
    queries = 0;
    await run();
    return queries;
  }
  const searchOf = (query: Record<string, string | number>, who?: Session) => () =>
    restSearch(query, who).then((r) => expect(r.statusCode).toBe(200));

  it('a signed-in caller’s search page costs two queries more than an anonymous one (the revealed places, the saved marks), whatever its length', async () => {
    const small = uniqueCity();
    const large = uniqueCity();
    for (let i = 0; i < 2; i++) await createPlace(small, { address: address(small) });
    for (let i = 0; i < 25; i++) await createPlace(large, { address: address(large) });
    const empty = uniqueCity();
    await createPlace(empty, { address: address(empty), status: 'draft' });

    // What authenticating a request costs, measured where no place needs the calendar.
    const auth = (await count(searchOf({ city: empty }, stranger))) - (await count(searchOf({ city: empty })));
    const anonLarge = await count(searchOf({ city: large, limit: 25 }));
    expect(await count(searchOf({ city: large, limit: 25 }, stranger))).toBe(anonLarge + auth + 2);
    expect(await count(searchOf({ city: small }, stranger))).toBe((await count(searchOf({ city: small }))) + auth + 2);
    // The same page over GraphQL: the same two extra queries.
    const gqlPage = (who?: Session) => () =>
      graphql(
        testApp().app,
        'query($c: String) { properties(filter: { city: $c }, first: 25) { edges { node { id address { line1 } } } } }',
        { c: large },
        headersOf(who),
      ).then((r) => expect(r.body.errors).toBeUndefined());
    expect(await count(gqlPage(stranger))).toBe((await count(gqlPage())) + auth + 2);
    // Hosts of every place on the page, and admins, need no calendar query at all (only the saved marks).
    expect(await count(searchOf({ city: large, limit: 25 }, host))).toBe(anonLarge + auth + 1);
    expect(await count(searchOf({ city: large, limit: 25 }, admin))).toBe(anonLarge + auth + 1);
    // Anonymous detail reads cost no calendar query either.
    const p = await createPlace(uniqueCity());
    expect(await count(() => restDetail(p.id))).toBe(0);
  });

  it('the batch load is four queries for any number of places (places, covers, revealed places, saved marks)', async () => {
    const city = uniqueCity();
    const places = [];
    for (let i = 0; i < 12; i++) places.push(await createPlace(city));
    await properties.revealLocation(db, await book(places[3]!.id));
    queries = 0;
    const batch = await properties.getPropertiesByIds(ids(places), ctxOf(guest));
    expect(queries).toBe(4);
    expect(batch.size).toBe(12);
    expect([...batch.values()].filter((x) => x.address.line1 !== null).map((x) => x.id)).toEqual([places[3]!.id]);
    queries = 0;
    await properties.getPropertiesByIds(ids(places), {});
    // Anonymous: the places and their covers.
    expect(queries).toBe(2);
  });
});

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
