import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createProperty, inDays } from '#test/factories/properties.js';
import { movableClock, register, useTestApp, type Session } from '#test/helpers.js';
import { AppError } from '../../platform/errors.js';
import { registerRestAuth } from '../auth.js';
import { registerErrorHandling } from '../error-handler.js';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_LEASE_MS,
  canonicalJson,
  hashRequest,
  parseIdempotencyKey,
  registerIdempotency,
} from '../idempotency.js';
import { claimIdempotencyKey, purgeExpiredIdempotencyKeys } from '../../platform/idempotency/idempotency.repository.js';
import { idempotencyKeys } from '../../platform/idempotency/idempotency.table.js';
import { documentSharedProblems } from '../problem.js';

// The real app's clock (POST /v1/bookings below) runs from now and is moved by an offset.
const appClock = movableClock();
const testApp = useTestApp({ clock: appClock });

// A clock the tests move; the plugin reads time only from it.
const clock = {
  at: new Date('2031-03-01T12:00:00.000Z'),
  now() {
    return new Date(this.at);
  },
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  },
};

const Thing = z.object({ id: z.string(), name: z.string(), run: z.number().int() });
const ThingInput = z.strictObject({
  name: z.string().min(1).max(100),
  mode: z.enum(['ok', 'slow', 'fail', 'fail-once', 'conflict', 'big']).default('ok'),
  tags: z.array(z.string()).optional(),
});

let app: FastifyInstance;
// Handler runs per name: what "ran exactly once" is measured with.
const runs = new Map<string, number>();
const failedOnce = new Set<string>();
let alice: Session;
let bob: Session;

/**
 * The REST scope's hooks as src/composition/app.ts registers them (error mapping, bearer
 * authentication, shared problems, idempotency) around a route that counts its runs,
 * over the test app's real database and users.
 */
async function buildIdempotentApp(): Promise<FastifyInstance> {
  const { container } = testApp();
  const instance = Fastify({ logger: false });
  registerErrorHandling(instance);
  await instance.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'test', version: '1' } },
    transform: createJsonSchemaTransform({}),
    transformObject: jsonSchemaTransformObject,
  });
  await instance.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    registerRestAuth(scope, (token) => container.services.users.authenticate(token));
    documentSharedProblems(scope);
    registerIdempotency(scope, { db: container.database.db, clock });

    const api = scope.withTypeProvider<ZodTypeProvider>();
    api.post(
      '/v1/things',
      {
        config: { auth: 'required', idempotent: true },
        schema: { summary: 'Create a thing', body: ThingInput, response: { 201: Thing } },
      },
      async (request, reply) => {
        const { name, mode } = request.body;
        const run = (runs.get(name) ?? 0) + 1;
        runs.set(name, run);
        if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 150));
        if (mode === 'fail' || (mode === 'fail-once' && !failedOnce.has(name))) {
          failedOnce.add(name);
          throw new Error('boom');
        }
        if (mode === 'conflict') throw new AppError('conflict', 'thing_taken', 'That thing is taken.');
        const id = randomUUID();
        const thing = { id, name: mode === 'big' ? 'x'.repeat(70 * 1024) : name, run };
        return reply.status(201).header('location', `/v1/things/${id}`).send(thing);
      },
    );
    // Same hooks, a public route: anonymous callers are not keyed.
    api.post(
      '/v1/public-things',
      { config: { idempotent: true }, schema: { summary: 'Create a public thing', body: ThingInput } },
      async (request, reply) => {
        const run = (runs.get(request.body.name) ?? 0) + 1;
        runs.set(request.body.name, run);
        return reply.status(201).send({ run });
      },
    );
    // A route that did not opt in.
    api.post('/v1/plain-things', { schema: { summary: 'Plain', body: ThingInput } }, async (request, reply) => {
      const run = (runs.get(request.body.name) ?? 0) + 1;
      runs.set(request.body.name, run);
      return reply.status(201).send({ run });
    });
  });
  await instance.ready();
  return instance;
}

beforeAll(async () => {
  app = await buildIdempotentApp();
  alice = await register(testApp().app);
  bob = await register(testApp().app);
  return () => app.close();
});

beforeEach(() => {
  clock.at = new Date(clock.at.getTime() + 7 * IDEMPOTENCY_KEY_TTL_MS);
});

let seq = 0;
const uniqueName = (tag: string) => `${tag}-${++seq}-${randomUUID().slice(0, 8)}`;

function post(
  session: Session | undefined,
  key: string | undefined,
  payload: Record<string, unknown>,
  url = '/v1/things',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...(session ? session.auth : {}), ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    payload,
  });
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<{ code: string; errors?: { path: string; message: string }[] }>();
  expect(body.code).toBe(code);
  return body;
}

describe('Idempotency-Key', () => {
  it('replays the first answer: status, Location, Content-Type and body, marked as replayed', async () => {
    const name = uniqueName('replay');
    const key = randomUUID();
    const first = await post(alice, key, { name, tags: ['a', 'b'] });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same content, keys in another order: the same request.
    const second = await post(alice, key, { tags: ['a', 'b'], name });
    expect(second.statusCode).toBe(201);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(runs.get(name)).toBe(1);
  });

  it('refuses the same key with another body (422 idempotency_key_reused) and does not run', async () => {
    const name = uniqueName('reuse');
    const key = randomUUID();
    expect((await post(alice, key, { name })).statusCode).toBe(201);
    expectProblem(await post(alice, key, { name: `${name}-other` }), 422, 'idempotency_key_reused');
    expectProblem(await post(alice, key, { name, tags: ['x'] }), 422, 'idempotency_key_reused');
    expect(runs.get(`${name}-other`)).toBeUndefined();
    expect(runs.get(name)).toBe(1);
    // The stored answer is intact.
    expect((await post(alice, key, { name })).headers['idempotent-replayed']).toBe('true');
  });

  it('runs the handler once for 20 parallel requests with one key; the others get 409 or the replay', async () => {
    const name = uniqueName('parallel');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(alice, key, { name, mode: 'slow' })));
    expect(runs.get(name)).toBe(1);
    const created = answers.filter((r) => r.statusCode === 201);
    const inProgress = answers.filter((r) => r.statusCode === 409);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length + inProgress.length).toBe(20);
    expect(inProgress.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    for (const r of inProgress) {
      expectProblem(r, 409, 'idempotency_in_progress');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    const after = await post(alice, key, { name, mode: 'slow' });
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.body).toBe(created[0]!.body);
    expect(runs.get(name)).toBe(1);
  });

  it('keys are per user: the same key from another user runs', async () => {
    const name = uniqueName('per-user');
    const key = randomUUID();
    const a = await post(alice, key, { name });
    const b = await post(bob, key, { name });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json<{ id: string }>().id).not.toBe(a.json<{ id: string }>().id);
    expect(runs.get(name)).toBe(2);
    // Each user replays their own.
    expect((await post(bob, key, { name })).body).toBe(b.body);
    expect((await post(alice, key, { name })).body).toBe(a.body);
  });

  it('keys live 24 h: replayed just before, run again (any body) after', async () => {
    const name = uniqueName('expiry');
    const key = randomUUID();
    const first = await post(alice, key, { name });
    clock.advance(IDEMPOTENCY_KEY_TTL_MS - 1000);
    const replayed = await post(alice, key, { name });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toBe(first.body);

    clock.advance(1000);
    const again = await post(alice, key, { name });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).not.toBe(first.body);
    expect(runs.get(name)).toBe(2);

    // The key now belongs to the new request, with a fresh 24 h.
    clock.advance(IDEMPOTENCY_KEY_TTL_MS + 1);
    expect((await post(alice, key, { name: `${name}-new` })).statusCode).toBe(201);
    expect(runs.get(`${name}-new`)).toBe(1);
  });

  it('releases the key on a 5xx, so that a retry runs again', async () => {
    const name = uniqueName('5xx');
    const key = randomUUID();
    const failed = await post(alice, key, { name, mode: 'fail-once' });
    expectProblem(failed, 500, 'internal_error');
    const retried = await post(alice, key, { name, mode: 'fail-once' });
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.get(name)).toBe(2);
    expect((await post(alice, key, { name, mode: 'fail-once' })).headers['idempotent-replayed']).toBe('true');
    expect(runs.get(name)).toBe(2);

    // After a 5xx the key is free for another request too.
    const other = randomUUID();
    expect((await post(alice, other, { name: `${name}-b`, mode: 'fail' })).statusCode).toBe(500);
    expect((await post(alice, other, { name: `${name}-c` })).statusCode).toBe(201);
  });

  it('stores a 4xx answer of the handler and replays it', async () => {
    const name = uniqueName('4xx');
    const key = randomUUID();
    const first = await post(alice, key, { name, mode: 'conflict' });
    expectProblem(first, 409, 'thing_taken');
    const second = await post(alice, key, { name, mode: 'conflict' });
    expectProblem(second, 409, 'thing_taken');
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(runs.get(name)).toBe(1);
  });

  it('does not store an answer above 64 KiB: the key is released', async () => {
    const name = uniqueName('big');
    const key = randomUUID();
    expect((await post(alice, key, { name, mode: 'big' })).statusCode).toBe(201);
    const again = await post(alice, key, { name, mode: 'big' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.get(name)).toBe(2);
  });

  it('a claim left by a crashed request blocks its key for the lease, then is taken over', async () => {
    const name = uniqueName('crash');
    const key = randomUUID();
    const { db } = testApp().container.database;
    const body = { name };
    // What a request that died mid-handler leaves behind: its claim, and no answer.
    const requestHash = hashRequest({
      method: 'POST',
      route: '/v1/things',
      params: {},
      query: {},
      body: { name, mode: 'ok' },
    });
    const now = clock.now();
    await claimIdempotencyKey(
      db,
      {
        userId: alice.user.id,
        key,
        requestHash,
        claimedAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      },
      new Date(now.getTime() - IDEMPOTENCY_LEASE_MS),
    );
    const runsBefore = runs.get(name) ?? 0;

    clock.advance(IDEMPOTENCY_LEASE_MS - 1000);
    expectProblem(await post(alice, key, body), 409, 'idempotency_in_progress');
    expect(runs.get(name) ?? 0).toBe(runsBefore);

    clock.advance(1000);
    const taken = await post(alice, key, body);
    expect(taken.statusCode).toBe(201);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.get(name)).toBe(runsBefore + 1);
    expect((await post(alice, key, body)).headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a bad key with 422 on the header, before the handler runs', async () => {
    const name = uniqueName('bad-key');
    for (const key of ['', ' ', 'k'.repeat(256), 'clé', 'tab\there']) {
      const body = expectProblem(await post(alice, key, { name }), 422, 'validation_failed');
      expect(body.errors?.[0]?.path, JSON.stringify(key)).toBe('Idempotency-Key');
    }
    expect(runs.get(name)).toBeUndefined();
    // The longest and the odd-but-printable keys are fine.
    expect((await post(alice, 'k'.repeat(255), { name })).statusCode).toBe(201);
    expect((await post(alice, 'a b:c/d=e', { name })).statusCode).toBe(201);
  });

  it('without the header, or on a route that did not opt in, every request runs', async () => {
    const name = uniqueName('no-header');
    expect((await post(alice, undefined, { name })).statusCode).toBe(201);
    const second = await post(alice, undefined, { name });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.get(name)).toBe(2);

    const plain = uniqueName('plain');
    const key = randomUUID();
    expect((await post(alice, key, { name: plain }, '/v1/plain-things')).json()).toEqual({ run: 1 });
    expect((await post(alice, key, { name: plain }, '/v1/plain-things')).json()).toEqual({ run: 2 });
  });

  it('leaves anonymous callers untouched (keys are per user)', async () => {
    const name = uniqueName('anonymous');
    const key = randomUUID();
    const first = await post(undefined, key, { name }, '/v1/public-things');
    const second = await post(undefined, key, { name }, '/v1/public-things');
    expect(first.json()).toEqual({ run: 1 });
    expect(second.json()).toEqual({ run: 2 });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    // A bad key from an anonymous caller is not looked at either.
    expect((await post(undefined, '', { name }, '/v1/public-things')).statusCode).toBe(201);
    // Signed in on the same route: keyed.
    const keyed = await post(alice, key, { name }, '/v1/public-things');
    expect((await post(alice, key, { name }, '/v1/public-things')).body).toBe(keyed.body);
    // A required-auth route still answers 401 first.
    expectProblem(await post(undefined, key, { name }), 401, 'unauthorized');
  });

  it('hashes the route too: one key on two routes is a reuse', async () => {
    const name = uniqueName('routes');
    const key = randomUUID();
    expect((await post(alice, key, { name })).statusCode).toBe(201);
    expectProblem(await post(alice, key, { name }, '/v1/public-things'), 422, 'idempotency_key_reused');
  });

  it('documents the header and the 409 and 422 answers on routes that opt in, only there', async () => {
    const doc = app.swagger() as {
      paths: Record<
        string,
        {
          post: {
            parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
            responses: Record<string, unknown>;
          };
        }
      >;
    };
    const header = doc.paths['/v1/things']!.post.parameters?.find((p) => p.in === 'header');
    expect(header?.name).toBe('idempotency-key');
    expect(header?.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
    expect(Object.keys(doc.paths['/v1/things']!.post.responses)).toEqual(
      expect.arrayContaining(['201', '401', '409', '422']),
    );
    const plain = doc.paths['/v1/plain-things']!.post;
    expect(plain.parameters?.some((p) => p.in === 'header') ?? false).toBe(false);
    expect(Object.keys(plain.responses)).not.toContain('409');
  });
});

describe('idempotency keys store', () => {
  it('purges expired keys in batches and keeps live ones', async () => {
    const { db } = testApp().container.database;
    const base = clock.now();
    const claimAt = (key: string, at: Date) =>
      claimIdempotencyKey(
        db,
        {
          userId: bob.user.id,
          key,
          requestHash: 'h',
          claimedAt: at,
          expiresAt: new Date(at.getTime() + IDEMPOTENCY_KEY_TTL_MS),
        },
        new Date(at.getTime() - IDEMPOTENCY_LEASE_MS),
      );
    const old = [randomUUID(), randomUUID(), randomUUID()];
    for (const key of old) expect(await claimAt(key, base)).toEqual({ claimed: true });
    const live = randomUUID();
    const later = new Date(base.getTime() + 60 * 60 * 1000);
    await claimAt(live, later);

    const purgeAt = new Date(base.getTime() + IDEMPOTENCY_KEY_TTL_MS);
    let purged = 0;
    for (
      let n = await purgeExpiredIdempotencyKeys(db, purgeAt, 2);
      n > 0;
      n = await purgeExpiredIdempotencyKeys(db, purgeAt, 2)
    ) {
      expect(n).toBeLessThanOrEqual(2);
      purged += n;
    }
    expect(purged).toBeGreaterThanOrEqual(3);
    const left = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, bob.user.id));
    expect(left.map((r) => r.key)).toContain(live);
    for (const key of old) expect(left.map((r) => r.key)).not.toContain(key);
  });

  it('claims a key once among parallel claimants', async () => {
    const { db } = testApp().container.database;
    const now = clock.now();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        claimIdempotencyKey(
          db,
          {
            userId: bob.user.id,
            key,
            requestHash: 'h',
            claimedAt: now,
            expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
          },
          new Date(now.getTime() - IDEMPOTENCY_LEASE_MS),
        ),
      ),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });

  it('canonical JSON and key parsing', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}',
    );
    expect(parseIdempotencyKey('0f9c2b1e-4f7a-4c4e-9a55-1d5b0c8e2f10')).toBe('0f9c2b1e-4f7a-4c4e-9a55-1d5b0c8e2f10');
    expect(() => parseIdempotencyKey('x'.repeat(256))).toThrow(AppError);
  });
});

describe('Idempotency-Key on POST /v1/bookings (the real app)', () => {
  let host: Session;
  let propertyId: string;
  let night = 30;

  beforeAll(async () => {
    host = await register(testApp().app, { role: 'host' });
    propertyId = (await createProperty(testApp().app, host)).id;
  });
  afterEach(() => {
    appClock.offsetMs = 0;
  });

  // Each test books nights of its own.
  const nextStay = () => {
    night += 3;
    return { propertyId, checkIn: inDays(night), checkOut: inDays(night + 2), guests: 1 };
  };
  const book = (session: Session, key: string, payload: unknown) =>
    testApp().app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: { ...session.auth, 'idempotency-key': key },
      payload: payload as object,
    });
  const guestBookings = async (session: Session) =>
    (await testApp().app.inject({ url: '/v1/bookings?as=guest&limit=100', headers: session.auth })).json<{
      data: { id: string; checkIn: string }[];
    }>().data;

  it('a retried booking answers the first 201 again and books once', async () => {
    const guest = await register(testApp().app);
    const stay = nextStay();
    const key = randomUUID();
    const first = await book(guest, key, stay);
    expect(first.statusCode, first.body).toBe(201);
    const again = await book(guest, key, { ...stay });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toBe(first.body);
    expect(await guestBookings(guest)).toHaveLength(1);

    expectProblem(await book(guest, key, { ...stay, guests: 2 }), 422, 'idempotency_key_reused');
  });

  it('20 parallel retries of one booking create one booking', async () => {
    const guest = await register(testApp().app);
    const stay = nextStay();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => book(guest, key, stay)));
    const codes = answers.map((r) => (r.statusCode === 201 ? 'created' : r.json<{ code: string }>().code));
    expect(
      codes.every((c) => c === 'created' || c === 'idempotency_in_progress'),
      codes.join(),
    ).toBe(true);
    expect(new Set(answers.filter((r) => r.statusCode === 201).map((r) => r.body)).size).toBe(1);
    expect(await guestBookings(guest)).toHaveLength(1);
  });

  it('after 24 h on the container clock the key runs again', async () => {
    const guest = await register(testApp().app);
    // Far enough ahead that the stay is still bookable a day later.
    const stay = nextStay();
    const key = randomUUID();
    const first = await book(guest, key, stay);
    expect(first.statusCode).toBe(201);
    appClock.offsetMs = IDEMPOTENCY_KEY_TTL_MS - 60_000;
    expect((await book(guest, key, stay)).headers['idempotent-replayed']).toBe('true');
    appClock.offsetMs = IDEMPOTENCY_KEY_TTL_MS + 1000;
    // The first hold has expired by then, so the same nights book again.
    const later = await book(guest, key, stay);
    expect(later.statusCode, later.body).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.headers.location).not.toBe(first.headers.location);
  });

  it('documents the header and its answers on POST /v1/bookings', async () => {
    const doc = (await testApp().app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: object }>>;
    }>();
    const op = doc.paths['/v1/bookings']!.post!;
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'idempotency-key', in: 'header' }));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(doc.paths['/v1/bookings/quote']!.post!.parameters ?? []).not.toContainEqual(
      expect.objectContaining({ in: 'header' }),
    );
  });
});
