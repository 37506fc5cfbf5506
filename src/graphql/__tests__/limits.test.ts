import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, graphql, register, type TestApp, useTestApp } from '#test/helpers.js';
import { createProperty } from '#test/factories/properties.js';
import {
  costEstimator,
  DEFAULT_PAGE_SIZE,
  depthLimitRule,
  GRAPHQL_COST_PER_REQUEST,
  GRAPHQL_MAX_ALIASES,
  GRAPHQL_MAX_COST,
  queryCost,
  rootMutationFields,
} from '../limits.js';

let sqlCount = 0;
// The IP block list is read by the first request and again every BLOCKLIST_REFRESH_SECONDS:
// an hour here, so that only a document's own SQL is counted once it has been read.
const testApp = useTestApp({ env: { BLOCKLIST_REFRESH_SECONDS: '3600' }, onQuery: () => void sqlCount++ });

/** A second app over the same database (its own config), closed without closing the database. */
async function sibling(env: Record<string, string>, run: (app: TestApp) => Promise<void>): Promise<void> {
  const other = await createTestApp({ env, database: testApp().container.database });
  try {
    await run(other);
  } finally {
    await other.app.close();
    other.container.redis?.disconnect();
  }
}

/** The shape that exhausted the heap: ~230 aliased searches of 100 places, ~16 KB. */
const probe = (seed: number, aliases = 230) =>
  `{ ${Array.from(
    { length: aliases },
    (_, i) => `a${i}: properties(first: 100, filter: {maxPrice: ${seed * 1000 + i}}) { pageInfo { hasNextPage } }`,
  ).join(' ')} }`;

const PLACE_FIELDS =
  'id title propertyType nightlyPrice currency maxGuests bedrooms ratingAverage ratingCount amenities createdAt timezone';
const REALISTIC_PAGE = `query Page($after: String) {
  properties(first: 100, after: $after) {
    edges { cursor node { ${PLACE_FIELDS} address { city country } host { id firstName memberSince } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Runs `query`, expecting it rejected before execution: 400, GRAPHQL_VALIDATION_FAILED and no SQL. */
async function expectRejected(query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const before = sqlCount;
  const res = await graphql(testApp().app, query, variables);
  expect(res.status).toBe(400);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(sqlCount).toBe(before);
  return res.body.errors?.[0]?.message ?? '';
}

describe('GraphQL cost model', () => {
  const schema = buildSchema(`
    type Query { hosts(first: Int): [Host!]! tags: [Tag!]! names: [String!]! one: Host }
    type Host { id: ID! places(first: Int): [Place!]! }
    type Place { id: ID! title: String! }
    type Tag { id: ID! }
  `);
  const cost = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), variables);

  it('multiplies nested lists by their first', () => {
    // Each place costs 1 + 2 fields; each host 1 + id + places.
    expect(cost('{ hosts(first: 10) { places(first: 5) { id title } } }')).toBe(10 * (1 + 5 * (1 + 2)));
    expect(cost('{ hosts(first: 10) { id places(first: 5) { id title } } }')).toBe(10 * (1 + 1 + 5 * 3));
  });

  it('prices a list without first at the default page size, scalars and scalar lists at 1', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(cost('{ hosts { id } }')).toBe(DEFAULT_PAGE_SIZE * 2);
    expect(cost('{ tags { id } }')).toBe(DEFAULT_PAGE_SIZE * 2);
    expect(cost('{ names one { id } }')).toBe(1 + 2);
  });

  it('reads first from variables, and never lets a negative first lower the total', () => {
    const q = 'query($n: Int) { hosts(first: $n) { id } }';
    expect(cost(q, { n: 50 })).toBe(100);
    expect(cost(q, {})).toBe(DEFAULT_PAGE_SIZE * 2);
    expect(cost('{ a: hosts(first: -100000) { id } b: hosts(first: 100) { id } }')).toBe(2 + 200);
  });

  it('counts fragments wherever they are spread', () => {
    const q = 'fragment H on Host { id places(first: 5) { id } } { a: hosts(first: 2) { ...H } b: one { ...H } }';
    expect(cost(q)).toBe(2 * (1 + 1 + 5 * 2) + (1 + 1 + 5 * 2));
  });
});

describe('GraphQL depth limit', () => {
  const schema = buildSchema(`
    type Query { user(id: ID!): User }
    type User { id: ID! friends(first: Int): [User!]! }
  `);
  const errors = (query: string) =>
    validate(schema, parse(query), [...specifiedRules, depthLimitRule(10)]).map((e) => e.message);
  /** `user` and then `levels - 2` nested `friends`, ending at `id`: `levels` deep. */
  const nested = (levels: number, inner = 'id') =>
    `user(id: "1") { ${'friends { '.repeat(levels - 2)}${inner} ${'} '.repeat(levels - 2)}}`;

  it('allows 10 levels and refuses 11', () => {
    expect(errors(`{ ${nested(10)} }`)).toEqual([]);
    expect(errors(`{ ${nested(11)} }`)).toEqual(['The operation is 11 levels deep, more than the limit of 10.']);
  });

  it('counts fragments and inline fragments where they are spread, and each aliased branch', () => {
    const f = 'fragment F on User { friends { friends { friends { id } } } }';
    // 8 levels to the spread, 3 in the fragment: 11.
    expect(errors(`${f} query Q { ${nested(8, '...F')} }`)).toEqual([
      '"Q" is 11 levels deep, more than the limit of 10.',
    ]);
    expect(errors(`${f} query Q { ${nested(7, '...F')} }`)).toEqual([]);
    expect(errors(`{ ${nested(10, '... on User { friends { id } }')} }`)).toEqual([
      'The operation is 11 levels deep, more than the limit of 10.',
    ]);
    expect(errors(`{ a: ${nested(3)} b: ${nested(11)} }`)).toEqual([
      'The operation is 11 levels deep, more than the limit of 10.',
    ]);
    // A fragment spread from a fragment, each measured once.
    const chain = 'fragment A on User { friends { ...B } } fragment B on User { friends { friends { id } } }';
    expect(errors(`${chain} { ${nested(8, '...A')} }`)).toEqual([
      'The operation is 11 levels deep, more than the limit of 10.',
    ]);
  });

  it("leaves introspection to graphql-js' own limit, so that GraphiQL can read the schema", () => {
    expect(errors(getIntrospectionQuery({ inputValueDeprecation: true }))).toEqual([]);
    // graphql-js refuses introspection nested past its bound (MaxIntrospectionDepthRule).
    const fields = '{ fields { type { fields { type { fields { type { fields { name } } } } } } } }';
    expect(errors(`{ __type(name: "User") ${fields} }`)).toEqual([
      expect.stringMatching(/Maximum introspection depth exceeded/),
    ]);
  });

  it('survives a fragment cycle (reported by graphql-js, not by the depth rule)', () => {
    const cycle = errors(
      'fragment A on User { friends { ...B } } fragment B on User { friends { ...A } } { user(id: "1") { ...A } }',
    );
    expect(cycle.some((m) => /Cannot spread fragment/.test(m))).toBe(true);
  });
});

describe('GraphQL limits', () => {
  // Reads the block list before the counting starts.
  beforeAll(async () => {
    await graphql(testApp().app, '{ __typename }');
  });

  it('rejects the probe shape before running it', async () => {
    const message = await expectRejected(probe(1));
    expect(message).toBe(`Aliases limit of ${GRAPHQL_MAX_ALIASES} exceeded, found 230.`);
    // Within the alias limit the same searches are still too costly: 30 × 100 × (1 + 2).
    expect(await expectRejected(probe(2, 30))).toBe(
      `The query costs 9000, more than the limit of ${GRAPHQL_MAX_COST}.`,
    );
  });

  it('rejects a single list over the cost limit, through first or a variable', async () => {
    expect(await expectRejected('{ properties(first: 2000) { pageInfo { hasNextPage } } }')).toMatch(
      /costs 6000, more than the limit of 5000/,
    );
    const q = 'query($n: Int) { properties(first: $n) { pageInfo { hasNextPage } } }';
    expect(await expectRejected(q, { n: 2000 })).toMatch(/costs 6000/);
    const ok = await graphql(testApp().app, q, { n: 10 });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('multiplies the fields of each item by the page size', async () => {
    const node = (n: number) => `{ properties(first: ${n}) { edges { node { ${PLACE_FIELDS} } } } }`;
    // 100 × (1 + edges (1 + node (1 + 12))) = 1,500: one page passes, four of them do not.
    expect((await graphql(testApp().app, node(100))).body.errors).toBeUndefined();
    const four = `{ ${[1, 2, 3, 4].map((i) => `p${i}: properties(first: 100, filter: {minPrice: ${i}}) { edges { node { ${PLACE_FIELDS} } } }`).join(' ')} }`;
    expect(await expectRejected(four)).toMatch(/costs 6000/);
  });

  it('allows 30 aliases and rejects 31', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: properties(first: 1, filter: {maxPrice: ${i}}) { pageInfo { hasNextPage } }`).join(' ')} }`;
    const ok = await graphql(testApp().app, aliases(GRAPHQL_MAX_ALIASES));
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    expect(Object.keys(ok.body.data ?? {})).toHaveLength(30);
    expect(await expectRejected(aliases(GRAPHQL_MAX_ALIASES + 1))).toBe('Aliases limit of 30 exceeded, found 31.');
  });

  it('counts aliases and cost inside fragments', async () => {
    const lookups = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}: property(id: "${i}") { id }`).join(' ');
    expect(await expectRejected(`fragment F on Query { ${lookups('f', 20)} } { ...F ${lookups('o', 11)} }`)).toBe(
      'Aliases limit of 30 exceeded, found 31.',
    );
    // Each spread is priced: 3 × 100 × (1 + edges (1 + cursor + node (1 + 12 + host 3)) + pageInfo 3).
    const page = `fragment Page on PropertyConnection {
      edges { cursor node { ${PLACE_FIELDS} host { id firstName } } } pageInfo { hasNextPage endCursor }
    }`;
    const spreads = [1, 2, 3].map((i) => `p${i}: properties(first: 100, filter: {minPrice: ${i}}) { ...Page }`);
    expect(await expectRejected(`${page} { ${spreads.join(' ')} }`)).toMatch(/costs 6600,/);
  });

  it('prices every list field of the schema by its first, or by the default page size', () => {
    const schema = testApp().app.graphql.schema;
    const node = parse('{ x }').definitions[0]! as never;
    const priced: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const paged = field.args.some((a) => a.name === 'first');
        const listOfObjects = isListType(getNullableType(field.type)) && isObjectType(getNamedType(field.type));
        if (!paged && !listOfObjects) continue;
        const name = `${type.name}.${field.name}`;
        priced.push(name);
        // Each item costs 1 + its selection (here 4).
        const price = (args: Record<string, unknown>) => costEstimator({ type, field, node, args, childComplexity: 4 });
        if (paged) {
          expect(price({ first: 100 }), name).toBe(100 * 5);
          expect(price({}), name).toBe(DEFAULT_PAGE_SIZE * 5);
        } else if (type.name.endsWith('Connection') && field.name === 'edges') {
          // Already priced by the connection's first.
          expect(price({}), name).toBe(5);
        } else {
          expect(price({}), name).toBe(DEFAULT_PAGE_SIZE * 5);
        }
      }
    }
    // Today's list fields, at least; new ones are priced by the same rules above.
    expect(priced).toEqual(
      expect.arrayContaining([
        'Query.properties',
        'Query.myBookings',
        'Query.hostBookings',
        'PropertyConnection.edges',
        'BookingConnection.edges',
      ]),
    );
  });

  it('rejects bookings pages over the cost limit through a fragment and aliases, before asking who calls', async () => {
    const page = `fragment Trips on BookingConnection {
      edges { cursor node { id status checkIn checkOut property { id title host { id firstName } } guest { id firstName } } }
      pageInfo { hasNextPage endCursor }
    }`;
    // 100 × (1 + edges (1 + cursor + node (1 + 4 + property (1 + 2 + host 3) + guest 3)) + pageInfo 3)
    // = 2,000 a page: three of them are over the limit, anonymous or not.
    expect(
      await expectRejected(
        `${page} { a: myBookings(first: 100) { ...Trips } b: hostBookings(first: 100) { ...Trips } c: myBookings(first: 100, status: pending) { ...Trips } }`,
      ),
    ).toMatch(/costs 6000, more than the limit of 5000/);
  });

  it('rejects fragments that expand past what can be priced', async () => {
    // Each fragment spreads the next twice: 2^14 copies of one field once expanded.
    const levels = 14;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { __typename }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    expect(await expectRejected(`{ ...F0 } ${fragments.join(' ')}`)).toMatch(/maximum allowed number of nodes/);
  });

  it('runs a realistic page of 100 places with their hosts', async () => {
    const host = await register(testApp().app, { role: 'host' });
    await createProperty(testApp().app, host);
    const before = sqlCount;
    const res = await graphql(testApp().app, REALISTIC_PAGE);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const edges = (res.body.data?.properties as { edges: { node: { host: { id: string } } }[] }).edges;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.some((e) => e.node.host.id === host.user.id)).toBe(true);
    expect(sqlCount).toBeGreaterThan(before);
  });

  it('keeps memory bounded under repeated probes', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    // What this app's own keys take (other test files share the Redis server, so its total
    // memory says nothing about this app).
    const redisMemory = async () => {
      const { redis, redisPrefix } = testApp().container;
      if (!redis) return 0;
      let total = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) total += Number((await redis.call('MEMORY', 'USAGE', key)) ?? 0);
      } while (cursor !== '0');
      return total;
    };
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    const redisBefore = await redisMemory();
    const sqlBefore = sqlCount;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => graphql(testApp().app, probe(100 + round * 10 + i))),
      );
      for (const a of answers) expect(a.status).toBe(400);
    }
    gc();
    const MB = 1024 * 1024;
    expect(sqlCount).toBe(sqlBefore);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MB);
    if (testApp().container.redis) expect((await redisMemory()) - redisBefore).toBeLessThan(8 * MB);
  });
});

describe('GraphQL cost budget', () => {
  it('charges each client IP its operations’ cost and answers RATE_LIMITED with retryAfter once spent', async () => {
    // 5 requests a minute buy 5 × 200 = 1,000 units; each query costs 100 × (1 + 2) = 300.
    expect(GRAPHQL_COST_PER_REQUEST).toBe(200);
    await sibling({ RATE_LIMIT_PER_MINUTE: '5' }, async ({ app }) => {
      const query = '{ properties(first: 100) { pageInfo { hasNextPage } } }';
      const from = (remoteAddress: string) =>
        app.inject({ method: 'POST', url: '/graphql', payload: { query }, remoteAddress });
      for (let i = 0; i < 3; i++) {
        const res = await from('203.0.113.7');
        expect(res.json<{ errors?: unknown }>().errors).toBeUndefined();
      }
      const spent = (await from('203.0.113.7')).json<{
        data?: unknown;
        errors?: { extensions?: { code?: string; retryAfter?: number } }[];
      }>();
      expect(spent.data ?? null).toBeNull();
      expect(spent.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(spent.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
      expect(spent.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(60);

      const other = await from('203.0.113.8');
      expect(other.statusCode).toBe(200);
      expect(other.json<{ errors?: unknown }>().errors).toBeUndefined();
    });
  });
});

describe('GraphQL field suggestions', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['{ propertes(first: 1) { pageInfo { hasNextPage } } }', {}],
    ['{ properties(filter: {sort: price_as}) { pageInfo { hasNextPage } } }', {}],
    ['query($f: PropertyFilter) { properties(filter: $f) { pageInfo { hasNextPage } } }', { f: { maxPrise: 1 } }],
  ];

  it('are given outside production', async () => {
    for (const [query, variables] of cases) {
      const res = await graphql(testApp().app, query, variables);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toMatch(/Did you mean/);
    }
  });

  it('are left out in production', async () => {
    await sibling({ NODE_ENV: 'production' }, async ({ app }) => {
      for (const [query, variables] of cases) {
        const res = await graphql(app, query, variables);
        const error = res.body.errors?.[0];
        expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(error?.message).not.toMatch(/Did you mean|properties|price_asc|maxPrice/);
        expect(error?.message).toMatch(/propertes|price_as|maxPrise/);
      }
    });
  });
});

describe('mutations against the request rate limit', () => {
  it('counts each mutation of a request, aliases and root fragments included, as one request', async () => {
    expect(
      rootMutationFields(parse('mutation { a: logout b: logout ...F } fragment F on Mutation { c: logout }')),
    ).toBe(3);
    expect(rootMutationFields(parse('{ a: me { id } b: me { id } }'))).toBe(0);
    await sibling({ RATE_LIMIT_PER_MINUTE: '10' }, async ({ app }) => {
      const mutations = (n: number) =>
        `mutation { ${Array.from({ length: n }, (_, i) => `m${i}: cancelBooking(id: "${randomUUID()}") { id }`).join(' ')} }`;
      const post = (query: string, remoteAddress: string) =>
        app.inject({ method: 'POST', url: '/graphql', payload: { query }, remoteAddress });
      type Answer = { data?: unknown; errors?: { extensions?: { code?: string; retryAfter?: number } }[] };

      // Ten mutations from one address spend its ten requests: they run (and fail on their
      // own terms), and the address's next request of any kind is refused.
      const ten = (await post(mutations(10), '203.0.113.20')).json<Answer>();
      expect(ten.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
      const next = await app.inject({ url: '/v1/properties', remoteAddress: '203.0.113.20' });
      expect(next.statusCode).toBe(429);

      // Eleven are over the limit at once: refused before any of them runs.
      const eleven = (await post(mutations(11), '203.0.113.21')).json<Answer>();
      expect(eleven.data ?? null).toBeNull();
      expect(eleven.errors).toHaveLength(1);
      expect(eleven.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(eleven.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
      expect(eleven.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(60);

      // Queries are priced by cost instead; an address with a fresh budget is unaffected.
      const other = await app.inject({ url: '/v1/properties', remoteAddress: '203.0.113.22' });
      expect(other.statusCode).toBe(200);
    });
  });
});
