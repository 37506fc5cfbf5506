import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';
import type { Property } from '../properties.schemas.js';
import { address, createProperty, ids, inDays, propertyInput, search } from '#test/factories/properties.js';

let queries = 0;
const testApp = useTestApp({ onQuery: () => void queries++ });
let hosts: Session[];
let guest: Session;
/** The listed places in Iceland, by host index. */
const hostOf = new Map<string, number>();

const HOST_NAMES = ['Asta', 'Bjorn', 'Freya', 'Gunnar'];
const LISTED = 52;

beforeAll(async () => {
  hosts = await Promise.all(HOST_NAMES.map((firstName) => register(testApp().app, { role: 'host', firstName })));
  guest = await register(testApp().app);
  for (let i = 0; i < LISTED; i++) {
    const p = await createProperty(testApp().app, hosts[i % hosts.length]!, {
      title: `Turf house number ${i}`,
      address: address('Reykjavik', 'IS'),
      latitude: 64.1466,
      longitude: -21.9426,
      timezone: 'Atlantic/Reykjavik',
      currency: 'ISK',
      nightlyPrice: 10_000 + (i % 7) * 1_000,
    });
    hostOf.set(p.id, i % hosts.length);
  }
}, 120_000);

/** Runs one GraphQL operation and counts the SQL queries it cost. */
async function counted(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  queries = 0;
  const res = await graphql(testApp().app, query, variables, headers);
  return { ...res, queries };
}

const PAGE = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: PropertyFilter) {
    properties(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          id
          hostId
          host {
            id
            firstName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Connection {
  edges: { cursor: string; node: { id: string; hostId: string; host: { id: string; firstName: string } | null } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
const connection = (body: { data?: Record<string, unknown> | null }) => body.data?.properties as Connection;
const iceland = { country: 'IS', sort: 'price_asc' };

describe('GraphQL properties', () => {
  it('a page of N properties with their hosts costs the same few SQL queries for N = 5 and N = 50', async () => {
    const small = await counted(PAGE, { first: 5, filter: iceland });
    const large = await counted(PAGE, { first: 50, filter: iceland });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect(connection(small.body).edges).toHaveLength(5);
    const page = connection(large.body);
    expect(page.edges).toHaveLength(50);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(new Set(page.edges.map((e) => e.node.hostId)).size).toBe(HOST_NAMES.length);
    for (const { node } of page.edges) {
      const index = hostOf.get(node.id)!;
      expect(node.host).toEqual({ id: hosts[index]!.user.id, firstName: HOST_NAMES[index] });
    }
    // One query for the page, one for its cover photos, one for all of its hosts.
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(3);
    expect(large.queries).toBeGreaterThan(0);
  });

  it('walks with after: every place once, in the order REST gives', async () => {
    const rest: string[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await search(testApp().app, { ...iceland, limit: 100, ...(cursor ? { cursor } : {}) });
      rest.push(...ids(body.data));
      cursor = body.page.nextCursor;
    } while (cursor);
    expect(rest).toHaveLength(LISTED);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { body } = await graphql(testApp().app, PAGE, { first: 7, after, filter: iceland });
      expect(body.errors).toBeUndefined();
      const page = connection(body);
      seen.push(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(rest);

    const none = connection((await graphql(testApp().app, PAGE, { first: 5, filter: { country: 'NZ' } })).body);
    expect(none).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("every edge's cursor continues right after that edge", async () => {
    const page = connection((await graphql(testApp().app, PAGE, { first: 6, filter: iceland })).body);
    const next = connection(
      (await graphql(testApp().app, PAGE, { first: 3, after: page.edges[2]!.cursor, filter: iceland })).body,
    );
    expect(next.edges.map((e) => e.node.id)).toEqual(page.edges.slice(3, 6).map((e) => e.node.id));
  });

  it('filters as REST does', async () => {
    const p = await createProperty(testApp().app, hosts[0]!, {
      address: address('Akureyri', 'IS'),
      amenities: ['hot_tub', 'wifi'],
      maxGuests: 5,
      nightlyPrice: 31_000,
    });
    const filters = [
      [{ city: 'akureyri' }, { city: 'akureyri' }],
      [
        { amenities: ['HOT_TUB', 'wifi'], guests: 5 },
        { amenities: 'HOT_TUB,wifi', guests: 5 },
      ],
      [
        { minPrice: 14_000, maxPrice: 16_000, sort: 'price_desc' },
        { minPrice: 14_000, maxPrice: 16_000, sort: 'price_desc' },
      ],
      [
        { q: 'turf house', sort: 'relevance' },
        { q: 'turf house', sort: 'relevance' },
      ],
      [
        { lat: 64.1466, lng: -21.9426, radiusKm: 5, propertyType: 'apartment' },
        { lat: 64.1466, lng: -21.9426, radiusKm: 5, propertyType: 'apartment' },
      ],
    ] as const;
    for (const [filter, query] of filters) {
      const { body } = await graphql(testApp().app, PAGE, { first: 100, filter });
      expect(body.errors, JSON.stringify(filter)).toBeUndefined();
      const rest = await search(testApp().app, { ...query, limit: 100 });
      const found = connection(body).edges.map((e) => e.node.id);
      expect(found, JSON.stringify(filter)).toEqual(ids(rest.body.data));
      expect(found.length, JSON.stringify(filter)).toBeGreaterThan(0);
    }
    expect(
      connection((await graphql(testApp().app, PAGE, { filter: { city: 'Akureyri' } })).body).edges.map(
        (e) => e.node.id,
      ),
    ).toEqual([p.id]);
  });

  it('maps invalid filters and cursors to BAD_USER_INPUT', async () => {
    for (const variables of [
      { first: 101 },
      { first: 0 },
      { filter: { sort: 'relevance' } },
      { filter: { minPrice: 500, maxPrice: 100 } },
      { filter: { checkIn: '2030-01-01' } },
      { filter: { country: 'ZZ' } },
      { after: 'not-a-cursor' },
    ]) {
      const { body } = await graphql(testApp().app, PAGE, variables);
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    // A cursor of another sort, as REST.
    const page = connection((await graphql(testApp().app, PAGE, { first: 2, filter: iceland })).body);
    const { body } = await graphql(testApp().app, PAGE, {
      first: 2,
      after: page.pageInfo.endCursor,
      filter: { ...iceland, sort: 'price_desc' },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_cursor' });
  });
});

const PROPERTY = /* GraphQL */ `
  query ($id: ID!) {
    property(id: $id) {
      id
      title
      status
      nightlyPrice
      address {
        city
        region
        country
      }
      ratingAverage
      ratingCount
      host {
        id
        firstName
        memberSince
      }
    }
  }
`;

describe('GraphQL property(id)', () => {
  it('equals the REST detail; a host exposes its public profile only', async () => {
    const p = await createProperty(testApp().app, hosts[0]!);
    const { body } = await graphql(testApp().app, PROPERTY, { id: p.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.property).toEqual({
      id: p.id,
      title: p.title,
      status: 'listed',
      nightlyPrice: p.nightlyPrice,
      address: { city: p.address.city, region: p.address.region, country: p.address.country },
      ratingAverage: null,
      ratingCount: 0,
      host: { id: hosts[0]!.user.id, firstName: HOST_NAMES[0], memberSince: expect.any(String) },
    });
    expect(JSON.stringify(body)).not.toContain(hosts[0]!.user.email);

    const email = await graphql(testApp().app, '{ property(id: "' + p.id + '") { host { email } } }');
    expect(email.status).toBe(400);
    expect(email.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const type = await graphql(testApp().app, '{ __type(name: "PublicProfile") { fields { name } } }');
    const fields = (type.body.data?.__type as { fields: { name: string }[] }).fields.map((f) => f.name).sort();
    expect(fields).toEqual(['firstName', 'guestRating', 'id', 'memberSince']);
  });

  it('a draft is NOT_FOUND for anyone but its host', async () => {
    const draft = await createProperty(testApp().app, hosts[1]!, { status: 'draft' });
    for (const headers of [{}, guest.auth, hosts[0]!.auth]) {
      const { body } = await graphql(testApp().app, PROPERTY, { id: draft.id }, headers);
      expect(body.data?.property ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const own = await graphql(testApp().app, PROPERTY, { id: draft.id }, hosts[1]!.auth);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.property).toMatchObject({ id: draft.id, status: 'draft' });
    expect(ids((await search(testApp().app, { limit: 100 })).body.data)).not.toContain(draft.id);
  });

  it('an id that is not a UUID is NOT_FOUND, as REST answers 404', async () => {
    const { body } = await graphql(testApp().app, PROPERTY, { id: 'nope' });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'not_found' });
    expect((await testApp().app.inject({ url: '/v1/properties/nope' })).statusCode).toBe(404);
  });
});

const CREATE = /* GraphQL */ `
  mutation ($input: CreatePropertyInput!) {
    createProperty(input: $input) {
      id
      hostId
      title
      status
      amenities
      address {
        line1
        city
        region
        postalCode
        country
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($id: ID!, $input: UpdatePropertyInput!) {
    updateProperty(id: $id, input: $input) {
      id
      title
      nightlyPrice
      address {
        city
        region
        postalCode
      }
    }
  }
`;
const BLOCK = /* GraphQL */ `
  mutation ($propertyId: ID!, $input: BlockDatesInput!) {
    blockDates(propertyId: $propertyId, input: $input) {
      id
      propertyId
      start
      end
      note
    }
  }
`;
const UNBLOCK = 'mutation ($p: ID!, $b: ID!) { unblockDates(propertyId: $p, blockId: $b) }';
const DELETE = 'mutation ($id: ID!) { deleteProperty(id: $id) }';

describe('GraphQL property mutations', () => {
  const owner = () => hosts[2]!;
  const other = () => hosts[3]!;

  it('createProperty runs the REST rules: hosts only, the same validation', async () => {
    const input = propertyInput({ amenities: ['wifi', 'Sauna'], status: undefined });
    const created = await graphql(testApp().app, CREATE, { input }, owner().auth);
    expect(created.body.errors).toBeUndefined();
    const p = created.body.data?.createProperty as Property;
    expect(p).toMatchObject({ hostId: owner().user.id, status: 'draft', amenities: ['sauna', 'wifi'] });
    expect(p.address).toEqual({
      line1: 'Rua Augusta 1',
      city: 'Lisbon',
      region: 'Lisboa',
      postalCode: '1100-048',
      country: 'PT',
    });
    const rest = await testApp().app.inject({ url: `/v1/properties/${p.id}`, headers: owner().auth });
    expect(rest.json()).toMatchObject({ id: p.id, title: p.title });

    expect((await graphql(testApp().app, CREATE, { input }, guest.auth)).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await graphql(testApp().app, CREATE, { input })).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );

    const bad = await graphql(
      testApp().app,
      CREATE,
      {
        input: propertyInput({
          title: 'abc',
          timezone: 'Mars/Olympus',
          nightlyPrice: -5,
          address: address('Lisbon', 'ZZ'),
        }),
      },
      owner().auth,
    );
    const error = bad.body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'input.address.country',
      'input.nightlyPrice',
      'input.timezone',
      'input.title',
    ]);
  });

  it('createProperty requires the address fields REST requires; null stands for a field left out', async () => {
    const { line1: _line1, ...withoutLine1 } = propertyInput().address as Record<string, unknown>;
    const missing = await graphql(
      testApp().app,
      CREATE,
      { input: propertyInput({ address: withoutLine1 }) },
      owner().auth,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(missing.body.errors?.[0]?.message).toMatch(/line1/);
    const rest = await testApp().app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: owner().auth,
      payload: propertyInput({ address: withoutLine1 }),
    });
    expect(rest.statusCode).toBe(422);

    // Nulls, at any depth, take the defaults as absent fields do.
    const input = propertyInput({
      description: null,
      amenities: null,
      address: { ...address('Braga'), region: null, postalCode: null },
    });
    const created = await graphql(testApp().app, CREATE, { input }, owner().auth);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createProperty).toMatchObject({
      amenities: [],
      address: { city: 'Braga', region: '', postalCode: '' },
    });

    const types = await graphql(
      testApp().app,
      `
        {
          create: __type(name: "AddressInput") {
            inputFields {
              name
              type {
                kind
              }
            }
          }
          update: __type(name: "UpdateAddressInput") {
            inputFields {
              name
              type {
                kind
              }
            }
          }
        }
      `,
    );
    const required = (name: 'create' | 'update') =>
      (types.body.data?.[name] as { inputFields: { name: string; type: { kind: string } }[] }).inputFields
        .filter((f) => f.type.kind === 'NON_NULL')
        .map((f) => f.name);
    expect(required('create')).toEqual(['line1', 'city', 'country']);
    expect(required('update')).toEqual([]);
  });

  it('updateProperty: the owner changes fields (a partial address keeps the rest); others are refused', async () => {
    const p = await createProperty(testApp().app, owner());
    const updated = await graphql(
      testApp().app,
      UPDATE,
      { id: p.id, input: { title: 'Renamed through GraphQL', address: { city: 'Porto' } } },
      owner().auth,
    );
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data?.updateProperty).toEqual({
      id: p.id,
      title: 'Renamed through GraphQL',
      nightlyPrice: p.nightlyPrice,
      address: { city: 'Porto', region: p.address.region, postalCode: p.address.postalCode },
    });
    // The cached detail follows the write.
    expect((await graphql(testApp().app, PROPERTY, { id: p.id })).body.data?.property).toMatchObject({
      title: 'Renamed through GraphQL',
    });

    const stranger = await graphql(
      testApp().app,
      UPDATE,
      { id: p.id, input: { title: 'Not mine at all' } },
      other().auth,
    );
    expect(stranger.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not_property_owner' });
    const invalid = await graphql(testApp().app, UPDATE, { id: p.id, input: { title: 'abc' } }, owner().auth);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await graphql(testApp().app, UPDATE, { id: p.id, input: {} }, owner().auth);
    expect(empty.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // null is no change, not a value: only nullable fields (none here) could be cleared.
    const nulls = await graphql(
      testApp().app,
      UPDATE,
      { id: p.id, input: { title: null, nightlyPrice: 12_345, address: { city: null, postalCode: '4000-001' } } },
      owner().auth,
    );
    expect(nulls.body.errors).toBeUndefined();
    expect(nulls.body.data?.updateProperty).toEqual({
      id: p.id,
      title: 'Renamed through GraphQL',
      nightlyPrice: 12_345,
      address: { city: 'Porto', region: p.address.region, postalCode: '4000-001' },
    });

    const draft = await createProperty(testApp().app, owner(), { status: 'draft' });
    const hidden = await graphql(
      testApp().app,
      UPDATE,
      { id: draft.id, input: { title: 'Not mine at all' } },
      other().auth,
    );
    expect(hidden.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('blockDates and unblockDates: conflicts and past dates as REST', async () => {
    const p = await createProperty(testApp().app, owner());
    const input = { start: inDays(20), end: inDays(25), note: 'Family visit' };
    const blocked = await graphql(testApp().app, BLOCK, { propertyId: p.id, input }, owner().auth);
    expect(blocked.body.errors).toBeUndefined();
    const b = blocked.body.data?.blockDates as { id: string };
    expect(b).toEqual({ id: expect.any(String), propertyId: p.id, ...input });

    const overlap = await graphql(
      testApp().app,
      BLOCK,
      { propertyId: p.id, input: { start: inDays(24), end: inDays(26) } },
      owner().auth,
    );
    expect(overlap.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'dates_unavailable' });
    const past = await graphql(
      testApp().app,
      BLOCK,
      { propertyId: p.id, input: { start: inDays(-3), end: inDays(2) } },
      owner().auth,
    );
    expect(past.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'block_in_past' });
    const backwards = await graphql(
      testApp().app,
      BLOCK,
      { propertyId: p.id, input: { start: inDays(30), end: inDays(29) } },
      owner().auth,
    );
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const stranger = await graphql(
      testApp().app,
      BLOCK,
      { propertyId: p.id, input: { start: inDays(40), end: inDays(41) } },
      other().auth,
    );
    expect(stranger.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const free = { checkIn: inDays(21), checkOut: inDays(22) };
    const dated = await graphql(testApp().app, PAGE, { first: 50, filter: { city: 'Lisbon', ...free } });
    expect(connection(dated.body).edges.map((e) => e.node.id)).not.toContain(p.id);

    const removed = await graphql(testApp().app, UNBLOCK, { p: p.id, b: b.id }, owner().auth);
    expect(removed.body).toEqual({ data: { unblockDates: true } });
    const again = await graphql(testApp().app, UNBLOCK, { p: p.id, b: b.id }, owner().auth);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const after = await graphql(testApp().app, PAGE, { first: 50, filter: { city: 'Lisbon', ...free } });
    expect(connection(after.body).edges.map((e) => e.node.id)).toContain(p.id);
  });

  it('deleteProperty: the owner only; afterwards the property is NOT_FOUND', async () => {
    const p = await createProperty(testApp().app, owner());
    const refused = await graphql(testApp().app, DELETE, { id: p.id }, other().auth);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(testApp().app, DELETE, { id: p.id })).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );

    expect((await graphql(testApp().app, DELETE, { id: p.id }, owner().auth)).body).toEqual({
      data: { deleteProperty: true },
    });
    const gone = await graphql(testApp().app, PROPERTY, { id: p.id }, owner().auth);
    expect(gone.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await graphql(testApp().app, DELETE, { id: p.id }, owner().auth)).body.errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });
});
