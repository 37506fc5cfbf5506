import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty } from '#test/factories/properties.js';
import { graphql, register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';

// Wishlists over GraphQL: the same service calls as REST, the same rules and errors, and
// `Wishlist.places` batch-loaded — a page of lists with their places costs the same number
// of statements for two lists as for six.

let statements = 0;
const testApp = useTestApp({ onQuery: () => void statements++ });
const app = () => testApp().app;

let host: Session;
let owner: Session;
let other: Session;
let admin: Session;
let places: string[] = [];

const FIELDS = 'id name shared shareToken placeCount createdAt updatedAt';
const CREATE = `mutation ($input: CreateWishlistInput!) { createWishlist(input: $input) { ${FIELDS} } }`;
const SAVE = `mutation ($w: ID!, $p: ID!) { saveToWishlist(wishlistId: $w, propertyId: $p) { ${FIELDS} } }`;

interface WishlistNode {
  id: string;
  name: string;
  shared: boolean;
  shareToken: string | null;
  placeCount: number;
}

async function run(as: Session | undefined, query: string, variables: Record<string, unknown> = {}) {
  const res = await graphql(app(), query, variables, as?.auth ?? {});
  return res.body;
}
async function ok<T>(as: Session | undefined, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await run(as, query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  const data = body.data!;
  return data[Object.keys(data)[0]!] as T;
}
const codeOf = async (as: Session | undefined, query: string, variables: Record<string, unknown> = {}) =>
  (await run(as, query, variables)).errors?.map((e) => e.extensions?.code);

async function newList(as: Session, name: string, shared = false): Promise<WishlistNode> {
  return ok<WishlistNode>(as, CREATE, { input: { name, shared } });
}

beforeAll(async () => {
  [host, owner, other, admin] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app()),
    register(app()),
    registerAdmin(testApp()),
  ]);
  for (let i = 0; i < 4; i++) places.push((await createProperty(app(), host, { title: `GraphQL place ${i}` })).id);
  places = [...places];
}, 60_000);

describe('wishlists over GraphQL', () => {
  it('creates, renames, shares, saves, reads, removes and deletes', async () => {
    const list = await newList(owner, '  Weekend  ');
    expect(list).toMatchObject({ name: 'Weekend', shared: false, shareToken: null, placeCount: 0 });

    const saved = await ok<WishlistNode>(owner, SAVE, { w: list.id, p: places[0] });
    expect(saved.placeCount).toBe(1);
    expect(await ok<WishlistNode>(owner, SAVE, { w: list.id, p: places[0] })).toEqual(saved);

    const shared = await ok<WishlistNode>(
      owner,
      `mutation ($id: ID!, $input: UpdateWishlistInput!) { updateWishlist(id: $id, input: $input) { ${FIELDS} } }`,
      { id: list.id, input: { name: 'Long weekend', shared: true } },
    );
    expect(shared).toMatchObject({
      name: 'Long weekend',
      shared: true,
      shareToken: expect.stringMatching(/^[\w-]{43}$/),
    });

    const read = await ok<{ name: string; places: { edges: { node: { id: string; saved: boolean } }[] } }>(
      owner,
      `query ($id: ID!) { wishlist(id: $id) { name places(first: 5) { edges { node { id saved } } } } }`,
      { id: list.id },
    );
    expect(read).toEqual({ name: 'Long weekend', places: { edges: [{ node: { id: places[0], saved: true } }] } });

    const anonymous = await ok<{ id: string; places: { edges: { node: { id: string; saved: boolean | null } }[] } }>(
      undefined,
      `query ($t: String!) { sharedWishlist(shareToken: $t) { id places { edges { node { id saved } } } } }`,
      { t: shared.shareToken },
    );
    expect(anonymous).toEqual({ id: list.id, places: { edges: [{ node: { id: places[0], saved: null } }] } });

    expect(
      await ok(owner, `mutation ($w: ID!, $p: ID!) { removeFromWishlist(wishlistId: $w, propertyId: $p) }`, {
        w: list.id,
        p: places[0],
      }),
    ).toBe(true);
    expect(await ok(owner, `mutation ($id: ID!) { deleteWishlist(id: $id) }`, { id: list.id })).toBe(true);
    expect(await codeOf(owner, `query ($id: ID!) { wishlist(id: $id) { id } }`, { id: list.id })).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      await codeOf(undefined, `query ($t: String!) { sharedWishlist(shareToken: $t) { id } }`, {
        t: shared.shareToken,
      }),
    ).toEqual(['NOT_FOUND']);
  });

  it('keeps another user’s list private: NOT_FOUND for reads and writes, admins included', async () => {
    const list = await newList(owner, 'Private');
    for (const intruder of [other, admin]) {
      expect(await codeOf(intruder, `query ($id: ID!) { wishlist(id: $id) { id } }`, { id: list.id })).toEqual([
        'NOT_FOUND',
      ]);
      expect(await codeOf(intruder, SAVE, { w: list.id, p: places[1] })).toEqual(['NOT_FOUND']);
      expect(await codeOf(intruder, `mutation ($id: ID!) { deleteWishlist(id: $id) }`, { id: list.id })).toEqual([
        'NOT_FOUND',
      ]);
    }
    expect(await codeOf(undefined, `{ wishlists { edges { cursor } } }`)).toEqual(['UNAUTHENTICATED']);
    expect(await codeOf(owner, `query { sharedWishlist(shareToken: "short") { id } }`)).toEqual(['NOT_FOUND']);
  });

  it('refuses bad input the way REST does', async () => {
    expect(await codeOf(owner, CREATE, { input: { name: '\u200b' } })).toEqual(['BAD_USER_INPUT']);
    const list = await newList(owner, 'Rules');
    const draft = await createProperty(app(), host, { status: 'draft' });
    expect(await codeOf(owner, SAVE, { w: list.id, p: draft.id })).toEqual(['NOT_FOUND']);
    const hostList = await newList(host, 'Mine');
    expect(await codeOf(host, SAVE, { w: hostList.id, p: draft.id })).toEqual(['BAD_USER_INPUT']);
  });

  it('loads the places of a page of lists in a constant number of statements', async () => {
    const user = await register(app());
    const lists: string[] = [];
    for (let i = 0; i < 6; i++) {
      const list = await newList(user, `List ${i}`);
      lists.push(list.id);
      for (const p of places.slice(0, 1 + (i % 4))) await ok(user, SAVE, { w: list.id, p });
    }
    const query = /* GraphQL */ `
      query ($first: Int) {
        wishlists(first: $first) {
          edges {
            node {
              id
              placeCount
              places(first: 3) {
                edges {
                  node {
                    id
                    saved
                  }
                }
                pageInfo {
                  hasNextPage
                }
              }
            }
          }
        }
      }
    `;
    type Page = {
      edges: {
        node: {
          id: string;
          placeCount: number;
          places: { edges: { node: { saved: boolean } }[]; pageInfo: { hasNextPage: boolean } };
        };
      }[];
    };
    const cost = async (first: number) => {
      statements = 0;
      const page = await ok<Page>(user, query, { first });
      return { page, statements };
    };
    const small = await cost(2);
    const large = await cost(6);
    expect(large.page.edges).toHaveLength(6);
    for (const { node } of large.page.edges) {
      expect(node.places.edges).toHaveLength(Math.min(3, node.placeCount));
      expect(node.places.pageInfo.hasNextPage).toBe(node.placeCount > 3);
      expect(node.places.edges.every((e) => e.node.saved)).toBe(true);
    }
    expect(large.statements).toBe(small.statements);
  });
});
