import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import type { Database } from '../../../platform/db/client.js';
import { seedDatabase, type SeedSummary } from '../../../composition/seed.js';
import { propertiesModule } from '../../properties/index.js';
import { nightPrices, priceStay } from '../bookings.policy.js';
import { bookings } from '../bookings.table.js';

const { properties, propertyCalendar } = propertiesModule.tables;

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY_MS = 86_400_000;
const BOOKINGS = 1500;
const options = {
  counts: { users: 30, properties: 40, bookings: BOOKINGS },
  seed: 7,
  now: NOW,
  batchSize: 250,
  settings: { serviceFeePercent: 12 },
};

let database: Database;
let summary: SeedSummary;
let rows: (typeof bookings.$inferSelect)[];
let places: Map<string, typeof properties.$inferSelect>;
let calendar: (typeof propertyCalendar.$inferSelect)[];

beforeAll(async () => {
  database = await createTestDatabase();
  summary = await seedDatabase(database.db, options);
  rows = await database.db.select().from(bookings);
  places = new Map((await database.db.select().from(properties)).map((p) => [p.id, p]));
  calendar = await database.db.select().from(propertyCalendar);
});
afterAll(async () => {
  await database?.close();
});

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const today = Math.floor(NOW.getTime() / DAY_MS);

describe('seeding bookings', () => {
  it('writes the requested number and reports it', () => {
    expect(rows).toHaveLength(BOOKINGS);
    const held = rows.filter((b) => ['pending', 'confirmed', 'completed'].includes(b.status)).length;
    expect(summary.counts).toMatchObject({ bookings: BOOKINGS, bookingRanges: held });
    expect(summary.parts.at(-1)).toBe('1,500 bookings');
  });

  it('has every status, in realistic places on the time line', () => {
    const by = (s: string) => rows.filter((b) => b.status === s);
    for (const s of ['completed', 'confirmed', 'canceled', 'pending', 'expired'])
      expect(by(s).length, s).toBeGreaterThan(0);
    expect(by('completed').length).toBeGreaterThan(by('canceled').length);
    for (const b of by('completed')) expect(day(b.checkOut)).toBeLessThanOrEqual(today);
    for (const b of by('pending')) {
      expect(day(b.checkIn)).toBeGreaterThan(today);
      expect(b.holdExpiresAt!.getTime()).toBeGreaterThan(NOW.getTime());
      expect(b.holdExpiresAt!.getTime() - b.createdAt.getTime()).toBe(15 * 60_000);
    }
    for (const b of by('confirmed')) expect(day(b.checkOut)).toBeGreaterThan(today);
    for (const b of by('canceled')) {
      expect(b.canceledAt).not.toBeNull();
      expect(['guest', 'host', 'admin']).toContain(b.canceledBy);
      expect(b.refundAmount).not.toBeNull();
      expect(b.refundAmount!).toBeGreaterThanOrEqual(0);
      expect(b.refundAmount!).toBeLessThanOrEqual(b.total);
      if (b.canceledBy !== 'guest' && b.refundAmount! > 0) expect(b.refundAmount).toBe(b.total);
      expect(b.canceledAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(rows.some((b) => b.status === 'canceled' && b.refundAmount! > 0)).toBe(true);
    for (const b of rows) {
      expect(day(b.checkIn)).toBeLessThanOrEqual(today + 365);
      expect(b.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(b.updatedAt.getTime()).toBeGreaterThanOrEqual(b.createdAt.getTime());
      expect(b.nights).toBe(day(b.checkOut) - day(b.checkIn));
    }
  });

  it('prices every stay by the pricing rule, on its place, with the place’s host', () => {
    for (const b of rows) {
      const p = places.get(b.propertyId)!;
      expect(p.status).not.toBe('draft');
      expect(b.hostId).toBe(p.hostId);
      expect(b.guestId).not.toBe(p.hostId);
      expect(b.currency).toBe(p.currency);
      expect(b.guests).toBeGreaterThanOrEqual(1);
      expect(b.guests).toBeLessThanOrEqual(p.maxGuests);
      const { nights: _nights, ...price } = priceStay(p, nightPrices(p, b.checkIn, b.checkOut), 12);
      expect({
        nightly: b.nightlyPrice,
        subtotal: b.subtotal,
        discount: b.discount,
        cleaningFee: b.cleaningFee,
        serviceFee: b.serviceFee,
        total: b.total,
      }).toEqual(price);
    }
    expect(rows.some((b) => b.discount > 0)).toBe(true);
  });

  it('never overlaps two stays of a place', () => {
    const byPlace = new Map<string, typeof rows>();
    for (const b of rows) byPlace.set(b.propertyId, [...(byPlace.get(b.propertyId) ?? []), b]);
    expect(byPlace.size).toBeGreaterThan(10);
    for (const stays of byPlace.values()) {
      stays.sort((a, b) => a.checkIn.localeCompare(b.checkIn));
      for (let i = 1; i < stays.length; i++) expect(stays[i]!.checkIn >= stays[i - 1]!.checkOut).toBe(true);
    }
  });

  it('holds the dates of pending, confirmed and completed stays on the calendar', () => {
    const ranges = new Map(calendar.filter((c) => c.kind === 'booking').map((c) => [c.refId!, c]));
    for (const b of rows) {
      const range = ranges.get(b.id);
      if (b.status === 'canceled' || b.status === 'expired') {
        expect(range).toBeUndefined();
        continue;
      }
      expect(range).toMatchObject({
        propertyId: b.propertyId,
        start: b.checkIn,
        end: b.checkOut,
        occupantId: b.guestId,
        revealsLocation: b.status !== 'pending',
        releasedAt: null,
      });
    }
    expect(ranges.size).toBe(summary.counts.bookingRanges);
  });

  it('refuses more bookings than the places can hold', async () => {
    const small = await createTestDatabase();
    try {
      await expect(
        seedDatabase(small.db, { counts: { users: 3, properties: 1, bookings: 5000 }, seed: 1, now: NOW }),
      ).rejects.toThrow(/at most [\d,]+ bookings fit/);
    } finally {
      await small.close();
    }
  });
});
