import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';
import { address, createProperty, ids, propertyInput, search } from '#test/factories/properties.js';

const testApp = useTestApp();
let host: Session;
let otherHost: Session;
let guest: Session;
let admin: Session;

beforeAll(async () => {
  [host, otherHost, guest] = await Promise.all([
    register(testApp().app, { role: 'host' }),
    register(testApp().app, { role: 'host' }),
    register(testApp().app),
  ]);
  admin = await registerAdmin(testApp());
});

const get = (id: string, session?: Session) =>
  testApp().app.inject({ url: `/v1/properties/${id}`, headers: session ? session.auth : {} });
const patch = (id: string, payload: Record<string, unknown>, session: Session) =>
  testApp().app.inject({ method: 'PATCH', url: `/v1/properties/${id}`, headers: session.auth, payload });
const del = (id: string, session: Session) =>
  testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${id}`, headers: session.auth });
const post = (payload: Record<string, unknown>, session?: Session) =>
  testApp().app.inject({ method: 'POST', url: '/v1/properties', headers: session ? session.auth : {}, payload });
const errorPaths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path).sort();

describe('POST /v1/properties', () => {
  it('creates a draft by default, trimmed and normalised, with a Location', async () => {
    const res = await post(
      propertyInput({
        title: '  Quiet <b>loft</b> in Alfama  ',
        description: '  Tiled walls.  ',
        status: undefined,
        address: { line1: ' Rua 1 ', city: ' Lisbon ', country: 'pt' },
        currency: 'eur',
        amenities: ['wifi', 'Kitchen', 'wifi', 'air_conditioning'],
      }),
      host,
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/v1/properties/${body.id}`);
    expect(body).toMatchObject({
      hostId: host.user.id,
      // HTML is kept as plain text: stored as sent, never interpreted.
      title: 'Quiet <b>loft</b> in Alfama',
      description: 'Tiled walls.',
      address: { line1: 'Rua 1', city: 'Lisbon', region: '', postalCode: '', country: 'PT' },
      currency: 'EUR',
      amenities: ['air_conditioning', 'kitchen', 'wifi'],
      status: 'draft',
      cleaningFee: 0,
      weeklyDiscountPercent: 0,
      cancellationPolicy: 'moderate',
      ratingAverage: null,
      ratingCount: 0,
    });
    expect(body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('creates a listed property when asked, but never an unlisted one', async () => {
    const listed = await post(propertyInput({ status: 'listed' }), host);
    expect(listed.statusCode).toBe(201);
    expect(listed.json().status).toBe('listed');
    const unlisted = await post(propertyInput({ status: 'unlisted' }), host);
    expect(unlisted.statusCode).toBe(422);
    expect(errorPaths(unlisted.json())).toEqual(['status']);
  });

  it('is for hosts: a guest gets 403, an anonymous caller 401', async () => {
    const byGuest = await post(propertyInput(), guest);
    expect(byGuest.statusCode).toBe(403);
    expect(byGuest.json()).toMatchObject({ status: 403, code: 'host_required' });
    const anonymous = await post(propertyInput());
    expect(anonymous.statusCode).toBe(401);
  });

  it.each([
    ['an unknown country', { address: address('Lisbon', 'ZZ') }, ['address.country']],
    ['a malformed country', { address: address('Lisbon', 'PRT') }, ['address.country']],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, ['timezone']],
    ['an unknown currency', { currency: 'XYZ' }, ['currency']],
    ['a negative price', { nightlyPrice: -100 }, ['nightlyPrice']],
    ['a zero price', { nightlyPrice: 0 }, ['nightlyPrice']],
    ['a float price', { nightlyPrice: 99.5 }, ['nightlyPrice']],
    ['a price given as a string', { nightlyPrice: '100' }, ['nightlyPrice']],
    ['a title too short', { title: 'Tiny' }, ['title']],
    ['a title short once trimmed', { title: '   abc    ' }, ['title']],
    ['a title too long', { title: 'x'.repeat(121) }, ['title']],
    ['a description too long', { description: 'x'.repeat(5001) }, ['description']],
    ['a discount over 50 %', { weeklyDiscountPercent: 51 }, ['weeklyDiscountPercent']],
    ['no guests', { maxGuests: 0 }, ['maxGuests']],
    ['a latitude off the globe', { latitude: 91 }, ['latitude']],
    ['an unknown property type', { propertyType: 'castle' }, ['propertyType']],
    ['an amenity that is not a slug', { amenities: ['hot tub!'] }, ['amenities.0']],
    ['an unknown field', { featured: true }, ['featured']],
    ['a field only the server sets', { ratingAverage: 5 }, ['ratingAverage']],
    ['an unknown address field', { address: { ...address('Lisbon'), planet: 'Earth' } }, ['address.planet']],
  ])('rejects %s with 422 naming the field', async (_what, overrides, paths) => {
    const res = await post(propertyInput(overrides), host);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(errorPaths(res.json())).toEqual(paths);
  });

  it('lists every problem of a body in one 422', async () => {
    const res = await post(
      propertyInput({ title: 'abc', nightlyPrice: -1, timezone: 'Mars/Olympus', extra: 1, maxGuests: undefined }),
      host,
    );
    expect(res.statusCode).toBe(422);
    expect(errorPaths(res.json())).toEqual(['extra', 'maxGuests', 'nightlyPrice', 'timezone', 'title']);
  });
});

describe('reading a property', () => {
  it('shows a listed property to anyone: exact to its host and admins, without its street to others', async () => {
    // The host's answer says whether they keep the place in a wishlist; an anonymous one does not.
    const { saved: _saved, ...p } = await createProperty(testApp().app, host);
    const redacted = {
      ...p,
      address: { ...p.address, line1: null, postalCode: null },
      latitude: 38.71,
      longitude: -9.14,
    };
    for (const [who, expected] of [
      [undefined, redacted],
      [otherHost, redacted],
      [guest, redacted],
      [admin, p],
      [host, p],
    ] as const) {
      const res = await get(p.id, who);
      expect(res.statusCode).toBe(200);
      // A signed-in reader's answer also says whether they keep the place in a wishlist.
      expect(res.json()).toEqual(who ? { ...expected, saved: false } : expected);
    }
  });

  it.each(['draft', 'unlisted'] as const)(
    'hides a %s from everyone but its host and admins (404, as if it did not exist)',
    async (status) => {
      const p = await createProperty(testApp().app, host, { status: 'draft' });
      if (status === 'unlisted') expect((await patch(p.id, { status }, host)).statusCode).toBe(200);
      for (const who of [undefined, otherHost, guest]) {
        const res = await get(p.id, who);
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ status: 404, code: 'property_not_found' });
      }
      expect((await get(p.id, host)).json()).toMatchObject({ id: p.id, status });
      expect((await get(p.id, admin)).json()).toMatchObject({ id: p.id, status });
      expect(ids((await search(testApp().app, { limit: 100 })).body.data)).not.toContain(p.id);
    },
  );

  it('answers 404 for an unknown id and for a malformed one', async () => {
    expect((await get(randomUUID())).statusCode).toBe(404);
    expect((await get('not-a-uuid')).statusCode).toBe(404);
  });
});

describe('PATCH /v1/properties/{id}', () => {
  it('changes only the given fields; a partial address keeps the rest of it', async () => {
    const p = await createProperty(testApp().app, host);
    const res = await patch(
      p.id,
      {
        title: '  A new title  ',
        nightlyPrice: 12_345,
        amenities: ['pool', 'wifi', 'pool'],
        address: { city: 'Porto' },
      },
      host,
    );
    expect(res.statusCode).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      title: 'A new title',
      nightlyPrice: 12_345,
      amenities: ['pool', 'wifi'],
      address: { ...p.address, city: 'Porto' },
      description: p.description,
      maxGuests: p.maxGuests,
      createdAt: p.createdAt,
    });
    expect(updated.updatedAt > p.updatedAt).toBe(true);
    expect((await get(p.id, host)).json()).toEqual(updated);
  });

  it('moves a property between statuses; unlisting hides it at once', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await patch(p.id, { status: 'unlisted' }, host)).json().status).toBe('unlisted');
    expect((await get(p.id)).statusCode).toBe(404);
    expect((await patch(p.id, { status: 'listed' }, host)).json().status).toBe('listed');
    expect((await get(p.id)).statusCode).toBe(200);
  });

  it.each([
    ['an empty body', {}, ['']],
    ['an unknown field', { colour: 'blue' }, ['colour']],
    ['the host', { hostId: randomUUID() }, ['hostId']],
    ['a float price', { nightlyPrice: 10.5 }, ['nightlyPrice']],
    ['an unknown country', { address: { country: 'ZZ' } }, ['address.country']],
    ['a bad time zone', { timezone: 'Mars/Olympus' }, ['timezone']],
    ['a status that does not exist', { status: 'archived' }, ['status']],
  ])('rejects %s with 422', async (_what, payload, paths) => {
    const p = await createProperty(testApp().app, host);
    const res = await patch(p.id, payload, host);
    expect(res.statusCode).toBe(422);
    // An unknown field alone also leaves nothing to change, which is reported too.
    expect(errorPaths(res.json())).toEqual(expect.arrayContaining(paths));
  });

  it('is for the owner only: another host or an admin gets 403 on a listed place, 404 on a draft', async () => {
    const listed = await createProperty(testApp().app, host);
    const draft = await createProperty(testApp().app, host, { status: 'draft' });
    for (const who of [otherHost, guest, admin]) {
      const res = await patch(listed.id, { title: 'Taken over!' }, who);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('not_property_owner');
    }
    for (const who of [otherHost, guest])
      expect((await patch(draft.id, { title: 'Taken over!' }, who)).statusCode).toBe(404);
    expect(
      (await testApp().app.inject({ method: 'PATCH', url: `/v1/properties/${listed.id}`, payload: {} })).statusCode,
    ).toBe(401);
    expect((await get(listed.id)).json().title).toBe(listed.title);
  });

  it('answers 404 for an unknown property', async () => {
    expect((await patch(randomUUID(), { title: 'Nothing here' }, host)).statusCode).toBe(404);
  });
});

describe('DELETE /v1/properties/{id}', () => {
  it('is for the owner only', async () => {
    const p = await createProperty(testApp().app, host);
    for (const who of [otherHost, guest, admin]) expect((await del(p.id, who)).statusCode).toBe(403);
    expect((await testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${p.id}` })).statusCode).toBe(401);
    expect((await get(p.id)).statusCode).toBe(200);
  });

  it('soft-deletes: 404 everywhere afterwards, gone from search and from the host list, audited', async () => {
    const city = `Delcity${randomUUID().slice(0, 6)}`;
    const p = await createProperty(testApp().app, host, { address: address(city) });
    expect(ids((await search(testApp().app, { city })).body.data)).toEqual([p.id]);
    const res = await del(p.id, host);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    for (const who of [undefined, host, otherHost, admin]) expect((await get(p.id, who)).statusCode).toBe(404);
    expect((await patch(p.id, { title: 'Back again' }, host)).statusCode).toBe(404);
    expect((await del(p.id, host)).statusCode).toBe(404);
    expect(
      (await testApp().app.inject({ url: `/v1/properties/${p.id}/availability?from=2030-01-01&to=2030-02-01` }))
        .statusCode,
    ).toBe(404);
    expect((await search(testApp().app, { city })).body.data).toEqual([]);
    const mine = await testApp().app.inject({ url: '/v1/hosts/me/properties?limit=100', headers: host.auth });
    expect(ids(mine.json().data)).not.toContain(p.id);

    const audit = await testApp().app.inject({ url: `/v1/admin/audit?action=property.deleted`, headers: admin.auth });
    expect(audit.json().data).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: host.user.id, entity: 'property', entityId: p.id })]),
    );
  });
});

describe('GET /v1/hosts/me/properties', () => {
  it("lists the host's own properties of every status, newest first, and no one else's", async () => {
    const me = await register(testApp().app, { role: 'host' });
    const draft = await createProperty(testApp().app, me, { status: 'draft' });
    const listed = await createProperty(testApp().app, me);
    const unlisted = await createProperty(testApp().app, me);
    await patch(unlisted.id, { status: 'unlisted' }, me);
    const deleted = await createProperty(testApp().app, me);
    await del(deleted.id, me);
    await createProperty(testApp().app, otherHost);

    const res = await testApp().app.inject({ url: '/v1/hosts/me/properties', headers: me.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(ids(body.data)).toEqual([unlisted.id, listed.id, draft.id]);
    expect(body.data.map((p: { status: string }) => p.status)).toEqual(['unlisted', 'listed', 'draft']);
    expect(body.page).toEqual({ nextCursor: null, hasMore: false });

    const drafts = await testApp().app.inject({ url: '/v1/hosts/me/properties?status=draft', headers: me.auth });
    expect(ids(drafts.json().data)).toEqual([draft.id]);

    // One at a time with the cursor: every property once, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: LightMyRequestResponse = await testApp().app.inject({
        url: `/v1/hosts/me/properties?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        headers: me.auth,
      });
      const pageBody = page.json<{ data: { id: string }[]; page: { nextCursor: string | null } }>();
      seen.push(...ids(pageBody.data));
      cursor = pageBody.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([unlisted.id, listed.id, draft.id]);
  });

  it('is for hosts (403 for a guest, 401 anonymous) and validates its query', async () => {
    expect((await testApp().app.inject({ url: '/v1/hosts/me/properties', headers: guest.auth })).statusCode).toBe(403);
    expect((await testApp().app.inject({ url: '/v1/hosts/me/properties' })).statusCode).toBe(401);
    for (const qs of ['limit=101', 'limit=0', 'status=archived', 'cursor=garbage']) {
      const res = await testApp().app.inject({ url: `/v1/hosts/me/properties?${qs}`, headers: host.auth });
      expect(res.statusCode, qs).toBe(422);
      expect(res.json().errors.length, qs).toBeGreaterThan(0);
    }
  });
});
