import { eq, sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movableClock, register, rowsOf, type Session, useTestApp } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createJobRunner, createScheduler, jobs } from '../../../platform/jobs/index.js';

// The scheduled jobs, run the way `serve` runs them: scheduler tick → outbox rows → runner.

const clock = movableClock();
const testApp = useTestApp({ clock });
let host: Session;
let guest: Session;

beforeAll(async () => {
  [host, guest] = await Promise.all([register(testApp().app, { role: 'host' }), register(testApp().app)]);
});

const minutes = (n: number) => n * 60_000;
const queryRows = <R>(query: SQL) => rowsOf<R>(testApp().container.database.db, query);

describe('scheduled jobs', () => {
  it('has one definition per scheduled kind', () => {
    const { registry, schedules } = testApp().container.jobs;
    expect(schedules.map((s) => s.kind).sort()).toEqual([
      'bookings.expire-holds',
      'bookings.expire-requests',
      'http.purge-idempotency-keys',
      'ical.sync-due',
      'jobs.purge-finished',
      'ledger.run-payouts',
      'mail.check-in-doubt',
      'notifications.host-digests',
      'payments.retry-refunds',
      'reviews.publish-overdue',
      'security.flag-suspicious-ips',
      'users.purge-refresh-tokens',
      'webhooks.purge',
      'webhooks.sequence',
    ]);
    for (const s of schedules) expect(registry.get(s.kind)).toBeDefined();
  });

  it('the hold-expiry sweep expires an overdue hold and frees its dates', async () => {
    const { app, container } = testApp();
    const db = container.database.db;
    const p = await createProperty(app, host);
    const booking = await container.services.bookings.createBooking(
      { propertyId: p.id, checkIn: inDays(10), checkOut: inDays(12), guests: 1 },
      { actor: { id: guest.user.id, role: 'guest' } },
    );
    const scheduler = createScheduler({ db, schedules: container.jobs.schedules, clock });
    const runner = createJobRunner({ db, registry: container.jobs.registry, clock });
    await runner.drainDue(); // what registering queued (the verification e-mails)
    clock.offsetMs = minutes(16);
    const ticks = container.jobs.schedules.length;
    expect(await scheduler.tick()).toBe(ticks); // one job per schedule
    const result = await runner.drainDue();
    expect(result).toEqual({ done: ticks, retried: 0, dead: 0 });

    const rows = await db.select().from(jobs).where(eq(jobs.kind, 'bookings.expire-holds'));
    expect(rows).toMatchObject([{ state: 'done', attempts: 1 }]);
    const [after] = await queryRows<{ status: string }>(sql`select status from bookings where id = ${booking.id}`);
    expect(after?.status).toBe('expired');
    const held = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from property_calendar where ref_id = ${booking.id} and released_at is null`,
    );
    expect(held[0]?.n).toBe(0);
  });

  it('the refresh-token purge deletes expired tokens only', async () => {
    const { container } = testApp();
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          sql`select count(*)::int as n from refresh_tokens where user_id = ${guest.user.id}`,
        )
      )[0]!.n;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    clock.offsetMs = minutes(60);
    await container.services.users.purgeExpiredRefreshTokens();
    expect(await count()).toBe(before);
    clock.offsetMs = 31 * 24 * minutes(60);
    expect(await container.services.users.purgeExpiredRefreshTokens(1)).toBeGreaterThanOrEqual(before);
    expect(await count()).toBe(0);
  });
});
