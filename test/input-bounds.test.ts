import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProperty, inDays, propertyInput } from '#test/factories/properties.js';
import { encodeCursor } from '../src/platform/pagination.js';
import { graphql, register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';

const testApp = useTestApp();
let host: Session;
let propertyId: string;
beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  propertyId = (await createProperty(testApp().app, host)).id;
});

/** A 422 problem naming `path` among its errors, with nothing of SQL or the driver in it. */
const expect422 = (res: LightMyRequestResponse, path?: string) => {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<{ errors?: { path: string }[] }>();
  if (path !== undefined) expect(body.errors?.map((e) => e.path)).toContain(path);
  expect(res.body).not.toMatch(/select|insert|syntax|invalid input|out of range|0x00|postgres/i);
};

const search = (qs: string) => testApp().app.inject({ url: `/v1/properties?${qs}` });

describe('integers stay within their column type', () => {
  it('rejects minPrice and maxPrice above int4 (2^31) with 422, not a database error', async () => {
    expect422(await search('minPrice=2147483648'), 'minPrice');
    expect422(await search('maxPrice=2147483648'), 'maxPrice');
    expect422(await search('minPrice=9007199254740993'), 'minPrice');
    expect((await search('minPrice=100000000')).statusCode).toBe(200);
  });
});

describe('dates are years 1–9999', () => {
  it('rejects year 0000 in search checkIn/checkOut', async () => {
    expect422(await search('checkIn=0000-01-01&checkOut=0000-01-05'), 'checkIn');
    expect422(await search(`checkIn=0000-01-01&checkOut=${inDays(30)}`), 'checkIn');
  });

  it('rejects year 0000 in availability from/to', async () => {
    const res = await testApp().app.inject({
      url: `/v1/properties/${propertyId}/availability?from=0000-01-01&to=0000-03-01`,
    });
    expect422(res, 'from');
  });

  it('rejects an impossible calendar date (2026-02-30) and a five-digit year', async () => {
    expect422(await search('checkIn=2026-02-30&checkOut=2026-03-02'), 'checkIn');
    const res = await testApp().app.inject({
      url: `/v1/properties/${propertyId}/availability?from=9999-12-31&to=10000-01-01`,
    });
    expect422(res, 'to');
  });

  it('rejects a year-0000 instant inside a newest or host-list cursor', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    expect422(await search(`sort=newest&cursor=${encodeCursor(['newest', '0000-01-01T00:00:00.000Z', uuid])}`));
    const res = await testApp().app.inject({
      url: `/v1/hosts/me/properties?cursor=${encodeCursor(['0000-01-01T00:00:00.000Z', uuid])}`,
      headers: host.auth,
    });
    expect422(res);
    expect(res.json()).toMatchObject({ code: 'invalid_cursor' });
  });

  it('answers a year-0000 instant inside the admin user and audit cursors with 422', async () => {
    const admin = await registerAdmin(testApp());
    const cursor = encodeCursor(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']);
    for (const list of ['/v1/admin/users', '/v1/admin/audit']) {
      expect422(await testApp().app.inject({ url: `${list}?cursor=${cursor}`, headers: admin.auth }));
    }
  });
});

describe('NUL characters never reach the database', () => {
  it('rejects U+0000 in a query string with 422 naming the field', async () => {
    expect422(await search('q=a%00b'), 'q');
    expect422(await search('city=Lis%00bon'), 'city');
  });

  it('rejects U+0000 anywhere in a JSON body with 422 naming the field', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: host.auth,
      payload: propertyInput({
        title: 'Sunny\u0000flat',
        address: { line1: 'x\u0000', city: 'Lisbon', country: 'PT' },
      }),
    });
    expect422(res, 'title');
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain('address.line1');
    const patch = await testApp().app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: host.auth,
      payload: { firstName: '\u0000' },
    });
    expect422(patch, 'firstName');
  });

  it('rejects U+0000 in GraphQL variables and literal arguments as BAD_USER_INPUT', async () => {
    const byVariable = await graphql(
      testApp().app,
      'query($f: PropertyFilter) { properties(filter: $f) { edges { cursor } } }',
      { f: { q: 'a\u0000b' } },
    );
    expect(byVariable.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'validation_failed',
      errors: [{ path: 'variables.f.q' }],
    });
    const literal = await graphql(
      testApp().app,
      'query { properties(filter: { city: "Lis\\u0000bon" }) { edges { cursor } } }',
    );
    expect(literal.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'validation_failed',
      errors: [{ path: 'properties.filter.city' }],
    });
    const mutation = await graphql(
      testApp().app,
      'mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }',
      { input: { lastName: 'x\u0000' } },
      host.auth,
    );
    expect(mutation.body.errors?.[0]?.extensions?.errors).toEqual([
      { path: 'variables.input.lastName', message: expect.any(String) },
    ]);
  });

  it('answers 404 for U+0000 in a path parameter, as for any malformed id', async () => {
    const res = await testApp().app.inject({ url: '/v1/properties/%00' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('numbers that cannot be stored', () => {
  it('answers bathrooms 1e-320 with 422 rather than a database error', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: host.auth,
      payload: propertyInput({ bathrooms: 1e-320 }),
    });
    expect422(res, 'bathrooms');
    const patch = await testApp().app.inject({
      method: 'PATCH',
      url: `/v1/properties/${propertyId}`,
      headers: host.auth,
      payload: { bathrooms: 5e-324 },
    });
    expect422(patch, 'bathrooms');
  });
});

describe('cursor values match their sort', () => {
  const uuid = '00000000-0000-4000-8000-000000000000';
  it.each([
    ['newest', 42],
    ['newest', 'yesterday'],
    ['price_asc', 'cheap'],
    ['price_desc', 2147483648],
    ['price_asc', 1.5],
    ['rating', 4.5],
    ['rating', 'high'],
  ])('rejects a %s cursor holding %j with 422', async (sort, value) => {
    expect422(await search(`sort=${sort}&cursor=${encodeCursor([sort, value, uuid])}`), 'cursor');
  });

  it('rejects a relevance cursor whose rank is not a finite number', async () => {
    expect422(await search(`q=flat&sort=relevance&cursor=${encodeCursor(['relevance', 'x', uuid])}`), 'cursor');
  });
});

describe('GraphQL transport', () => {
  it.each([
    ['GET without a query', { method: 'GET' as const, url: '/graphql' }, 'missing_query'],
    ['a JSON body without a query', { method: 'POST' as const, url: '/graphql', payload: {} }, 'missing_query'],
    [
      'an empty JSON body',
      { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '' },
      'malformed_request',
    ],
  ])('answers %s with BAD_REQUEST, never INTERNAL_SERVER_ERROR', async (_what, request, reason) => {
    const res = await testApp().app.inject(request);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ data: null, errors: [{ extensions: { code: 'BAD_REQUEST', reason } }] });
  });

  it('answers a text/plain body with a coded 4xx, never INTERNAL_SERVER_ERROR', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'BAD_REQUEST', reason: 'unsupported_media_type' } }],
    });
  });

  it('answers a __proto__ key in the body with a coded 4xx, never INTERNAL_SERVER_ERROR', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query":"{ properties { edges { cursor } } }","__proto__":{"x":1}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'BAD_REQUEST', reason: 'malformed_request' } }],
    });
    const inVariables = await testApp().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload:
        '{"query":"query($f: PropertyFilter) { properties(filter: $f) { edges { cursor } } }","variables":{"f":{"__proto__":{"q":"x"}}}}',
    });
    expect(inVariables.statusCode).toBe(400);
    expect(inVariables.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('URLs the router refuses', () => {
  it('answers an over-long path parameter with a 404 problem, as for any malformed id', async () => {
    const res = await testApp().app.inject({ method: 'PATCH', url: `/v1/properties/${'y'.repeat(1600)}`, payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('answers broken percent-encoding in a path with a 400 problem', async () => {
    const res = await testApp().app.inject({ url: '/v1/properties/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});

describe('GraphQL queries that are JSON rather than GraphQL', () => {
  it.each(['12', 'null', '{}', '[]', '"x"', '{"kind":"Document","definitions":[]}'])(
    'answers the query %s with a syntax error, not INTERNAL_SERVER_ERROR',
    async (query) => {
      const res = await testApp().app.inject({ method: 'POST', url: '/graphql', payload: { query } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        data: null,
        errors: [
          { message: expect.stringMatching(/^Syntax Error/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        ],
      });
    },
  );

  it('still answers a number sent as the query (coerced to a string) with a syntax error', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query":12}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });
});

describe("a value the database refuses is the client's error", () => {
  afterEach(() => vi.restoreAllMocks());

  // Stands for any input a schema lets through by mistake: the query fails with SQLSTATE 22P02.
  const refusedValue = () =>
    vi
      .spyOn(testApp().container.services.properties, 'searchProperties')
      .mockImplementation(
        () => testApp().container.database.db.execute(sql`select ${'not a number'}::integer`) as never,
      );

  it('maps SQLSTATE class 22 to a 422 problem without SQL or driver text', async () => {
    refusedValue();
    const res = await search('');
    expect422(res);
    expect(res.json()).toMatchObject({ code: 'invalid_value', detail: expect.any(String) });
    expect(res.body).not.toMatch(/integer|not a number/);
  });

  it('maps SQLSTATE class 22 to BAD_USER_INPUT in GraphQL', async () => {
    refusedValue();
    const res = await graphql(testApp().app, '{ properties { edges { cursor } } }');
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_value' });
    expect(JSON.stringify(res.body)).not.toMatch(/integer|not a number|select/);
  });
});
