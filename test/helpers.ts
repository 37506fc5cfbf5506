import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject as provided } from 'vitest';
import { buildApp, type BuildAppOptions } from '../src/composition/app.js';
import { loadConfig } from '../src/composition/config.js';
import { createContainer, type Container } from '../src/composition/container.js';
import type { Clock } from '../src/platform/clock.js';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { createJobRunner } from '../src/platform/jobs/index.js';
import type { Db } from '../src/platform/db/types.js';
import type { SQL } from 'drizzle-orm';
import { withDatabase } from '#test/global-setup.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** A fresh, migrated database of its own: a PGlite copy of the template, or a PostgreSQL clone. */
export async function createTestDatabase(onQuery?: (sql: string) => void): Promise<Database> {
  if (process.env.TEST_DATABASE_URL) {
    return openDatabase({ kind: 'postgres', url: await createTestDatabaseUrl(), onQuery });
  }
  const dump = await readFile(provided('pgliteDump'));
  return openDatabase({ kind: 'pglite', loadDataDir: new Blob([dump]), onQuery });
}

/** A fresh, migrated PostgreSQL database (TEST_DATABASE_URL's server) for other processes to open. */
export async function createTestDatabaseUrl(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('createTestDatabaseUrl needs TEST_DATABASE_URL');
  const name = `${provided('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${provided('pgTemplate')}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(url, name);
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // Production mode requires one; the sandbox signs and checks its webhooks with it.
    PAYMENT_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
    // The embedded database can hold the loop for a second on a busy machine; the load-shedding test turns it on.
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  close(): Promise<void>;
}

/** buildApp() over a database of its own, with Redis when TEST_REDIS_URL is set. */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    database?: Database;
    onQuery?: (sql: string) => void;
    /** A time source the test controls (holds expiring, stays beginning). */
    clock?: Clock;
    /** Fastify's logger option (default: no logging). */
    logger?: BuildAppOptions['logger'];
    socketLimits?: BuildAppOptions['socketLimits'];
    /** Another instance of the same deployment shares its Redis keys and live channels. */
    redisPrefix?: string;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-data-'));
  const config = loadConfig(testEnv({ DATA_DIR: dataDir, ...options.env }));
  const database = options.database ?? (await createTestDatabase(options.onQuery));
  const container = await createContainer(config, {
    database,
    clock: options.clock,
    redisPrefix: options.redisPrefix ?? `test:${randomUUID()}:`,
  });
  const app = await buildApp(container, { logger: options.logger ?? false, socketLimits: options.socketLimits });
  await app.ready();
  return {
    app,
    container,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/**
 * One app for the test file: created before its tests (before the file's own `beforeAll`
 * hooks registered after this call) and closed after them. Returns a getter, since the app
 * exists only once the hook has run.
 */
export function useTestApp(options: Parameters<typeof createTestApp>[0] = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useTestApp(): the app exists once beforeAll has run');
    return current;
  };
}

/** The rows of a raw SQL query (both drivers answer `{ rows }`), for tests that look into tables. */
export async function rowsOf<R>(db: Db, query: SQL): Promise<R[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: R[] }).rows;
}

/** Runs every outbox job due now (the app's clock) to completion, as the embedded worker would. */
export async function runDueJobs(t: TestApp): Promise<{ done: number; retried: number; dead: number }> {
  const { database, jobs, clock } = t.container;
  return createJobRunner({ db: database.db, registry: jobs.registry, clock }).drainDue();
}

/** A clock running from now that a test moves by `offsetMs`; back to now after each test. */
export function movableClock(): { offsetMs: number; now(): Date } {
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  afterEach(() => {
    clock.offsetMs = 0;
  });
  return clock;
}

let counter = 0;
export const uniqueEmail = (tag = 'user') =>
  `${tag}-${Date.now().toString(36)}-${++counter}-${randomBytes(2).toString('hex')}@example.com`;

export const PASSWORD = 'correct horse battery';

export interface Session {
  user: { id: string; email: string; role: string };
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export async function register(app: FastifyInstance, body: Record<string, unknown> = {}): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email: uniqueEmail(), password: PASSWORD, firstName: 'Test', lastName: 'User', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return toSession(res);
}

/** Creates an admin through the same service the CLI uses, then signs it in. */
export async function registerAdmin(t: TestApp): Promise<Session> {
  const email = uniqueEmail('admin');
  await t.container.services.users.createAdmin({ email, password: PASSWORD });
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`admin login failed: ${res.statusCode} ${res.body}`);
  return toSession(res);
}

export function toSession(res: LightMyRequestResponse): Session {
  const body = res.json<{ user: Session['user']; accessToken: string; refreshToken: string }>();
  return { ...body, auth: { authorization: `Bearer ${body.accessToken}` } };
}

export async function graphql(
  app: FastifyInstance,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers });
  return {
    status: res.statusCode,
    body: res.json<{
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string; reason?: string; errors?: unknown[] } }[];
    }>(),
  };
}
