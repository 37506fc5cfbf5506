import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty } from '#test/factories/properties.js';
import { createTestApp, register, registerAdmin, rowsOf, type Session, useTestApp, PASSWORD } from '#test/helpers.js';
import { MAX_PLACES_PER_WISHLIST, MAX_WISHLISTS_PER_USER } from '../wishlists.policy.js';

// Wishlists over REST: the lists, their places, sharing, the limits under concurrency,
// privacy (another user's list is a 404), places that stop showing, and the account's
// export and closure.

const testApp = useTestApp();
const app = () => testApp().app;
const db = () => testApp().container.database.db;

interface WishlistBody {
  id: string;
  name: string;
  shared: boolean;
  shareToken: string | null;
  placeCount: number;
  createdAt: string;
  updatedAt: string;
}
interface PageBody<T> {
  data: T[];
  page: { nextCursor: string | null; hasMore: boolean };
}
interface DetailBody extends WishlistBody {
  places: PageBody<{ id: string; saved?: boolean; address: { line1: string | null } }>;
}

let host: Session;
let guest: Session;
let other: Session;
let admin: Session;
let places: string[];

beforeAll(async () => {
  [host, guest, other, admin] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app()),
    register(app()),
    registerAdmin(testApp()),
  ]);
  places = [];
  for (let i = 0; i < 5; i++) places.push((await createProperty(app(), host, { title: `Listed place ${i}` })).id);
});

const call = (
  as: Session | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
): Promise<LightMyRequestResponse> =>
  app().inject({ method, url, headers: as?.auth ?? {}, ...(payload === undefined ? {} : { payload }) });

async function create(as: Session, body: Record<string, unknown> = { name: 'Trip ideas' }): Promise<WishlistBody> {
  const res = await call(as, 'POST', '/v1/wishlists', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<WishlistBody>();
}
const save = (as: Session, list: string, place: string) => call(as, 'PUT', `/v1/wishlists/${list}/places/${place}`);
async function detail(as: Session | undefined, list: string, query = ''): Promise<DetailBody> {
  const res = await call(as, 'GET', `/v1/wishlists/${list}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DetailBody>();
}
const problem = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: res.json<{ code: string }>().code });
const membershipRows = (list: string) =>
  rowsOf<{ property_id: string; user_id: string }>(
    db(),
    sql`select property_id, user_id from wishlist_places where wishlist_id = ${list} order by created_at`,
  );

/** `n` listed places copied from `source` in one statement (limit tests need many). */
async function clonePlaces(source: string, n: number): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db(),
    sql`insert into properties (host_id, title, description, property_type, address_line1, city, region,
          postal_code, country, latitude, longitude, timezone, currency, nightly_price, max_guests, status)
        select host_id, title || ' ' || g, description, property_type, address_line1, city, region, postal_code,
          country, latitude, longitude, timezone, currency, nightly_price, max_guests, 'listed'
        from properties, generate_series(1, ${n}) g where id = ${source}
        returning id`,
  );
  return rows.map((r) => r.id);
}

describe('creating and reading lists', () => {
  it('creates a private list: 201 with Location, the name trimmed, no token, no places', async () => {
    const res = await call(guest, 'POST', '/v1/wishlists', { name: '  Lisbon in spring  ' });
    expect(res.statusCode).toBe(201);
    const body = res.json<WishlistBody>();
    expect(res.headers.location).toBe(`/v1/wishlists/${body.id}`);
    expect(body).toEqual({
      id: expect.any(String),
      name: 'Lisbon in spring',
      shared: false,
      shareToken: null,
      placeCount: 0,
      createdAt: expect.any(String),
      updatedAt: body.createdAt,
    });
    expect(await detail(guest, body.id)).toEqual({
      ...body,
      places: { data: [], page: { nextCursor: null, hasMore: false } },
    });
  });

  it.each([
    ['empty', { name: '' }],
    ['whitespace only', { name: '   \t ' }],
    ['invisible characters only', { name: '\u200b\u200d\ufeff' }],
    ['101 characters', { name: 'x'.repeat(101) }],
    ['not a string', { name: 12 }],
    ['missing', {}],
    ['an unknown field', { name: 'Ok', userId: randomUUID() }],
  ])('refuses a name that is %s with 422', async (_what, body) => {
    const res = await call(guest, 'POST', '/v1/wishlists', body);
    expect(problem(res)).toEqual({ status: 422, code: 'validation_failed' });
  });

  it('takes a name of exactly 100 characters after trimming', async () => {
    expect((await create(guest, { name: ` ${'é'.repeat(100)} ` })).name).toBe('é'.repeat(100));
  });

  it('needs a signed-in caller on every private route', async () => {
    const list = await create(guest);
    for (const [method, url] of [
      ['POST', '/v1/wishlists'],
      ['GET', '/v1/wishlists'],
      ['GET', `/v1/wishlists/${list.id}`],
      ['PATCH', `/v1/wishlists/${list.id}`],
      ['DELETE', `/v1/wishlists/${list.id}`],
      ['PUT', `/v1/wishlists/${list.id}/places/${places[0]}`],
      ['DELETE', `/v1/wishlists/${list.id}/places/${places[0]}`],
    ] as const) {
      const res = await call(
        undefined,
        method,
        url,
        method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined,
      );
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('lists the caller’s lists newest first, paginated by cursor, each with its place count', async () => {
    const user = await register(app());
    const made: WishlistBody[] = [];
    for (const name of ['One', 'Two', 'Three']) made.push(await create(user, { name }));
    expect((await save(user, made[1]!.id, places[0]!)).statusCode).toBe(200);
    expect((await save(user, made[1]!.id, places[1]!)).statusCode).toBe(200);

    const first = (await call(user, 'GET', '/v1/wishlists?limit=2')).json<PageBody<WishlistBody>>();
    expect(first.data.map((l) => [l.name, l.placeCount])).toEqual([
      ['Three', 0],
      ['Two', 2],
    ]);
    expect(first.page.hasMore).toBe(true);
    const second = (
      await call(user, 'GET', `/v1/wishlists?limit=2&cursor=${encodeURIComponent(first.page.nextCursor!)}`)
    ).json<PageBody<WishlistBody>>();
    expect(second).toEqual({
      data: [expect.objectContaining({ name: 'One', placeCount: 0 })],
      page: { nextCursor: null, hasMore: false },
    });
    // Nobody else's lists.
    expect(
      (await call(other, 'GET', '/v1/wishlists')).json<PageBody<WishlistBody>>().data.map((l) => l.id),
    ).not.toContain(made[0]!.id);
    expect(problem(await call(user, 'GET', '/v1/wishlists?cursor=bm90LWEtY3Vyc29y'))).toEqual({
      status: 422,
      code: 'invalid_cursor',
    });
    expect(problem(await call(user, 'GET', '/v1/wishlists?limit=101'))).toEqual({
      status: 422,
      code: 'validation_failed',
    });
  });
});

describe('privacy: a list is its owner’s alone', () => {
  it('answers 404 to another user and to an admin on every route, and changes nothing', async () => {
    const list = await create(guest, { name: 'Mine' });
    const saved = await save(guest, list.id, places[0]!);
    expect(saved.statusCode).toBe(200);
    for (const intruder of [other, admin, host]) {
      for (const [method, url, payload] of [
        ['GET', `/v1/wishlists/${list.id}`, undefined],
        ['PATCH', `/v1/wishlists/${list.id}`, { name: 'Theirs', shared: true }],
        ['DELETE', `/v1/wishlists/${list.id}`, undefined],
        ['PUT', `/v1/wishlists/${list.id}/places/${places[1]}`, undefined],
        ['DELETE', `/v1/wishlists/${list.id}/places/${places[0]}`, undefined],
      ] as const) {
        const res = await call(intruder, method, url, payload);
        expect(problem(res), `${method} ${url}`).toEqual({ status: 404, code: 'wishlist_not_found' });
      }
    }
    const after = await detail(guest, list.id);
    expect(after).toMatchObject({
      name: 'Mine',
      shared: false,
      placeCount: 1,
      updatedAt: saved.json<WishlistBody>().updatedAt,
    });
    expect(after.places.data.map((p) => p.id)).toEqual([places[0]]);
  });

  it('answers the same 404 for an unknown id, and for a malformed one', async () => {
    expect(problem(await call(guest, 'GET', `/v1/wishlists/${randomUUID()}`))).toEqual({
      status: 404,
      code: 'wishlist_not_found',
    });
    expect(problem(await call(guest, 'GET', '/v1/wishlists/not-a-uuid'))).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('places in a list', () => {
  it('saves a place idempotently: the same answer twice, one row', async () => {
    const list = await create(guest);
    const first = await save(guest, list.id, places[2]!);
    expect(first.statusCode).toBe(200);
    const body = first.json<WishlistBody>();
    expect(body).toMatchObject({ id: list.id, placeCount: 1 });
    expect(body.updatedAt > list.updatedAt || body.updatedAt === list.updatedAt).toBe(true);
    const again = await save(guest, list.id, places[2]!);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(body);
    expect(await membershipRows(list.id)).toEqual([{ property_id: places[2], user_id: guest.user.id }]);
  });

  it('refuses a place the caller cannot see (404) and one guests cannot book (422)', async () => {
    const list = await create(guest);
    const draft = await createProperty(app(), host, { status: 'draft' });
    expect(problem(await save(guest, list.id, randomUUID()))).toEqual({ status: 404, code: 'property_not_found' });
    expect(problem(await save(guest, list.id, draft.id))).toEqual({ status: 404, code: 'property_not_found' });
    // Its host sees the draft, an admin sees anything: neither can keep what is not listed.
    const hostList = await create(host);
    expect(problem(await save(host, hostList.id, draft.id))).toEqual({ status: 422, code: 'property_not_listed' });
    const adminList = await create(admin);
    expect(problem(await save(admin, adminList.id, draft.id))).toEqual({ status: 422, code: 'property_not_listed' });
    expect(problem(await save(guest, list.id, 'nope'))).toEqual({ status: 404, code: 'not_found' });
    expect(await membershipRows(list.id)).toEqual([]);
  });

  it('lets a host keep their own listed place', async () => {
    const list = await create(host);
    expect((await save(host, list.id, places[0]!)).json<WishlistBody>().placeCount).toBe(1);
  });

  it('removes a place idempotently: 204 whether or not the list kept it', async () => {
    const list = await create(guest);
    await save(guest, list.id, places[0]!);
    await save(guest, list.id, places[1]!);
    expect((await call(guest, 'DELETE', `/v1/wishlists/${list.id}/places/${places[0]}`)).statusCode).toBe(204);
    expect((await call(guest, 'DELETE', `/v1/wishlists/${list.id}/places/${places[0]}`)).statusCode).toBe(204);
    expect((await call(guest, 'DELETE', `/v1/wishlists/${list.id}/places/${randomUUID()}`)).statusCode).toBe(204);
    const after = await detail(guest, list.id);
    expect(after.placeCount).toBe(1);
    expect(after.places.data.map((p) => p.id)).toEqual([places[1]]);
  });

  it('pages through a list’s places, most recently saved first, as cards with saved and location privacy', async () => {
    const list = await create(guest);
    for (const p of places) expect((await save(guest, list.id, p)).statusCode).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: DetailBody = await detail(
        guest,
        list.id,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.placeCount).toBe(places.length);
      for (const card of page.places.data) {
        expect(card.saved).toBe(true);
        expect(card.address.line1).toBeNull();
      }
      seen.push(...page.places.data.map((p) => p.id));
      cursor = page.places.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...places].reverse());
    expect(problem(await call(guest, 'GET', `/v1/wishlists/${list.id}?limit=0`))).toEqual({
      status: 422,
      code: 'validation_failed',
    });
  });

  it('leaves out places that are unlisted (until listed again) and deleted, from pages and counts, without error', async () => {
    const [keep, hide, gone] = await Promise.all([0, 1, 2].map(() => createProperty(app(), host)));
    const list = await create(guest);
    const otherList = await create(other);
    for (const p of [keep!, hide!, gone!]) await save(guest, list.id, p.id);
    await save(other, otherList.id, gone!.id);

    const unlist = await call(host, 'PATCH', `/v1/properties/${hide!.id}`, { status: 'unlisted' });
    expect(unlist.statusCode).toBe(200);
    expect((await call(host, 'DELETE', `/v1/properties/${gone!.id}`)).statusCode).toBe(204);

    const shown = await detail(guest, list.id);
    expect(shown.placeCount).toBe(1);
    expect(shown.places.data.map((p) => p.id)).toEqual([keep!.id]);
    const listed = (await call(guest, 'GET', '/v1/wishlists?limit=100')).json<PageBody<WishlistBody>>();
    expect(listed.data.find((l) => l.id === list.id)?.placeCount).toBe(1);
    // The deleted place left every list in the delete's transaction; the unlisted one is kept.
    expect((await membershipRows(list.id)).map((r) => r.property_id).sort()).toEqual([keep!.id, hide!.id].sort());
    expect(await membershipRows(otherList.id)).toEqual([]);
    // Saving a deleted place is a 404 like any place one cannot see; an unlisted one, too.
    expect(problem(await save(guest, list.id, gone!.id))).toEqual({ status: 404, code: 'property_not_found' });
    expect(problem(await save(guest, list.id, hide!.id))).toEqual({ status: 404, code: 'property_not_found' });

    expect((await call(host, 'PATCH', `/v1/properties/${hide!.id}`, { status: 'listed' })).statusCode).toBe(200);
    const back = await detail(guest, list.id);
    expect(back.placeCount).toBe(2);
    expect(back.places.data.map((p) => p.id)).toEqual([hide!.id, keep!.id]);
  });
});

describe('sharing', () => {
  it('gives a read-only link on demand, readable anonymously, and kills it when sharing ends', async () => {
    const list = await create(guest, { name: 'Share me' });
    await save(guest, list.id, places[3]!);
    const shared = (await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { shared: true })).json<WishlistBody>();
    expect(shared.shared).toBe(true);
    expect(shared.shareToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(shared.updatedAt >= list.updatedAt).toBe(true);

    const anonymous = await call(undefined, 'GET', `/v1/shared-wishlists/${shared.shareToken}`);
    expect(anonymous.statusCode).toBe(200);
    const body = anonymous.json<DetailBody>();
    expect(body).toMatchObject({ id: list.id, name: 'Share me', placeCount: 1 });
    expect(body.places.data.map((p) => p.id)).toEqual([places[3]]);
    expect(body.places.data[0]).not.toHaveProperty('saved');
    // A signed-in reader sees their own `saved`, not the owner's.
    const asOther = (await call(other, 'GET', `/v1/shared-wishlists/${shared.shareToken}`)).json<DetailBody>();
    expect(asOther.places.data[0]!.saved).toBe(false);

    // Sharing an already shared list keeps its token.
    const again = (await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { shared: true })).json<WishlistBody>();
    expect(again.shareToken).toBe(shared.shareToken);
    expect(again.updatedAt).toBe(shared.updatedAt);

    const off = (await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { shared: false })).json<WishlistBody>();
    expect(off).toMatchObject({ shared: false, shareToken: null });
    expect(problem(await call(undefined, 'GET', `/v1/shared-wishlists/${shared.shareToken}`))).toEqual({
      status: 404,
      code: 'shared_wishlist_not_found',
    });

    const on = (await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { shared: true })).json<WishlistBody>();
    expect(on.shareToken).not.toBe(shared.shareToken);
    expect((await call(undefined, 'GET', `/v1/shared-wishlists/${on.shareToken}`)).statusCode).toBe(200);
    expect((await call(undefined, 'GET', `/v1/shared-wishlists/${shared.shareToken}`)).statusCode).toBe(404);

    // The token is stored beside its SHA-256, by which it is looked up.
    const [row] = await rowsOf<{ share_token: string; share_token_hash: string }>(
      db(),
      sql`select share_token, share_token_hash from wishlists where id = ${list.id}`,
    );
    expect(row!.share_token).toBe(on.shareToken);
    expect(row!.share_token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await call(guest, 'DELETE', `/v1/wishlists/${list.id}`)).statusCode).toBe(204);
    expect((await call(undefined, 'GET', `/v1/shared-wishlists/${on.shareToken}`)).statusCode).toBe(404);
  });

  it('can be shared from creation, and renamed without touching its link', async () => {
    const list = await create(guest, { name: 'Open', shared: true });
    expect(list.shareToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const renamed = (
      await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { name: '  Renamed ' })
    ).json<WishlistBody>();
    expect(renamed).toMatchObject({ name: 'Renamed', shareToken: list.shareToken });
    const unchanged = await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, {});
    expect(unchanged.json()).toEqual(renamed);
    expect(problem(await call(guest, 'PATCH', `/v1/wishlists/${list.id}`, { shareToken: 'x' }))).toEqual({
      status: 422,
      code: 'validation_failed',
    });
  });

  it('answers 404 for a token that was never issued or is malformed', async () => {
    const forged = 'A'.repeat(43);
    expect(problem(await call(undefined, 'GET', `/v1/shared-wishlists/${forged}`))).toEqual({
      status: 404,
      code: 'shared_wishlist_not_found',
    });
    expect(problem(await call(undefined, 'GET', '/v1/shared-wishlists/short'))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });
});

describe('limits', () => {
  it(`keeps at most ${MAX_WISHLISTS_PER_USER} lists per user, even when creations race`, async () => {
    const user = await register(app());
    const results = await Promise.all(
      Array.from({ length: MAX_WISHLISTS_PER_USER + 5 }, (_, i) =>
        call(user, 'POST', '/v1/wishlists', { name: `List ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_WISHLISTS_PER_USER);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    expect(problem(results.find((r) => r.statusCode === 409)!)).toEqual({
      status: 409,
      code: 'wishlist_limit_reached',
    });
    const [{ n }] = (await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from wishlists where user_id = ${user.user.id}`,
    )) as [{ n: number }];
    expect(n).toBe(MAX_WISHLISTS_PER_USER);
    // Another user is not affected; a deletion makes room.
    expect((await call(other, 'POST', '/v1/wishlists', { name: 'Fine' })).statusCode).toBe(201);
    const some = results.find((r) => r.statusCode === 201)!.json<WishlistBody>();
    expect((await call(user, 'DELETE', `/v1/wishlists/${some.id}`)).statusCode).toBe(204);
    expect((await call(user, 'POST', '/v1/wishlists', { name: 'Room again' })).statusCode).toBe(201);
  });

  it(`keeps at most ${MAX_PLACES_PER_WISHLIST} places per list, even when saves race; a repeat still answers`, async () => {
    const user = await register(app());
    const list = await create(user);
    const many = await clonePlaces(places[0]!, MAX_PLACES_PER_WISHLIST + 3);
    // All but two kept already (written directly: a thousand calls would only be slow).
    const kept = many.slice(0, MAX_PLACES_PER_WISHLIST - 2);
    await testApp().container.database.db.execute(
      sql`insert into wishlist_places (wishlist_id, property_id, user_id)
          select ${list.id}::uuid, id, ${user.user.id}::uuid from unnest(${sql.param(kept)}::uuid[]) as t(id)`,
    );
    const racing = many.slice(MAX_PLACES_PER_WISHLIST - 2);
    expect(racing).toHaveLength(5);
    const results = await Promise.all(racing.map((p) => save(user, list.id, p)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 409, 409, 409]);
    expect(problem(results.find((r) => r.statusCode === 409)!)).toEqual({ status: 409, code: 'wishlist_full' });
    expect(await membershipRows(list.id)).toHaveLength(MAX_PLACES_PER_WISHLIST);
    // Saving a place the full list already keeps is still the same answer.
    const repeat = await save(user, list.id, kept[0]!);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json<WishlistBody>().placeCount).toBe(MAX_PLACES_PER_WISHLIST);
  });

  it('is rate-limited like every request, per client address', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const user = await register(limited.app);
      const answers: number[] = [];
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.app.inject({
          method: 'POST',
          url: '/v1/wishlists',
          headers: user.auth,
          payload: { name: `n${i}` },
        });
        answers.push(last.statusCode);
      }
      // Registration took one of the three.
      expect(answers).toEqual([201, 201, 429, 429]);
      expect(last!.headers['retry-after']).toBeDefined();
      expect(last!.json<{ code: string }>().code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('the account', () => {
  it('exports every list with every place it keeps, hidden ones included, without the token', async () => {
    const user = await register(app());
    const list = await create(user, { name: 'Exported', shared: true });
    const hidden = await createProperty(app(), host);
    await save(user, list.id, places[4]!);
    await save(user, list.id, hidden.id);
    await call(host, 'PATCH', `/v1/properties/${hidden.id}`, { status: 'unlisted' });
    const res = await call(user, 'GET', '/v1/me/export');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ wishlists: unknown[] }>();
    expect(doc.wishlists).toEqual([
      {
        id: list.id,
        name: 'Exported',
        shared: true,
        createdAt: list.createdAt,
        updatedAt: expect.any(String),
        places: [
          { propertyId: hidden.id, savedAt: expect.any(String) },
          { propertyId: places[4], savedAt: expect.any(String) },
        ],
      },
    ]);
    expect(res.body).not.toContain(list.shareToken!);
  });

  it('erases the lists, their places and their links when the account is closed', async () => {
    const user = await register(app());
    const list = await create(user, { name: 'Closing', shared: true });
    await save(user, list.id, places[0]!);
    const closed = await call(user, 'DELETE', '/v1/me', { password: PASSWORD });
    expect(closed.statusCode, closed.body).toBe(204);
    expect(await rowsOf(db(), sql`select id from wishlists where user_id = ${user.user.id}`)).toEqual([]);
    expect(await rowsOf(db(), sql`select 1 from wishlist_places where user_id = ${user.user.id}`)).toEqual([]);
    expect((await call(undefined, 'GET', `/v1/shared-wishlists/${list.shareToken}`)).statusCode).toBe(404);
  });
});
