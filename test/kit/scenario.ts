import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Booking } from '../../src/modules/bookings/index.js';
import type { Payment } from '../../src/modules/payments/index.js';
import { sandboxPaymentSucceeded } from '#test/factories/payments.js';
import { startSmtpFake, type SmtpFake } from '#test/fakes/smtp-fake.js';
import { createTestApp, movableClock, rowsOf, runDueJobs, type Session, type TestApp } from '#test/helpers.js';

/** The sandbox provider's webhook secret the scenario apps run with. */
export const SANDBOX_SECRET = 'sandbox-webhook-secret-0123456789';
/** The public address the scenario apps put in their e-mail links. */
export const PUBLIC_URL = 'https://stays.example.com';

export type JobRun = Awaited<ReturnType<typeof runDueJobs>>;

/**
 * A test app whose clock the test moves, sending its e-mail to a real SMTP server
 * (`smtp`) that records what it receives. Background work runs only when the test
 * asks: `runJobs()` runs every job due at the clock's time, as the worker would.
 */
export interface TimeTravel extends TestApp {
  /** Now plus `offsetMs`; the offset goes back to 0 after each test. */
  readonly clock: { offsetMs: number; now(): Date };
  readonly smtp: SmtpFake;
  /** Runs every job due now (the clock's time) to completion. */
  runJobs(): Promise<JobRun>;
  /** Moves the clock to `at`, then runs every job due by then. */
  travelTo(at: Date | string): Promise<JobRun>;
  /** Moves the clock `ms` further, then runs every job due by then. */
  advance(ms: number): Promise<JobRun>;
}

/**
 * One time-travelling app for the file (or the `describe` it is called in): the SMTP
 * server and the app start before the tests and the hooks registered after this call,
 * and stop after them. `env` adds to the test environment (SMTP_URL, PUBLIC_URL and the
 * sandbox webhook secret are set); a function is read when the app starts, after the
 * `beforeAll` hooks registered before this call.
 */
export function useTimeTravel(
  options: { env?: Record<string, string> | (() => Record<string, string>) } = {},
): TimeTravel {
  const clock = movableClock();
  let app: TestApp | undefined;
  let smtp: SmtpFake | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTimeTravel(): ${what} exists once beforeAll has run`);
    return value;
  };
  beforeAll(async () => {
    smtp = await startSmtpFake();
    const env = typeof options.env === 'function' ? options.env() : options.env;
    app = await createTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_URL, PAYMENT_WEBHOOK_SECRET: SANDBOX_SECRET, ...env },
      clock,
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });
  const travel: TimeTravel = {
    clock,
    get app() {
      return started(app, 'the app').app;
    },
    get container() {
      return started(app, 'the app').container;
    },
    get smtp() {
      return started(smtp, 'the SMTP server');
    },
    close: () => started(app, 'the app').close(),
    runJobs: () => runDueJobs(travel),
    travelTo(at) {
      clock.offsetMs = new Date(at).getTime() - Date.now();
      return runDueJobs(travel);
    },
    advance(ms) {
      clock.offsetMs += ms;
      return runDueJobs(travel);
    },
  };
  return travel;
}

export interface StayRequest {
  propertyId: string;
  checkIn: string;
  checkOut: string;
  guests?: number;
  /** Default: a key of its own. */
  idempotencyKey?: string;
}

/** POST /v1/bookings as `guest`; the booking it answers with (a 201, else the test fails). */
export async function bookStay(app: FastifyInstance, guest: Session, stay: StayRequest): Promise<Booking> {
  const { idempotencyKey = `k-${stay.propertyId}-${Math.random()}`, guests = 1, ...dates } = stay;
  const res = await app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: { ...guest.auth, 'idempotency-key': idempotencyKey },
    payload: { ...dates, guests },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Booking>();
}

/**
 * Opens the sandbox checkout of `bookingId` as `guest` and, unless `succeed` is false, has
 * the provider's signed webhook say the payment succeeded (the app must run with `secret`).
 */
export async function payBooking(
  app: FastifyInstance,
  guest: Session,
  bookingId: string,
  options: { succeed?: boolean; secret?: string } = {},
): Promise<Payment> {
  const res = await app.inject({ method: 'POST', url: `/v1/bookings/${bookingId}/payments`, headers: guest.auth });
  expect(res.statusCode, res.body).toBe(201);
  const payment = res.json<Payment>();
  if (options.succeed !== false) await paymentSucceeds(app, payment, options.secret);
  return payment;
}

/** The sandbox provider's signed webhook saying `payment` succeeded. */
export function paymentSucceeds(
  app: FastifyInstance,
  payment: Pick<Payment, 'providerReference'>,
  secret = SANDBOX_SECRET,
): Promise<void> {
  return sandboxPaymentSucceeded(app, secret, payment.providerReference);
}

/** A row of the delivery log (`mail_deliveries`): one per e-mail key ever claimed. */
export interface DeliveryRow {
  dedupe_key: string;
  recipient: string;
  subject: string;
  state: 'sending' | 'sent' | 'failed';
  sent_at: Date | string | null;
}

/**
 * The delivery log's rows for `recipient` (oldest first), those whose subject matches
 * `subject` when given: what the app sent or tried to send, whatever the SMTP server saw.
 */
export async function deliveriesTo(t: TestApp, recipient: string, subject?: RegExp): Promise<DeliveryRow[]> {
  const rows = await rowsOf<DeliveryRow>(
    t.container.database.db,
    sql`select dedupe_key, recipient, subject, state, sent_at from mail_deliveries
        where recipient = ${recipient} order by created_at, dedupe_key`,
  );
  return subject ? rows.filter((r) => subject.test(r.subject)) : rows;
}

/** The delivery log's row for one e-mail key, if that key was ever claimed. */
export async function deliveryOf(t: TestApp, dedupeKey: string): Promise<DeliveryRow | undefined> {
  const rows = await rowsOf<DeliveryRow>(
    t.container.database.db,
    sql`select dedupe_key, recipient, subject, state, sent_at from mail_deliveries where dedupe_key = ${dedupeKey}`,
  );
  return rows[0];
}

/** A row of the outbox (`jobs`). */
export interface JobRow {
  kind: string;
  state: 'pending' | 'relayed' | 'done' | 'dead';
  dedupe_key: string | null;
  attempts: number;
  run_at: Date | string;
}

/** The outbox's jobs of `kind` (oldest first), those whose payload has `payload`'s fields when given. */
export async function jobsOf(t: TestApp, kind: string, payload: Record<string, string> = {}): Promise<JobRow[]> {
  return rowsOf<JobRow>(
    t.container.database.db,
    sql`select kind, state, dedupe_key, attempts, run_at from jobs
        where kind = ${kind} and payload @> ${JSON.stringify(payload)}::jsonb order by created_at, id`,
  );
}

/** The outbox's job with this de-duplication key, if there is one. */
export async function jobByKey(t: TestApp, dedupeKey: string): Promise<JobRow | undefined> {
  const rows = await rowsOf<JobRow>(
    t.container.database.db,
    sql`select kind, state, dedupe_key, attempts, run_at from jobs where dedupe_key = ${dedupeKey}`,
  );
  return rows[0];
}

/** Jobs due at the app's clock and not finished: none once `runJobs()` has run them all. */
export async function jobsStillDue(t: TestApp): Promise<JobRow[]> {
  const now = t.container.clock.now();
  return rowsOf<JobRow>(
    t.container.database.db,
    sql`select kind, state, dedupe_key, attempts, run_at from jobs
        where state in ('pending', 'relayed') and run_at <= ${now.toISOString()}::timestamptz`,
  );
}
