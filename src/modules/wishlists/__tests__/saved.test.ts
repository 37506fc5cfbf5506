import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import { graphql, register, rowsOf, type Session, useTestApp } from '#test/helpers.js';

// `saved` on places: true or false for a signed-in caller on search results and details,
// over REST and GraphQL, absent (REST) or null (GraphQL) for anonymous callers — read for a
// whole page in one indexed query, never one per place.

/** SQL statements that read or write the wishlist tables, as the app sends them. */
const wishlistStatements: string[] = [];
const testApp = useTestApp({
  onQuery: (statement) => {
    if (/"wishlist_places"|"wishlists"/.test(statement)) wishlistStatements.push(statement);
  },
});
const app = () => testApp().app;

const PAGE = 20;
const city = uniqueCity();
let host: Session;
let saver: Session;
let bystander: Session;
/** Newest first, as search answers by default. */
const places: string[] = [];
let saved: Set<string>;

beforeAll(async () => {
  [host, saver, bystander] = await Promise.all([register(app(), { role: 'host' }), register(app()), register(app())]);
  for (let i = 0; i < PAGE + 2; i++) {
    places.unshift((await createProperty(app(), host, { title: `Saved test ${i}`, address: address(city) })).id);
  }
  // Two lists; one place in both (still one `saved`), some on page 1, one on page 2.
  const lists: string[] = [];
  for (const name of ['Beach', 'City']) {
    const res = await app().inject({ method: 'POST', url: '/v1/wishlists', headers: saver.auth, payload: { name } });
    lists.push(res.json<{ id: string }>().id);
  }
  const keep = [places[0]!, places[3]!, places[7]!, places[PAGE + 1]!];
  for (const p of keep) {
    const res = await app().inject({
      method: 'PUT',
      url: `/v1/wishlists/${lists[0]}/places/${p}`,
      headers: saver.auth,
    });
    expect(res.statusCode).toBe(200);
  }
  await app().inject({ method: 'PUT', url: `/v1/wishlists/${lists[1]}/places/${places[3]}`, headers: saver.auth });
  saved = new Set(keep);
});

interface Card {
  id: string;
  saved?: boolean;
}

/** The statements about wishlists that `run` caused. */
async function counting<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  wishlistStatements.length = 0;
  const result = await run();
  return { result, statements: [...wishlistStatements] };
}

const searchPage = (as: Session | undefined, query = '') =>
  app().inject({ url: `/v1/properties?city=${city}&limit=${PAGE}${query}`, headers: as?.auth ?? {} });

describe('saved on REST', () => {
  it('marks each place of a signed-in search page, in one query for the page', async () => {
    // Warm the search cache first: the page itself then costs nothing, the caller's marks one query.
    await searchPage(undefined);
    const { result: res, statements } = await counting(() => searchPage(saver));
    expect(res.statusCode).toBe(200);
    const cards = res.json<{ data: Card[] }>().data;
    expect(cards.map((c) => c.id)).toEqual(places.slice(0, PAGE));
    expect(cards.map((c) => c.saved)).toEqual(cards.map((c) => saved.has(c.id)));
    expect(cards.filter((c) => c.saved)).toHaveLength(3);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from "wishlist_places"/);
  });

  it('costs one query on an uncached page too, and the next page carries its own marks', async () => {
    const first = (await searchPage(saver)).json<{ page: { nextCursor: string } }>();
    const { result: res, statements } = await counting(() =>
      searchPage(saver, `&cursor=${encodeURIComponent(first.page.nextCursor)}`),
    );
    const cards = res.json<{ data: Card[] }>().data;
    expect(cards.map((c) => [c.id, c.saved])).toEqual(places.slice(PAGE).map((p) => [p, saved.has(p)]));
    expect(statements).toHaveLength(1);
  });

  it('says false on every place for a signed-in caller who kept none', async () => {
    const cards = (await searchPage(bystander)).json<{ data: Card[] }>().data;
    expect(cards.every((c) => c.saved === false)).toBe(true);
  });

  it('leaves the field out for anonymous callers, and asks nothing', async () => {
    const { result: res, statements } = await counting(() => searchPage(undefined));
    for (const card of res.json<{ data: Card[] }>().data) expect(card).not.toHaveProperty('saved');
    expect(statements).toEqual([]);
  });

  it('marks a place’s detail, in one query, per caller', async () => {
    const { result: mine, statements } = await counting(() =>
      app().inject({ url: `/v1/properties/${places[3]}`, headers: saver.auth }),
    );
    expect(mine.json<Card>().saved).toBe(true);
    expect(statements).toHaveLength(1);
    const theirs = await app().inject({ url: `/v1/properties/${places[3]}`, headers: bystander.auth });
    expect(theirs.json<Card>().saved).toBe(false);
    const anonymous = await app().inject({ url: `/v1/properties/${places[3]}` });
    expect(anonymous.json<Card>()).not.toHaveProperty('saved');
    // Each caller's answer is its own representation: its ETag differs.
    expect(mine.headers.etag).not.toBe(theirs.headers.etag);
  });

  it('follows the lists at once: removing the place from its last list clears the mark', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/v1/wishlists',
      headers: bystander.auth,
      payload: { name: 'x' },
    });
    const list = res.json<{ id: string }>().id;
    const detail = () => app().inject({ url: `/v1/properties/${places[5]}`, headers: bystander.auth });
    expect((await detail()).json<Card>().saved).toBe(false);
    await app().inject({ method: 'PUT', url: `/v1/wishlists/${list}/places/${places[5]}`, headers: bystander.auth });
    expect((await detail()).json<Card>().saved).toBe(true);
    await app().inject({ method: 'DELETE', url: `/v1/wishlists/${list}/places/${places[5]}`, headers: bystander.auth });
    expect((await detail()).json<Card>().saved).toBe(false);
  });

  it('is answered by wishlist_places_user_property_idx', async () => {
    const db = testApp().container.database.db;
    const plan = await db.transaction(async (tx) => {
      // A table this small is read whole by choice; the point is that an index can answer it.
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf<Record<string, string>>(
        tx,
        sql`explain select distinct property_id from wishlist_places
            where user_id = ${saver.user.id} and property_id in (${sql.join(
              places.slice(0, PAGE).map((p) => sql`${p}`),
              sql`, `,
            )})`,
      );
    });
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toMatch(/wishlist_places_user_property_idx/);
    expect(text).not.toMatch(/Seq Scan/);
  });
});

describe('saved on GraphQL', () => {
  const QUERY = /* GraphQL */ `
    query ($city: String, $first: Int) {
      properties(filter: { city: $city }, first: $first) {
        edges {
          node {
            id
            saved
          }
        }
      }
    }
  `;
  type Result = { properties: { edges: { node: { id: string; saved: boolean | null } }[] } };

  it('resolves saved from the place, one query for the page', async () => {
    const { result: res, statements } = await counting(() => graphql(app(), QUERY, { city, first: PAGE }, saver.auth));
    expect(res.body.errors).toBeUndefined();
    const nodes = (res.body.data as Result).properties.edges.map((e) => e.node);
    expect(nodes.map((n) => n.saved)).toEqual(nodes.map((n) => saved.has(n.id)));
    expect(statements).toHaveLength(1);
  });

  it('is null for anonymous callers', async () => {
    const res = await graphql(app(), QUERY, { city, first: PAGE });
    const nodes = (res.body.data as Result).properties.edges.map((e) => e.node);
    expect(nodes.every((n) => n.saved === null)).toBe(true);
  });

  it('marks a single place', async () => {
    const res = await graphql(
      app(),
      `
        query ($id: ID!) {
          property(id: $id) {
            id
            saved
          }
        }
      `,
      { id: places[7] },
      saver.auth,
    );
    expect(res.body.data).toEqual({ property: { id: places[7], saved: true } });
  });
});
