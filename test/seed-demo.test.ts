import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeedLogins, formatSeedSummary, seedDatabase, type SeedSummary } from '../src/composition/seed.js';
import { bookingsModule } from '../src/modules/bookings/index.js';
import { messagesModule } from '../src/modules/messages/index.js';
import { propertiesModule } from '../src/modules/properties/index.js';
import { reviewsModule } from '../src/modules/reviews/index.js';
import { SEED_PASSWORD, usersModule } from '../src/modules/users/index.js';
import { passwordWeakness } from '../src/platform/auth/password-strength.js';
import { createTestApp, type TestApp } from '#test/helpers.js';

/**
 * The `seed` command's demo marketplace: stays of every kind, reviews with responses,
 * conversations, an admin, and printed accounts that sign in.
 */

const { bookings } = bookingsModule.tables;
const { reviews } = reviewsModule.tables;
const { conversations, messages } = messagesModule.tables;
const { properties } = propertiesModule.tables;
const { users } = usersModule.tables;

let t: TestApp;
let summary: SeedSummary;

beforeAll(async () => {
  t = await createTestApp();
  summary = await seedDatabase(t.container.database.db, {
    counts: { users: 40, properties: 60 },
    seed: 11,
    demo: true,
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const db = () => t.container.database.db;

async function login(email: string, password: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ accessToken: string; user: { id: string; role: string } }>();
  return { user: body.user, auth: { authorization: `Bearer ${body.accessToken}` } };
}

describe('seed (demo)', () => {
  it('prints a guest, a host and an admin whose published password signs in', async () => {
    const { logins } = summary;
    expect(logins).toBeDefined();
    expect(logins!.password).toBe(SEED_PASSWORD);
    expect(passwordWeakness(SEED_PASSWORD)).toBeUndefined();
    const printed = formatSeedLogins(summary)!;
    for (const line of [logins!.guest, logins!.host, logins!.admin, SEED_PASSWORD]) expect(printed).toContain(line);
    expect(formatSeedSummary(summary)).toMatch(/reviews \(\d+ answered\), \d+ conversations \(\d+ messages\)/);

    const admin = await login(logins!.admin, logins!.password);
    expect(admin.user.role).toBe('admin');
    const list = await t.app.inject({ url: '/v1/admin/users?limit=5', headers: admin.auth });
    expect(list.statusCode).toBe(200);
    const host = await login(logins!.host, logins!.password);
    expect(host.user.role).toBe('host');
    const hostBookings = await t.app.inject({ url: '/v1/bookings?as=host&limit=5', headers: host.auth });
    expect(hostBookings.json<{ data: unknown[] }>().data.length).toBeGreaterThan(0);

    // The guest's own trips, over the API: past, upcoming and canceled ones.
    const guest = await login(logins!.guest, logins!.password);
    const trips = await t.app.inject({ url: '/v1/bookings?limit=100', headers: guest.auth });
    const statuses = new Set(trips.json<{ data: { status: string }[] }>().data.map((b) => b.status));
    for (const status of ['completed', 'confirmed', 'canceled']) expect(statuses).toContain(status);
    const threads = await t.app.inject({ url: '/v1/conversations', headers: guest.auth });
    expect(threads.json<{ data: unknown[] }>().data.length).toBeGreaterThan(0);
  });

  it('writes past and future stays, reviews of completed ones and host responses', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = await db().select().from(bookings);
    expect(rows.length).toBe(summary.counts.bookings);
    expect(rows.some((b) => b.status === 'completed' && b.checkOut <= today)).toBe(true);
    expect(rows.some((b) => b.status === 'confirmed' && b.checkIn > today)).toBe(true);
    expect(rows.some((b) => b.status === 'canceled')).toBe(true);

    const written = await db()
      .select({ review: reviews, booking: bookings })
      .from(reviews)
      .innerJoin(bookings, eq(bookings.id, reviews.bookingId));
    expect(written.length).toBe(summary.counts.reviews);
    expect(written.length).toBeGreaterThan(0);
    for (const { review, booking } of written) {
      expect(booking.status).toBe('completed');
      expect(review).toMatchObject({
        authorId: booking.guestId,
        hostId: booking.hostId,
        propertyId: booking.propertyId,
      });
      expect(review.createdAt.getTime()).toBeGreaterThan(Date.parse(`${booking.checkOut}T00:00:00Z`));
    }
    const answered = written.filter(({ review }) => review.hostResponse !== null);
    expect(answered.length).toBe(summary.counts.hostResponses);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThan(written.length);
    const hostId = (await db().select().from(users).where(eq(users.email, summary.logins!.host)))[0]!.id;
    expect(answered.some(({ review }) => review.hostId === hostId)).toBe(true);

    // Each place's figures count its reviews, as a review written through the API does.
    const perPlace = new Map<string, number>();
    for (const { review } of written) perPlace.set(review.propertyId, (perPlace.get(review.propertyId) ?? 0) + 1);
    for (const place of await db().select().from(properties)) {
      expect(place.ratingCount).toBeGreaterThanOrEqual(perPlace.get(place.id) ?? 0);
    }
  });

  it('writes conversations whose counters and last message match their messages', async () => {
    const threads = await db().select().from(conversations);
    expect(threads.length).toBe(summary.counts.conversations);
    expect(threads.length).toBeGreaterThan(0);
    const all = await db().select().from(messages);
    expect(all.length).toBe(summary.counts.messages);
    for (const c of threads) {
      const mine = all
        .filter((m) => m.conversationId === c.id)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[0]!.senderId).toBe(c.guestId);
      expect(c.lastMessageId).toBe(mine.at(-1)!.id);
      expect(c.lastMessageAt.getTime()).toBe(mine.at(-1)!.createdAt.getTime());
      const unread = (to: string) => mine.filter((m) => m.recipientId === to && m.readAt === null).length;
      expect([c.guestUnread, c.hostUnread]).toEqual([unread(c.guestId), unread(c.hostId)]);
      for (const m of mine) if (m.readAt) expect(m.readAt.getTime()).toBeGreaterThanOrEqual(m.createdAt.getTime());
    }
  });

  it('keeps one admin when seeded again, and adds rather than collides', async () => {
    const again = await seedDatabase(db(), { counts: { users: 5, properties: 5 }, seed: 12, demo: true });
    expect(again.counts.admins).toBe(0);
    expect(again.logins?.admin).toBe(summary.logins!.admin);
    const admins = await db().execute(sql`select count(*)::int as n from users where role = 'admin'`);
    expect((admins as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });
});
