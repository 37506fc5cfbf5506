import { randomUUID } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats, { type FormatsPlugin } from 'ajv-formats';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { completedStays } from '#test/factories/bookings.js';
import { propertyInput } from '#test/factories/properties.js';
import { createTestApp, PASSWORD, register, registerAdmin, type Session, type TestApp } from '#test/helpers.js';
import { boundaryQueryValue, boundaryString, boundaryValue } from './values.js';
import { sandboxEvent, signSandboxEvent } from '../../src/platform/payments/index.js';

/**
 * A contract fuzzer. It reads the app's own OpenAPI document and GraphQL schema, so every
 * route and field is covered without naming any, and sends valid, boundary and malformed
 * requests as a guest, a host, an admin and anonymously. The contract it holds the app to:
 * no 5xx; every REST 4xx is problem+json; every 2xx body matches its documented schema;
 * every GraphQL error carries `extensions.code` and none is INTERNAL_SERVER_ERROR; a
 * subscription over HTTP is a 400. The WebSocket side is in socket.ts.
 */

type Json = Record<string, unknown>;
type Schema = Json;

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }[];
  body?: Schema;
  /** The body is `multipart/form-data` (a photo upload). */
  multipart: boolean;
  secured: boolean;
  responses: Record<string, Json & { content?: Record<string, { schema?: Schema }> }>;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
}

export interface FuzzReport {
  requests: number;
  byStatus: Map<number, number>;
  /** Statuses per target, to see how deep each one reached. */
  byTarget: Map<string, Map<number, number>>;
  /** One entry per target whose property failed: the shrunk counterexample and why. */
  failures: string[];
  /** `METHOD path status` answered but not listed in the document (the test fails on any). */
  undocumented: Set<string>;
  /** Requests by an actor other than its owner that named an OWNED fixture (REST and GraphQL). */
  bolaProbes: number;
  targets: number;
  elapsedMs: number;
}

// ajv comes with Fastify; the 2020-12 dialect is the one OpenAPI 3.1 uses. ajv-formats
// is CommonJS: its plugin is the module itself or its `default`, depending on the loader.
const addFormats = ((formats as unknown as { default?: FormatsPlugin }).default ?? formats) as unknown as FormatsPlugin;

const STATIC_PREFIXES = ['/docs', '/graphiql'];
const REFRESH_EVERY = 1500;
const POOL_SIZE = 48;

/** The app under test, its signed-in actors and what its answers taught (ids, cursors…). */
/** Calls that end the caller's sessions (or another's, with harvested ids and tokens). */
const ENDS_SESSIONS =
  /^(POST \/v1\/auth\/(logout|logout-all|password-reset\/confirm)|POST \/v1\/me\/password|DELETE \/v1\/me(\/sessions\/[^/]+)?)$/;

/**
 * Resources that belong to one actor, for the object-level authorization (BOLA) checks. Under
 * `path`, the parameter `param` gets the fixture `fixture`, made by `owner`; any other actor
 * naming it must get what an id that names nothing gets — 404, or an answer given before the
 * resource is looked at (401 without a valid token, a 4xx for a malformed request) — never a
 * 2xx, nor a 403 or 409 that would say it exists. Over GraphQL, no answer to another actor may
 * hold it (`via` names the root fields that legitimately hand it out, such as a shared link).
 */
export const OWNED = [
  {
    what: 'wishlist',
    path: /^\/v1\/wishlists\/\{id\}/,
    param: 'id',
    fixture: 'wishlistId',
    owner: 'guest',
    typename: 'Wishlist',
    via: ['sharedWishlist'],
  },
  {
    what: 'imported calendar',
    path: /^\/v1\/properties\/\{id\}\/ical\/imports\/\{importId\}/,
    param: 'importId',
    fixture: 'importId',
    owner: 'host',
    typename: 'IcalImport',
    via: [],
  },
  {
    what: 'webhook endpoint',
    path: /^\/v1\/webhooks\/\{id\}/,
    param: 'id',
    fixture: 'webhookId',
    owner: 'host',
    typename: 'WebhookEndpoint',
    via: [],
  },
] as const;
const ownedAt = (path: string) => OWNED.find((o) => o.path.test(path));

/**
 * Path parameters that need a fixture of their own under some paths: a host's answer to a
 * request to book reaches past "not found" only with a booking that is (or was) a request.
 */
const PATH_FIXTURES = [
  { path: /^\/v1\/bookings\/\{id\}\/(accept|decline)$/, param: 'id', fixture: 'requestId' },
  // Reviews both ways reach past "not completed" only with a completed stay of the host's place.
  { path: /^\/v1\/bookings\/\{id\}\/(review|guest-review)$/, param: 'id', fixture: 'stayId' },
  // A guest's received reviews: the fuzz guest, whose stay the host may have reviewed.
  { path: /^\/v1\/users\/\{id\}\/reviews$/, param: 'id', fixture: 'guestId' },
] as const;

/** The webhook secret of the test app (test/helpers.ts `testEnv`): the sandbox's authorization is signed with it. */
const SANDBOX_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export class FuzzTarget {
  readonly pools = new Map<string, unknown[]>();
  actors: Record<'guest' | 'host' | 'admin', Session> = undefined as never;
  private protectedIds = new Set<string>();
  private fixtures: Record<string, string> = {};
  private sinceRefresh = 0;
  /** The target whose requests are being sent, for the per-target counts. */
  current = '';
  readonly report: FuzzReport = {
    requests: 0,
    byStatus: new Map(),
    byTarget: new Map(),
    failures: [],
    undocumented: new Set(),
    bolaProbes: 0,
    targets: 0,
    elapsedMs: 0,
  };

  private constructor(readonly t: TestApp) {}

  static async create(): Promise<FuzzTarget> {
    const t = await createTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
    const target = new FuzzTarget(t);
    await target.refresh();
    return target;
  }

  get app() {
    return this.t.app;
  }

  close() {
    return this.t.close();
  }

  /**
   * Fresh actors and fixtures: access tokens expire, a guest may have become a host, the
   * listed place may have been deleted or unlisted by the host's own fuzzed requests.
   */
  async refresh(): Promise<void> {
    await this.liftBlocks();
    const [guest, host, admin] = await Promise.all([
      register(this.app, { firstName: 'Fuzz', lastName: 'Guest' }),
      register(this.app, { role: 'host', firstName: 'Fuzz', lastName: 'Host' }),
      registerAdmin(this.t),
    ]);
    this.actors = { guest, host, admin };
    // Fuzzed admin calls must not suspend the accounts the fuzzer itself is using.
    this.protectedIds = new Set([guest.user.id, host.user.id, admin.user.id]);
    await this.createFixtures();
    this.remember('password', PASSWORD);
    this.sinceRefresh = 0;
  }

  /**
   * Fuzzed admin calls may block the loopback addresses the fuzzer's own requests come
   * from (`127.0.x.y`); the block list is emptied before actors are made, as their
   * accounts are protected from fuzzed suspension.
   */
  async liftBlocks(): Promise<void> {
    await this.t.container.database.db.execute(sql`delete from blocked_ips`);
    await this.t.container.services.security.guard.reload();
  }

  /**
   * A listed place of the current host with one calendar block and prices by date: path parameters named
   * `id` and `blockId` often get these, so requests reach past "not found" and "not yours".
   */
  private async createFixtures(): Promise<void> {
    const host = this.actors.host;
    const created = await this.app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: host.auth,
      payload: propertyInput(),
    });
    this.harvest(created);
    const id = created.json<{ id: string }>().id;
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const block = await this.app.inject({
      method: 'POST',
      url: `/v1/properties/${id}/blocks`,
      headers: host.auth,
      payload: { start: day(5), end: day(9) },
    });
    this.harvest(block);
    // Prices by date on some nights, so calendar reads and price writes meet overrides.
    const prices = await this.app.inject({
      method: 'PUT',
      url: `/v1/properties/${id}/calendar/prices`,
      headers: host.auth,
      payload: { ranges: [{ start: day(10), end: day(20), nightlyPrice: 15_000, minNights: 2 }] },
    });
    this.harvest(prices);
    // A photo: bytes that start like a JPEG are accepted (and fail in processing).
    const upload = multipartPayload([
      { name: 'file', filename: 'a.jpg', type: 'image/jpeg', value: Buffer.concat([JPEG_MAGIC, Buffer.alloc(64, 1)]) },
    ]);
    const photo = await this.app.inject({
      method: 'POST',
      url: `/v1/properties/${id}/photos`,
      headers: { ...host.auth, 'content-type': upload.type },
      payload: upload.payload,
    });
    // An imported calendar whose feed is never fetched here: the fuzzer runs no jobs, and a
    // loopback address is refused before any connection anyway (ICAL_ALLOW_PRIVATE is off).
    const feed = await this.app.inject({
      method: 'POST',
      url: `/v1/properties/${id}/ical/imports`,
      headers: host.auth,
      payload: { url: 'http://127.0.0.1:9/fuzz.ics', name: 'Fuzz feed' },
    });
    this.harvest(feed);
    // A webhook endpoint of the host's: never called here (the fuzzer runs no jobs).
    const hook = await this.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: host.auth,
      payload: { url: 'https://partner.example.com/fuzz', events: ['booking.created'] },
    });
    this.harvest(hook);
    // A payout account: the host's earnings, payouts and account routes answer past "not found".
    this.harvest(await this.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: host.auth }));
    const wishlist = await this.ownedWishlist(id);
    const request = await this.requestFixture();
    // A stay of the guest's at the place, completed yesterday: both sides may review it. No
    // place when the host's fuzzed calls left it unable to make one (then generated ids serve).
    const [stay] =
      created.statusCode === 201
        ? await completedStays(this.t.container.database.db, {
            propertyId: id,
            hostId: host.user.id,
            guestIds: [this.actors.guest.user.id],
            checkOutDaysAgo: 1,
          })
        : [];
    this.fixtures = {
      ...request,
      ...(stay && { stayId: stay.id }),
      guestId: this.actors.guest.user.id,
      id,
      blockId: block.json<{ id: string }>().id,
      photoId: photo.json<{ id: string }>().id,
      importId: feed.json<{ id: string }>().id,
      // None when the host's fuzzed calls left it unable to make one (its 10 endpoints taken).
      ...(hook.statusCode === 201 && { webhookId: hook.json<{ endpoint: { id: string } }>().endpoint.id }),
      propertyId: id,
      ...wishlist,
    };
    this.harvest(await this.app.inject({ url: '/v1/properties?limit=1' }));
  }

  /**
   * A shared wishlist of the guest's keeping the fixture place: `{id}` under /v1/wishlists
   * (see OWNED), `propertyId` and `shareToken` get these. The guest's own fuzzed calls may
   * have filled its 50 lists: then one of them serves.
   */
  private async ownedWishlist(propertyId: string): Promise<{ wishlistId?: string; shareToken?: string }> {
    const guest = this.actors.guest;
    const created = await this.app.inject({
      method: 'POST',
      url: '/v1/wishlists',
      headers: guest.auth,
      payload: { name: 'Fuzz list', shared: true },
    });
    this.harvest(created);
    const wishlistId =
      created.statusCode === 201
        ? created.json<{ id: string }>().id
        : (await this.app.inject({ url: '/v1/wishlists?limit=1', headers: guest.auth })).json<{
            data?: { id: string }[];
          }>().data?.[0]?.id;
    // None could be made or found (the guest's fuzzed calls may have refused it one): the
    // wishlist routes get generated ids this round.
    if (!wishlistId) return {};
    await this.app.inject({
      method: 'PUT',
      url: `/v1/wishlists/${wishlistId}/places/${propertyId}`,
      headers: guest.auth,
    });
    const shared = await this.app.inject({
      method: 'PATCH',
      url: `/v1/wishlists/${wishlistId}`,
      headers: guest.auth,
      payload: { shared: true },
    });
    this.harvest(shared);
    const shareToken = shared.json<{ shareToken?: string | null }>().shareToken ?? undefined;
    return shareToken ? { wishlistId, shareToken } : { wishlistId };
  }

  /** The fixture for a path parameter of this name in this path, if there is one (OWNED first). */
  fixture(name: string, path = ''): string | undefined {
    const owned = ownedAt(path);
    const special = PATH_FIXTURES.find((f) => f.param === name && f.path.test(path));
    return this.fixtures[owned?.param === name ? owned.fixture : (special?.fixture ?? name)];
  }

  /**
   * A request to book of a fresh guest's at a request place of the host's, its payment
   * authorized through the sandbox's signed webhook: `{id}` of accept and decline gets it.
   * Nothing when the booking cannot be made (the fuzzed calls may have taken the nights).
   */
  private async requestFixture(): Promise<{ requestId?: string }> {
    const { host } = this.actors;
    const place = await this.app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: host.auth,
      payload: propertyInput({ status: 'listed', bookingMode: 'request' }),
    });
    if (place.statusCode !== 201) return {};
    const guest = await register(this.app);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const booked = await this.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: guest.auth,
      payload: { propertyId: place.json<{ id: string }>().id, checkIn: day(60), checkOut: day(62), guests: 1 },
    });
    if (booked.statusCode !== 201) return {};
    const requestId = booked.json<{ id: string }>().id;
    const payment = await this.app.inject({
      method: 'POST',
      url: `/v1/bookings/${requestId}/payments`,
      headers: guest.auth,
    });
    if (payment.statusCode !== 201) return {};
    const event = sandboxEvent(payment.json<{ providerReference: string }>().providerReference, 'authorized');
    const { body, headers } = signSandboxEvent(SANDBOX_WEBHOOK_SECRET, event);
    await this.app.inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body });
    return { requestId };
  }

  /** Sends one request, counts it, learns from a 2xx answer. */
  async send(req: FuzzRequest): Promise<LightMyRequestResponse> {
    if (++this.sinceRefresh >= REFRESH_EVERY) await this.refresh();
    const res = await this.app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: req.headers,
      payload: req.payload,
      remoteAddress: req.remoteAddress,
    });
    this.report.requests++;
    this.report.byStatus.set(res.statusCode, (this.report.byStatus.get(res.statusCode) ?? 0) + 1);
    const mine = this.report.byTarget.get(this.current) ?? new Map<number, number>();
    mine.set(res.statusCode, (mine.get(res.statusCode) ?? 0) + 1);
    this.report.byTarget.set(this.current, mine);
    if (res.statusCode < 300) this.harvest(res);
    // A fuzzed call ended one of the fuzzer's own sessions (logout, logout everywhere, a
    // password change or reset, an ended session) or closed its account: sign up new ones.
    if (res.statusCode < 300 && ENDS_SESSIONS.test(`${req.method} ${new URL(req.url, 'http://x').pathname}`)) {
      await this.refresh();
      return res;
    }
    // The guest's own fuzzed calls may end the fixture list's sharing: share it again.
    if (
      req.method === 'PATCH' &&
      res.statusCode < 300 &&
      this.fixtures.wishlistId &&
      req.url.includes(this.fixtures.wishlistId) &&
      res.json<{ shareToken?: string | null }>().shareToken === null
    ) {
      const { wishlistId: _gone, shareToken: _ended, ...rest } = this.fixtures;
      this.fixtures = { ...rest, ...(await this.ownedWishlist(this.fixtures.propertyId!)) };
    }
    // The host's own fuzzed calls may delete the fixture place or block: make new ones.
    if (
      req.method === 'DELETE' &&
      res.statusCode < 300 &&
      Object.values(this.fixtures).some((id) => req.url.includes(id))
    )
      await this.createFixtures();
    return res;
  }

  /** Remembers the scalar values of a JSON answer by field name, to reuse as inputs. */
  harvest(res: LightMyRequestResponse): void {
    if (!/json/.test(String(res.headers['content-type'] ?? ''))) return;
    let body: unknown;
    try {
      body = res.json();
    } catch {
      return;
    }
    const stack: [unknown, string][] = [[body, '']];
    for (let seen = 0; stack.length > 0 && seen < 2000; seen++) {
      const [v, key] = stack.pop()!;
      if (Array.isArray(v)) for (const x of v) stack.push([x, key]);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([x, k]);
      else if (key && (typeof v === 'string' || typeof v === 'number')) this.remember(key, v);
    }
  }

  remember(key: string, value: unknown): void {
    const name = poolName(key);
    const pool = this.pools.get(name) ?? [];
    if (pool.includes(value)) return;
    if (pool.length < POOL_SIZE) pool.push(value);
    else pool[Math.floor(Math.random() * POOL_SIZE)] = value;
    this.pools.set(name, pool);
  }

  /** A remembered value for a field of this name, or undefined. */
  recall(key: string, seed: number): unknown {
    const pool = this.pools.get(poolName(key));
    if (!pool || pool.length === 0) return undefined;
    const value = pool[seed % pool.length];
    return typeof value === 'string' && this.protectedIds.has(value) ? undefined : value;
  }

  token(who: 'guest' | 'host' | 'admin'): string {
    return this.actors[who].accessToken;
  }
}

/** Ids share one pool whatever the field is called (`id`, `hostId`, `blockId`…). */
const poolName = (key: string) => (key === 'id' || /Id$/.test(key) ? 'id' : key === 'nextCursor' ? 'cursor' : key);

// ---------------------------------------------------------------------------------------
// JSON Schema → values

function resolveRef(doc: Json, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
    const parts = s.$ref.replace(/^#\//, '').split('/');
    s = parts.reduce<Json>((o, p) => o[p] as Json, doc);
  }
  return s;
}

const INT32 = 2 ** 31 - 1;
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** A value the schema accepts (as far as its keywords say), preferring remembered ones. */
export function validArb(target: FuzzTarget, doc: Json, raw: Schema, name: string, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(doc, raw);
  const own = schemaArb(target, doc, schema, name, depth);
  if (!name || isContainer(schema)) return own;
  // Remembered values of a field of the same name (ids, cursors, timezones…) reach
  // further into the app than random ones that merely match a pattern.
  return fc
    .tuple(fc.nat(), fc.boolean(), own)
    .map(([seed, recall, fallback]) => (recall ? (target.recall(name, seed) ?? fallback) : fallback));
}

const isContainer = (s: Schema) => s.type === 'object' || s.type === 'array' || 'properties' in s;

function schemaArb(target: FuzzTarget, doc: Json, schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants) return fc.oneof(...variants.map((v) => validArb(target, doc, v, name, depth)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.type)) {
    return fc.oneof(
      ...(schema.type as string[]).map((type) => schemaArb(target, doc, { ...schema, type }, name, depth)),
    );
  }
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = Math.max(num(schema.minimum) ?? -1000, -INT32);
      const max = Math.min(num(schema.maximum) ?? 1000, INT32);
      const edges = [num(schema.minimum), num(schema.maximum)].filter((v): v is number => v !== undefined);
      return edges.length ? fc.oneof(fc.integer({ min, max }), fc.constantFrom(...edges)) : fc.integer({ min, max });
    }
    case 'number': {
      const min = num(schema.minimum) ?? num(schema.exclusiveMinimum) ?? -1e6;
      const max = num(schema.maximum) ?? num(schema.exclusiveMaximum) ?? 1e6;
      const step = num(schema.multipleOf);
      if (step) return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((k) => k * step);
      return fc.double({
        min,
        max,
        noNaN: true,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
      });
    }
    case 'string':
      // E-mail inputs are trimmed and lower-cased before the format check, so the document
      // shows a plain string; the field's name says what it holds.
      return /email$/i.test(name) && !schema.format ? emailArb : stringArb(schema);
    case 'array': {
      const items = (schema.items as Schema | undefined) ?? {};
      const maxLength = Math.min(num(schema.maxItems) ?? 4, 4);
      return fc.array(validArb(target, doc, items, name, depth + 1), {
        minLength: Math.min(num(schema.minItems) ?? 0, maxLength),
        maxLength,
      });
    }
    default: {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      if (depth > 6 || (!schema.properties && schema.type !== 'object')) return fc.jsonValue({ maxDepth: 2 });
      const required = (schema.required as string[] | undefined) ?? [];
      const shape = Object.fromEntries(
        Object.entries(properties).map(([key, s]) => [key, validArb(target, doc, s, key, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: required.filter((k) => k in shape) });
    }
  }
}

const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,20}[a-z0-9]$/),
    fc.constantFrom('example.com', 'example.org', 'mail.example.net'),
  )
  .map(([local, domain]) => `${local}@${domain}`);

function stringArb(schema: Schema): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength) ?? 64;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .integer({ min: -10, max: 500 })
            .map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)),
        },
        fc
          .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
      );
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
  }
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot generate from: fall back to any text.
    }
  }
  if (schema.format === 'email') return emailArb.filter(fits);
  return fc.string({ minLength, maxLength: Math.min(maxLength, 64), unit: 'grapheme' });
}

// ---------------------------------------------------------------------------------------
// Mutations: a valid value with one place broken

type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: boundaryValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.constantFrom('unknownField', 'role', 'id', 'status', 'hostId', 'isAdmin', '\u0000', 'constructor'),
      value: boundaryValue,
    }),
  },
);

/** Every place in a JSON value: [container, key] pairs, the root being [holder, 'root']. */
function places(root: Json): [Json | unknown[], string | number][] {
  const out: [Json | unknown[], string | number][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && out.length < 500) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), stack.push(x)));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Json, k]);
        stack.push(x);
      }
    }
  }
  return out;
}

export function applyMutation(value: unknown, m: Mutation): unknown {
  if (m.kind === 'none') return value;
  const holder: Json = { root: structuredClone(value) };
  const all = places(holder);
  const [container, key] = all[m.at % all.length]!;
  if (m.kind === 'replace') (container as Json)[key as string] = m.value;
  else if (m.kind === 'drop') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else {
    const target = (container as Json)[key as string];
    if (target && typeof target === 'object' && !Array.isArray(target)) (target as Json)[m.key] = m.value;
    else if (holder.root && typeof holder.root === 'object' && !Array.isArray(holder.root))
      (holder.root as Json)[m.key] = m.value;
  }
  return holder.root;
}

// ---------------------------------------------------------------------------------------
// REST

function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Schema }> | undefined;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
        body: body?.['application/json']?.schema,
        multipart: body?.['multipart/form-data'] !== undefined,
        secured: ((op.security as Json[] | undefined) ?? []).some((s) => 'bearerAuth' in s),
        responses: op.responses as Operation['responses'],
      });
    }
  }
  return out;
}

type Auth = 'none' | 'guest' | 'host' | 'admin' | 'garbage' | 'basic';

function authArb(secured: boolean): fc.Arbitrary<Auth> {
  return secured
    ? fc.constantFrom<Auth>('guest', 'host', 'host', 'admin', 'admin', 'none', 'garbage')
    : fc.constantFrom<Auth>('none', 'none', 'none', 'guest', 'host', 'admin', 'garbage', 'basic');
}

function authHeader(target: FuzzTarget, auth: Auth): Record<string, string> {
  switch (auth) {
    case 'none':
      return {};
    case 'garbage':
      return { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };
    case 'basic':
      return { authorization: 'Basic YTpi' };
    default:
      return { authorization: `Bearer ${target.token(auth)}` };
  }
}

/** A URL segment; a lone surrogate has no UTF-8 form, so it goes as U+FFFD as a browser would send it. */
const encodePart = (s: string) =>
  encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const remoteAddressArb = fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `127.0.${a}.${b}`);

/** Bodies no schema describes: wrong media types, broken or poisoned JSON, oversize. */
const oddBodyArb = fc.constantFrom<{ type?: string; payload: string }>(
  { type: 'application/json', payload: '' },
  { type: 'application/json', payload: 'null' },
  { type: 'application/json', payload: '[]' },
  { type: 'application/json', payload: '"text"' },
  { type: 'application/json', payload: '12' },
  { type: 'application/json', payload: '{"a":' },
  { type: 'application/json', payload: '{"__proto__":{"isAdmin":true}}' },
  { type: 'application/json', payload: '{"constructor":{"prototype":{"isAdmin":true}}}' },
  { type: 'application/json; charset=latin1', payload: '{}' },
  { type: 'application/json', payload: '{"title":"\\u0000"}' },
  { type: 'text/plain', payload: '{}' },
  { type: 'application/x-www-form-urlencoded', payload: 'a=1' },
  { type: 'multipart/form-data; boundary=x', payload: '--x--' },
  { type: 'application/xml', payload: '<a/>' },
  { payload: '{}' },
);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A multipart/form-data body of these parts (a part with a filename is a file). */
function multipartPayload(
  parts: { name: string; value: Buffer | string; filename?: string; type?: string }[],
  boundary = 'fuzzboundary',
): { type: string; payload: Buffer } {
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}` : ''}\r\n\r\n`,
    ),
    Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
    Buffer.from('\r\n'),
  ]);
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/**
 * Upload bodies: a file part whose bytes start like a JPEG or a PNG (or like nothing), of
 * any size up to a few KiB, with any declared type and name; a caption of boundary
 * strings; now and then an unknown field, a second file, no file, or a broken body.
 */
const multipartBodyArb: fc.Arbitrary<{ type?: string; payload?: string | Buffer }> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .record({
        head: fc.constantFrom(JPEG_MAGIC, PNG_MAGIC, Buffer.from('GIF89a'), Buffer.alloc(0)),
        tail: fc.uint8Array({ maxLength: 4096 }),
        fieldName: fc.oneof({ weight: 8, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: boundaryString }),
        filename: fc.oneof(fc.constant('photo.jpg'), boundaryString),
        type: fc.constantFrom('image/jpeg', 'image/png', 'text/html', 'application/octet-stream'),
        caption: fc.option(boundaryString),
        extra: fc.option(fc.constantFrom('title', 'file', '__proto__')),
      })
      .map(({ head, tail, fieldName, filename, type, caption, extra }) =>
        multipartPayload([
          ...(caption !== null ? [{ name: 'caption', value: caption }] : []),
          {
            name: fieldName,
            filename: filename.replace(/["\r\n]/g, ''),
            type,
            value: Buffer.concat([head, Buffer.from(tail)]),
          },
          ...(extra !== null ? [{ name: extra, value: 'x', ...(extra === 'file' && { filename: 'b.jpg' }) }] : []),
        ]),
      ),
  },
  { weight: 1, arbitrary: fc.constant(multipartPayload([{ name: 'caption', value: 'no file' }])) },
  { weight: 1, arbitrary: fc.constant({ type: 'multipart/form-data; boundary=x', payload: '--x\r\nbroken' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'multipart/form-data', payload: '--x--' }) },
);

const oversizeBody = fc.constant({ type: 'application/json', payload: `{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}` });

/**
 * A request to `op`. `options.auth` narrows who sends it; `options.fixtures` keeps every path
 * parameter at its fixture (the BOLA property: another actor's resource, well named).
 */
function restRequestArb(
  target: FuzzTarget,
  doc: Json,
  op: Operation,
  options: { auth?: fc.Arbitrary<Auth>; fixtures?: boolean } = {},
): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        options.fixtures
          ? fc.constant(undefined)
          : fc.oneof(
              // undefined: the fixture of that name, or a random uuid when there is none.
              { weight: 4, arbitrary: fc.constant(undefined) },
              { weight: 4, arbitrary: validArb(target, doc, p.schema, p.name) },
              { weight: 1, arbitrary: boundaryString },
            ),
      ]),
    ),
  );
  // A valid query (the required parameters and a few optional ones: filters that go
  // together rarely all appear by chance), then at most one place broken: a boundary
  // value, a tampered cursor, a repeated or an unknown parameter.
  const queryArb = fc
    .tuple(
      fc
        .tuple(
          fc.record(Object.fromEntries(queryParams.map((p) => [p.name, validArb(target, doc, p.schema, p.name)]))),
          fc.subarray(
            queryParams.filter((p) => !p.required).map((p) => p.name),
            { maxLength: Math.min(4, queryParams.filter((p) => !p.required).length) },
          ),
        )
        .map(([all, chosen]) =>
          Object.fromEntries(
            Object.entries(all).filter(([k]) => chosen.includes(k) || queryParams.find((p) => p.name === k)?.required),
          ),
        ),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        {
          weight: 4,
          arbitrary: fc.tuple(
            fc.constantFrom(...queryParams.map((p) => p.name), 'unknown', 'x\u0000', '__proto__'),
            fc.oneof(
              { weight: 4, arbitrary: boundaryQueryValue },
              { weight: 1, arbitrary: tamperedCursorArb(target, doc) },
              { weight: 1, arbitrary: fc.array(boundaryQueryValue, { minLength: 2, maxLength: 3 }) },
            ),
          ),
        },
      ),
    )
    .map(([valid, broken]) => {
      const query: Record<string, unknown> = Object.fromEntries(Object.entries(valid).filter(([, v]) => v !== null));
      if (broken) query[broken[0]] = broken[1];
      return query;
    });
  const bodyArb: fc.Arbitrary<{ type?: string; payload?: string | Buffer }> = op.multipart
    ? fc.oneof({ weight: 12, arbitrary: multipartBodyArb }, { weight: 2, arbitrary: oddBodyArb })
    : op.body
      ? fc.oneof(
          {
            weight: 12,
            arbitrary: fc
              .tuple(validArb(target, doc, op.body, ''), mutationArb)
              .map(([v, m]) => ({ type: 'application/json', payload: JSON.stringify(applyMutation(v, m)) })),
          },
          { weight: 2, arbitrary: oddBodyArb },
          {
            weight: 1,
            arbitrary: fc.oneof({ weight: 9, arbitrary: oddBodyArb }, { weight: 1, arbitrary: oversizeBody }),
          },
        )
      : fc.oneof({ weight: 15, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: oddBodyArb });

  return fc
    .record({
      auth: options.auth ?? authArb(op.secured),
      path: pathArb,
      query: queryArb,
      body: bodyArb,
      remoteAddress: remoteAddressArb,
    })
    .map(({ auth, path, query, body, remoteAddress }) => {
      // A fixture id is read when the request is built, as fixtures change during a run.
      const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        encodePart(String((path[name] as string | undefined) ?? target.fixture(name, op.path) ?? randomUUID())),
      );
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) qs.append(k, typeof one === 'string' ? one : JSON.stringify(one));
      }
      const search = qs.toString();
      const headers: Record<string, string> = { ...authHeader(target, auth) };
      if (body.type) headers['content-type'] = body.type;
      return {
        method: op.method,
        url: search ? `${url}?${search}` : url,
        headers,
        payload: body.payload,
        remoteAddress,
      };
    });
}

/** A cursor the app issued with one element swapped for a boundary value, or a forged one. */
function tamperedCursorArb(target: FuzzTarget, doc: Json): fc.Arbitrary<string> {
  const sorts = findEnum(doc, 'sort');
  return fc
    .tuple(fc.nat(), fc.nat(2), boundaryValue, fc.constantFrom(...sorts), fc.uuid())
    .map(([seed, at, value, sort, id]) => {
      const issued = target.recall('cursor', seed);
      let key: unknown[] = [sort, value, id];
      if (typeof issued === 'string') {
        try {
          const decoded = JSON.parse(Buffer.from(issued, 'base64url').toString('utf8')) as unknown;
          if (Array.isArray(decoded)) {
            key = decoded;
            key[at % key.length] = value;
          }
        } catch {
          // Not a cursor of ours after all; forge one.
        }
      }
      return Buffer.from(JSON.stringify(key)).toString('base64url');
    });
}

function findEnum(doc: Json, param: string): string[] {
  for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
    for (const op of Object.values(item)) {
      for (const p of (op.parameters as Operation['parameters'] | undefined) ?? []) {
        const values = resolveRef(doc, p.schema).enum;
        if (p.name === param && Array.isArray(values)) return values as string[];
      }
    }
  }
  return ['newest'];
}

class Contract {
  private readonly ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'urn:staylane:openapi', components: doc.components }, 'urn:staylane:openapi');
  }

  validator(key: string, schema: Schema): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"urn:staylane:openapi#/components/'),
      ) as Schema;
      v = this.ajv.compile(rewritten);
      this.validators.set(key, v);
    }
    return v;
  }

  /** The `code` values a documented problem answer lists (its `$ref` to a shared answer followed). */
  problemCodes(response: Json | undefined): string[] | undefined {
    const ref = response?.$ref;
    const shared = (this.doc.components as { responses?: Record<string, Json> } | undefined)?.responses;
    const resolved = typeof ref === 'string' ? shared?.[ref.split('/').pop()!] : response;
    const media = (resolved?.content as Record<string, { schema?: { allOf?: Json[] } }> | undefined)?.[
      'application/problem+json'
    ];
    const code = (media?.schema?.allOf?.[1]?.properties as Json | undefined)?.code as { enum?: string[] } | undefined;
    return code?.enum;
  }

  /** Why the answer breaks the contract, or undefined. */
  checkRest(
    op: Operation | undefined,
    req: FuzzRequest,
    res: LightMyRequestResponse,
    report: FuzzReport,
  ): string | undefined {
    const status = res.statusCode;
    if (status >= 500) return `answered ${status}: ${res.body.slice(0, 300)}`;
    const type = String(res.headers['content-type'] ?? '');
    if (status >= 400) {
      if (req.method === 'HEAD') return undefined;
      if (!type.startsWith('application/problem+json')) return `${status} is ${type || 'untyped'}, not problem+json`;
      const problem = res.json<Json>();
      const problemCheck = this.validator('Problem', { $ref: '#/components/schemas/Problem' });
      if (!problemCheck(problem)) return `${status} problem does not match Problem: ${errorsText(problemCheck.errors)}`;
      if (problem.status !== status) return `problem.status ${String(problem.status)} differs from ${status}`;
      if (op && !op.responses[String(status)]) report.undocumented.add(`${op.method} ${op.path} ${status}`);
      // The code must be one the answer lists (`code` is an enum in each problem answer).
      const codes = op && this.problemCodes(op.responses[String(status)]);
      if (op && codes && !codes.includes(String(problem.code))) {
        report.undocumented.add(`${op.method} ${op.path} ${status} ${String(problem.code)}`);
      }
      return undefined;
    }
    if (!op) return undefined;
    const documented = op.responses[String(status)];
    if (!documented) return `${status} is not a documented answer`;
    if (status === 204 || status === 304) return res.body === '' ? undefined : `${status} with a body`;
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) return res.body === '' ? undefined : `${status} with an undocumented body`;
    const media = Object.keys(content).find((m) => type.startsWith(m));
    if (!media) return `${status} is ${type || 'untyped'}, documented as ${Object.keys(content).join(', ')}`;
    const schema = content[media]?.schema;
    if (!schema || media !== 'application/json') return undefined;
    const check = this.validator(`${op.method} ${op.path} ${status}`, schema);
    const body = res.json<unknown>();
    return check(body) ? undefined : `${status} body does not match its schema: ${errorsText(check.errors)}`;
  }
}

const errorsText = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('; ');

// ---------------------------------------------------------------------------------------
// GraphQL

interface GraphqlCase {
  body: Json;
  auth: Auth;
  remoteAddress: string;
}

/**
 * A valid value of a GraphQL input type. Scalars take the OpenAPI schema of a REST field
 * of the same name when there is one (`checkIn` is a date, `currency` a code…), so
 * GraphQL inputs are as well-formed as REST ones before a mutation breaks one place.
 */
function gqlValidArb(
  target: FuzzTarget,
  doc: Json,
  restFields: Map<string, Schema>,
  type: GraphQLInputType,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return gqlValidArb(target, doc, restFields, type.ofType, name, depth);
  if (isListType(type)) {
    return fc.array(gqlValidArb(target, doc, restFields, type.ofType, name, depth + 1), {
      maxLength: 3,
    });
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    if (depth > 4) return fc.constant({});
    const fields = Object.values(type.getFields());
    return fc.record(
      Object.fromEntries(fields.map((f) => [f.name, gqlValidArb(target, doc, restFields, f.type, f.name, depth + 1)])),
      { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) },
    );
  }
  const scalar = getNamedType(type).name;
  const rest = restFields.get(name);
  if (rest && scalar !== 'Boolean') return validArb(target, doc, rest, name);
  const remembered = (a: fc.Arbitrary<unknown>) =>
    fc.tuple(fc.nat(), fc.boolean(), a).map(([seed, recall, v]) => (recall ? (target.recall(name, seed) ?? v) : v));
  switch (scalar) {
    case 'Int':
      return remembered(fc.integer({ min: 0, max: 100 }));
    case 'Float':
      return remembered(fc.double({ min: -90, max: 90, noNaN: true }));
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return remembered(fc.uuid());
    default:
      return remembered(fc.string({ maxLength: 30 }));
  }
}

/** Every named field of the REST document (component properties and parameters) with its schema. */
function restFieldSchemas(doc: Json): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, Schema>;
  // Input schemas first: they carry the bounds (`…Input`), outputs only the types.
  const ordered = Object.entries(schemas).sort(([a], [b]) => Number(!/Input/.test(a)) - Number(!/Input/.test(b)));
  const stack: Schema[] = ordered.map(([, s]) => s);
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (const [k, v] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
      const resolved = resolveRef(doc, v);
      if (isContainer(resolved)) stack.push(resolved);
      else if (!out.has(k)) out.set(k, v);
    }
  }
  for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
    for (const op of Object.values(item)) {
      for (const p of (op.parameters as Operation['parameters'] | undefined) ?? []) {
        if (!out.has(p.name)) out.set(p.name, p.schema);
      }
    }
  }
  return out;
}

/** Every leaf of an output type to a small depth, so resolvers and loaders all run. */
function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named) || depth >= 4) return '{ __typename }';
  if (!isObjectType(named)) return '';
  const fields = Object.values(named.getFields())
    .filter((f) => f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => `${f.name} ${selection(f.type, depth + 1)}`.trim());
  return `{ __typename ${fields.join(' ')} }`;
}

/** A GraphQL literal for `value` as type `type` (enums bare, object keys unquoted). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const named = type && getNamedType(type);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    return named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) ? value : JSON.stringify(value);
  }
  const inner = type && (isNonNullType(type) ? type.ofType : type);
  if (Array.isArray(value)) {
    const item = inner && isListType(inner) ? inner.ofType : undefined;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  const entries = Object.entries(value as Json).filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k));
  return `{ ${entries.map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`).join(', ')} }`;
}

function gqlFieldArb(
  target: FuzzTarget,
  doc: Json,
  restFields: Map<string, Schema>,
  operation: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
): fc.Arbitrary<GraphqlCase> {
  const args = field.args;
  const argsArb = fc.record(
    Object.fromEntries(args.map((a) => [a.name, gqlValidArb(target, doc, restFields, a.type, a.name, 0)])),
    { requiredKeys: args.filter((a) => isNonNullType(a.type)).map((a) => a.name) },
  );
  return fc
    .record({
      values: fc.tuple(argsArb, mutationArb).map(([v, m]): Json => {
        const mutated = applyMutation(v, m);
        return mutated && typeof mutated === 'object' && !Array.isArray(mutated) ? (mutated as Json) : {};
      }),
      asVariables: fc.array(fc.boolean(), { minLength: args.length, maxLength: args.length }),
      auth: authArb(true),
      remoteAddress: remoteAddressArb,
    })
    .map(({ values, asVariables, auth, remoteAddress }) => {
      const defs: string[] = [];
      const passed: string[] = [];
      const variables: Json = {};
      args.forEach((a, i) => {
        if (!(a.name in values)) return;
        const value = values[a.name];
        if (asVariables[i]) {
          defs.push(`$${a.name}: ${String(a.type)}`);
          passed.push(`${a.name}: $${a.name}`);
          variables[a.name] = value;
        } else {
          passed.push(`${a.name}: ${literal(value, a.type)}`);
        }
      });
      const head = defs.length ? `${operation} Fuzz(${defs.join(', ')})` : operation;
      const call = passed.length ? `${field.name}(${passed.join(', ')})` : field.name;
      return { body: { query: `${head} { ${call} ${selection(field.type)} }`, variables }, auth, remoteAddress };
    });
}

/** The codes of a 403 that every route may answer whoever asks, saying nothing about the resource. */
const CALLER_FORBIDDEN = new Set(['ip_blocked', 'account_suspended']);

/**
 * Why an answer to an actor other than its owner about an OWNED fixture breaks object-level
 * authorization (see OWNED), or undefined; counts each such request.
 */
function checkBola(
  target: FuzzTarget,
  op: Operation,
  req: FuzzRequest,
  res: LightMyRequestResponse,
): string | undefined {
  const owned = ownedAt(op.path);
  const id = owned && target.fixture(owned.param, op.path);
  if (!owned || !id || !new URL(req.url, 'http://x').pathname.split('/').includes(id)) return undefined;
  if (req.headers.authorization === `Bearer ${target.token(owned.owner)}`) return undefined;
  target.report.bolaProbes++;
  const status = res.statusCode;
  const code = status >= 400 ? res.json<{ code?: string }>().code : undefined;
  if (status < 300 || status === 409 || (status === 403 && !CALLER_FORBIDDEN.has(String(code)))) {
    return `another actor's ${owned.what} (${owned.owner}'s) answered ${status}${code ? ` ${code}` : ''}`;
  }
  return undefined;
}

/** Why a GraphQL answer hands an OWNED fixture to an actor other than its owner, or undefined. */
function checkGraphqlBola(
  target: FuzzTarget,
  field: string,
  c: GraphqlCase,
  res: LightMyRequestResponse,
): string | undefined {
  const { auth } = c;
  for (const owned of OWNED) {
    const id = target.fixture(owned.fixture);
    if (!id || auth === owned.owner || (owned.via as readonly string[]).includes(field)) continue;
    let body: unknown;
    try {
      body = res.json();
    } catch {
      return undefined;
    }
    if (JSON.stringify(c.body).includes(id)) target.report.bolaProbes++;
    const stack: unknown[] = [(body as { data?: unknown }).data];
    for (let seen = 0; stack.length > 0 && seen < 5000; seen++) {
      const v = stack.pop();
      if (Array.isArray(v)) stack.push(...(v as unknown[]));
      else if (v && typeof v === 'object') {
        const node = v as Record<string, unknown>;
        if (node.__typename === owned.typename && node.id === id) {
          return `${field} handed the ${owned.owner}'s ${owned.what} to ${auth}`;
        }
        stack.push(...Object.values(node));
      }
    }
  }
  return undefined;
}

function checkGraphql(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode >= 500) return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`;
  let body: { errors?: { message?: string; extensions?: { code?: unknown } }[] };
  try {
    body = res.json();
  } catch {
    return `${res.statusCode} is not JSON: ${res.body.slice(0, 200)}`;
  }
  for (const e of body.errors ?? []) {
    if (typeof e.extensions?.code !== 'string')
      return `error without extensions.code: ${JSON.stringify(e).slice(0, 300)}`;
    if (e.extensions.code === 'INTERNAL_SERVER_ERROR')
      return `INTERNAL_SERVER_ERROR: ${JSON.stringify(e).slice(0, 300)}`;
  }
  return undefined;
}

/** Requests to /graphql that are wrong as HTTP rather than as GraphQL. */
const graphqlTransportArb: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST'),
    type: fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/graphql',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    payload: fc.constantFrom(
      '{"query":"{ __typename }"}',
      '{"query":"{ properties { edges { cursor } } }","__proto__":{"x":1}}',
      '{"query":"query($f: PropertyFilter) { properties(filter: $f) { edges { cursor } } }","variables":{"f":{"__proto__":{"q":"x"}}}}',
      '{"query":"{ me { id } }","constructor":{"prototype":{"x":1}}}',
      '[{"query":"{ __typename }"},{"query":"{ me { id } }"}]',
      '{"query":"{ __typename }","variables":[]}',
      '{"query":"{ __typename }","variables":"{}"}',
      '{"query":12}',
      '{}',
      '{"variables":{"a":1}}',
      '{"query":"{"}',
      '{"query":"\\u0000"}',
      '{"query":"mutation { becomeHost { id } }","operationName":"\\u0000"}',
      '{"a":',
      'null',
      '',
      '{ __typename }',
      'query=%7B__typename%7D',
    ),
    query: fc.constantFrom(
      'query=%7B__typename%7D',
      'query=mutation%20%7B%20becomeHost%20%7B%20id%20%7D%20%7D',
      'query=%7B__typename%7D&variables=%7B%22a%22',
      'query=%7B__typename%7D&variables=%7B%22__proto__%22%3A1%7D',
      'query=%7B__typename%7D&extensions=x',
      'query=%00',
      '',
    ),
    remoteAddress: remoteAddressArb,
  })
  .map(({ method, type, payload, query, remoteAddress }): FuzzRequest =>
    method === 'GET'
      ? { method, url: `/graphql?${query}`, headers: {}, remoteAddress }
      : { method, url: '/graphql', headers: type ? { 'content-type': type } : {}, payload, remoteAddress },
  );

// ---------------------------------------------------------------------------------------
// Driver

/** Runs one fast-check property; a failure is recorded with its shrunk counterexample. */
async function property<T>(
  target: FuzzTarget,
  name: string,
  arb: fc.Arbitrary<T>,
  runs: number,
  seed: number | undefined,
  check: (value: T) => Promise<string | undefined>,
): Promise<void> {
  target.report.targets++;
  target.current = name;
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      const why = await check(value);
      if (why) throw new Error(why);
    }),
    { numRuns: runs, seed },
  );
  if (!details.failed) return;
  const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const example = JSON.stringify(details.counterexample, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v,
  );
  target.report.failures.push(
    `${name}: ${why}\n  request: ${example}\n  replay: FUZZ_SEED=${details.seed} (path ${details.counterexamplePath ?? '-'})`,
  );
}

export interface FuzzOptions {
  /** Total requests to generate, spread over every operation, field and transport case. */
  requests: number;
  seed?: number;
}

export async function fuzzContract(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const doc = target.app.swagger() as unknown as Json;
  const contract = new Contract(doc);
  const operations = operationsOf(doc).filter((op) => !STATIC_PREFIXES.some((p) => op.path.startsWith(p)));
  const schema = target.app.graphql.schema;
  // Subscriptions run on the WebSocket (socket.ts); over HTTP each must be a 400 with a code.
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  const fields = roots.flatMap(([kind, type]) =>
    type ? Object.values(type.getFields()).map((f) => [kind, f] as const) : [],
  );
  const owned = operations.filter((op) => ownedAt(op.path));
  const targets = operations.length + owned.length + fields.length + 3;
  const runs = Math.max(1, Math.ceil(options.requests / targets));

  for (const op of operations) {
    await property(
      target,
      `${op.method} ${op.path}`,
      restRequestArb(target, doc, op),
      runs,
      options.seed,
      async (req) => {
        const res = await target.send(req);
        return contract.checkRest(op, req, res, target.report) ?? checkBola(target, op, req, res);
      },
    );
  }

  // Object-level authorization: each route of an OWNED resource, its fixture named in the
  // path, sent by every other signed-in actor (the random runs above mix these in too).
  for (const op of owned) {
    const { owner } = ownedAt(op.path)!;
    const others = (['guest', 'host', 'admin'] as const).filter((a) => a !== owner);
    await property(
      target,
      `BOLA ${op.method} ${op.path}`,
      restRequestArb(target, doc, op, { auth: fc.constantFrom<Auth>(...others), fixtures: true }),
      runs,
      options.seed,
      async (req) => {
        const res = await target.send(req);
        return contract.checkRest(op, req, res, target.report) ?? checkBola(target, op, req, res);
      },
    );
  }

  await property(target, 'wrong methods and unknown routes', strayArb(operations), runs, options.seed, async (req) =>
    contract.checkRest(undefined, req, await target.send(req), target.report),
  );

  // Swagger UI and GraphiQL serve files: their bodies are not fuzzed, but no path under
  // them may fail.
  await property(target, 'static routes', staticArb, runs, options.seed, async (req) => {
    const res = await target.send(req);
    return res.statusCode >= 500 ? `answered ${res.statusCode}` : undefined;
  });

  const restFields = restFieldSchemas(doc);
  for (const [kind, field] of fields) {
    await property(
      target,
      `GraphQL ${kind} ${field.name}`,
      gqlFieldArb(target, doc, restFields, kind, field),
      runs,
      options.seed,
      async (c) => {
        const res = await target.send({
          method: 'POST',
          url: '/graphql',
          headers: { 'content-type': 'application/json', ...authHeader(target, c.auth) },
          payload: JSON.stringify(c.body),
          remoteAddress: c.remoteAddress,
        });
        const why = checkGraphql(res) ?? checkGraphqlBola(target, field.name, c, res);
        if (why || kind !== 'subscription') return why;
        return res.statusCode === 400 ? undefined : `a subscription over HTTP answered ${res.statusCode}, not 400`;
      },
    );
  }

  await property(target, 'GraphQL transport', graphqlTransportArb, runs, options.seed, async (req) =>
    checkGraphql(await target.send(req)),
  );

  target.report.elapsedMs += performance.now() - started;
  return target.report;
}

function strayArb(operations: Operation[]): fc.Arbitrary<FuzzRequest> {
  const paths = [...new Set(operations.map((o) => o.path))];
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      path: fc.constantFrom(...paths, '/v1', '/v2/properties', '/v1/properties/', '//v1//me', '/%00', '/v1/%2e%2e/me'),
      suffix: fc.constantFrom('', '', '/extra', '%00', '?a=%00', '/%E0%A4%A', '/%zz', `/${'y'.repeat(150)}`),
      remoteAddress: remoteAddressArb,
    })
    .filter(({ method, path }) => !operations.some((o) => o.method === method && o.path === path))
    .map(({ method, path, suffix, remoteAddress }) => ({
      method,
      url: path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000') + suffix,
      headers: {},
      remoteAddress,
    }));
}

const staticArb: fc.Arbitrary<FuzzRequest> = fc
  .record({
    prefix: fc.constantFrom(...STATIC_PREFIXES, '/openapi.json'),
    rest: fc.oneof(
      fc.constantFrom(
        '',
        '/',
        '/json',
        '/yaml',
        '/static/index.html',
        '/static/../../package.json',
        '/main.js',
        '/%00',
      ),
      fc.string({ maxLength: 30 }).map((s) => `/${encodePart(s)}`),
      boundaryString.map((s) => `/${encodePart(s.slice(0, 200))}`),
    ),
    remoteAddress: remoteAddressArb,
  })
  .map(({ prefix, rest, remoteAddress }) => ({ method: 'GET', url: prefix + rest, headers: {}, remoteAddress }));

export function summaryLine(report: FuzzReport): string {
  const statuses = [...report.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const rate = Math.round(report.requests / Math.max(report.elapsedMs / 1000, 0.001));
  return `contract fuzz: ${report.requests} requests over ${report.targets} targets in ${seconds} s (${rate}/s); statuses ${statuses}; ${report.bolaProbes} BOLA probes; failures ${report.failures.length}`;
}

/** One line per target with its statuses. */
export function targetLines(report: FuzzReport): string[] {
  return [...report.byTarget.entries()].map(
    ([name, counts]) =>
      `  ${name}: ${[...counts.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
  );
}
