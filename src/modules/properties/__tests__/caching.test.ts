import { beforeAll, describe, expect, it } from 'vitest';
import { register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';
import { address, createProperty, ids, inDays, metricValue, search, uniqueCity } from '#test/factories/properties.js';

/**
 * What readers see after a write, through whichever cache the app runs on: Redis when
 * TEST_REDIS_URL is set, the in-process LRU otherwise (CI runs the suite both ways).
 */
const testApp = useTestApp();
let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

const usingRedis = Boolean(process.env.TEST_REDIS_URL);
const get = (id: string, headers: Record<string, string> = {}) =>
  testApp().app.inject({ url: `/v1/properties/${id}`, headers });
const patch = (id: string, payload: Record<string, unknown>) =>
  testApp().app.inject({ method: 'PATCH', url: `/v1/properties/${id}`, headers: host.auth, payload });

describe('the cache in use', () => {
  it(`is ${usingRedis ? 'Redis' : 'the in-process LRU'}`, async () => {
    expect(testApp().container.redis !== undefined).toBe(usingRedis);
    if (!usingRedis) return;
    // The detail of a property read once is in Redis, under this app's prefix.
    const p = await createProperty(testApp().app, host);
    await get(p.id);
    const key = `${testApp().container.redisPrefix}property:${p.id}`;
    const generation = `${testApp().container.redisPrefix}property-gen:${p.id}`;
    expect(await testApp().container.redis!.exists(key)).toBe(1);
    const before = await testApp().container.redis!.get(generation);
    expect(before).not.toBeNull();
    // A write moves the place to a new generation: the stored copy is no longer served.
    await patch(p.id, { title: 'Changed in Redis too' });
    expect(await testApp().container.redis!.get(generation)).not.toBe(before);
  });
});

describe('cache invalidation: a read after a write shows the write', () => {
  it('detail: a repeated read is a cache hit; a PATCH is seen by the next read', async () => {
    const p = await createProperty(testApp().app, host);
    const sample = 'cache_lookups_total{cache="property",result="hit"}';
    expect((await get(p.id)).json().title).toBe(p.title);
    const hitsBefore = await metricValue(testApp().app, sample);
    expect((await get(p.id)).json().title).toBe(p.title);
    expect(await metricValue(testApp().app, sample)).toBeGreaterThan(hitsBefore);

    expect((await patch(p.id, { title: 'A brand new title' })).statusCode).toBe(200);
    expect((await get(p.id)).json().title).toBe('A brand new title');
    expect((await get(p.id)).json().title).toBe('A brand new title');
  });

  it('search: a PATCHed price shows in the same search at once', async () => {
    const city = uniqueCity();
    const p = await createProperty(testApp().app, host, { address: address(city), nightlyPrice: 10_000 });
    const query = { city, sort: 'price_asc' };
    expect((await search(testApp().app, query)).body.data.map((x) => x.nightlyPrice)).toEqual([10_000]);
    // Served again (from the cache) unchanged.
    expect((await search(testApp().app, query)).body.data.map((x) => x.nightlyPrice)).toEqual([10_000]);
    await patch(p.id, { nightlyPrice: 7_500 });
    expect((await search(testApp().app, query)).body.data.map((x) => x.nightlyPrice)).toEqual([7_500]);
    // A filter on the old price no longer finds it, one on the new price does.
    expect((await search(testApp().app, { city, minPrice: 10_000 })).body.data).toEqual([]);
    expect(ids((await search(testApp().app, { city, maxPrice: 7_500 })).body.data)).toEqual([p.id]);
  });

  it('search: a new listing, a listing moved to a searched city and an unlisted one show at once', async () => {
    const city = uniqueCity();
    // A city searched before any place is listed there.
    expect((await search(testApp().app, { city })).body.data).toEqual([]);
    const created = await createProperty(testApp().app, host, { address: address(city) });
    expect(ids((await search(testApp().app, { city })).body.data)).toEqual([created.id]);

    const elsewhere = uniqueCity();
    expect((await search(testApp().app, { city: elsewhere })).body.data).toEqual([]);
    await patch(created.id, { address: { city: elsewhere } });
    expect(ids((await search(testApp().app, { city: elsewhere })).body.data)).toEqual([created.id]);
    expect((await search(testApp().app, { city })).body.data).toEqual([]);

    await patch(created.id, { status: 'unlisted' });
    expect((await search(testApp().app, { city: elsewhere })).body.data).toEqual([]);
    expect((await get(created.id)).statusCode).toBe(404);
  });

  it('a block removes the place from a dated search at once, and deleting it brings it back', async () => {
    const city = uniqueCity();
    const p = await createProperty(testApp().app, host, { address: address(city) });
    const dated = { city, checkIn: inDays(30), checkOut: inDays(33) };
    expect(ids((await search(testApp().app, dated)).body.data)).toEqual([p.id]);
    const block = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/blocks`,
      headers: host.auth,
      payload: { start: inDays(32), end: inDays(40) },
    });
    expect(block.statusCode).toBe(201);
    expect((await search(testApp().app, dated)).body.data).toEqual([]);
    const availability = await testApp().app.inject({
      url: `/v1/properties/${p.id}/availability?from=${inDays(30)}&to=${inDays(35)}`,
    });
    expect(availability.json().unavailable).toEqual([{ start: inDays(32), end: inDays(35), reason: 'blocked' }]);

    const removed = await testApp().app.inject({
      method: 'DELETE',
      url: `/v1/properties/${p.id}/blocks/${block.json().id}`,
      headers: host.auth,
    });
    expect(removed.statusCode).toBe(204);
    expect(ids((await search(testApp().app, dated)).body.data)).toEqual([p.id]);
  });

  it('a deleted property is gone from the detail and from search at once', async () => {
    const city = uniqueCity();
    const p = await createProperty(testApp().app, host, { address: address(city) });
    expect((await get(p.id)).statusCode).toBe(200);
    expect(ids((await search(testApp().app, { city })).body.data)).toEqual([p.id]);
    await testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${p.id}`, headers: host.auth });
    expect((await get(p.id)).statusCode).toBe(404);
    expect((await search(testApp().app, { city })).body.data).toEqual([]);
  });
});

describe('ETag and conditional GET', () => {
  it('a listed property carries an ETag and public caching; If-None-Match answers 304 with no body', async () => {
    const p = await createProperty(testApp().app, host);
    const first = await get(p.id);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    // The same for every reader of the same representation; a signed-in reader's carries
    // `saved` (and is private), the host's exact one has its own.
    expect((await get(p.id)).headers.etag).toBe(etag);
    const stranger = await register(testApp().app);
    const theirs = await get(p.id, stranger.auth);
    expect(theirs.json()).toMatchObject({ saved: false });
    expect(theirs.headers['cache-control']).toMatch(/^private/);
    expect(theirs.headers.etag).not.toBe(etag);
    expect((await get(p.id, host.auth)).headers.etag).not.toBe(etag);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"something-else", ${etag}`]) {
      const res = await get(p.id, { 'if-none-match': ifNoneMatch });
      expect(res.statusCode, ifNoneMatch).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(etag);
    }
    const other = await get(p.id, { 'if-none-match': '"something-else"' });
    expect(other.statusCode).toBe(200);
    const { saved: _saved, ...anonymous } = p;
    expect(other.json()).toEqual({
      ...anonymous,
      address: { ...p.address, line1: null, postalCode: null },
      latitude: 38.71,
      longitude: -9.14,
    });
  });

  it('after an update the old ETag gets 200 with a new ETag', async () => {
    const p = await createProperty(testApp().app, host);
    const etag = (await get(p.id)).headers.etag as string;
    await patch(p.id, { nightlyPrice: 12_000 });
    const res = await get(p.id, { 'if-none-match': etag });
    expect(res.statusCode).toBe(200);
    expect(res.json().nightlyPrice).toBe(12_000);
    const fresh = res.headers.etag as string;
    expect(fresh).not.toBe(etag);
    expect((await get(p.id, { 'if-none-match': fresh })).statusCode).toBe(304);
  });

  it('a draft is private to its host (no-store) and its ETag reveals nothing to others', async () => {
    const p = await createProperty(testApp().app, host, { status: 'draft' });
    const own = await get(p.id, host.auth);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-store');
    const admin = await registerAdmin(testApp());
    expect((await get(p.id, admin.auth)).headers['cache-control']).toBe('private, no-store');
    const etag = own.headers.etag as string;
    expect((await get(p.id, { 'if-none-match': etag })).statusCode).toBe(404);
    const stranger = await register(testApp().app, { role: 'host' });
    expect((await get(p.id, { ...stranger.auth, 'if-none-match': etag })).statusCode).toBe(404);
  });
});
