import { asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propertiesModule } from '../src/modules/properties/index.js';
import { AMENITIES, CITY_RADIUS_KM, SEED_CITIES } from '../src/modules/properties/index.js';
import { SEED_EMAIL_DOMAIN, SEED_PASSWORD, usersModule } from '../src/modules/users/index.js';
import { verifyPassword } from '../src/platform/auth/hashing.js';
import type { Database } from '../src/platform/db/client.js';
import { createSeedProgress } from '../src/platform/seeding/progress.js';
import type { SeedProgress } from '../src/platform/seeding/run.js';
import { formatSeedSummary, seedDatabase, type SeedSummary } from '../src/composition/seed.js';
import { createTestDatabase } from '#test/helpers.js';

const { users } = usersModule.tables;
const { properties, propertyCalendar } = propertiesModule.tables;

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY_MS = 86_400_000;
const options = { counts: { users: 20, properties: 100 }, seed: 42, now: NOW, batchSize: 30 };

let first: Database;
let second: Database;
let summary: SeedSummary;
const progress: SeedProgress[] = [];

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  summary = await seedDatabase(first.db, options, (p) => progress.push(p));
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

const distanceKm = (lat1: number, lng1: number, lat2: number, lng2: number) => {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
};

describe('seedDatabase', () => {
  it('writes the requested counts and reports them', async () => {
    const userRows = await first.db.select().from(users);
    const propertyRows = await first.db.select().from(properties);
    const blockRows = await first.db.select().from(propertyCalendar).where(eq(propertyCalendar.kind, 'block'));
    expect(userRows).toHaveLength(20);
    expect(propertyRows).toHaveLength(100);
    expect(summary).toMatchObject({ seed: 42 });
    expect(summary.counts).toEqual({
      users: 20,
      properties: 100,
      hosts: userRows.filter((u) => u.role === 'host').length,
      listed: propertyRows.filter((p) => p.status === 'listed').length,
      blocks: blockRows.length,
      bookings: 0,
      bookingRanges: 0,
    });
    expect(formatSeedSummary(summary)).toMatch(
      new RegExp(
        `^Seeded 20 users \\(${summary.counts.hosts} hosts\\), 100 properties \\(${summary.counts.listed} listed\\) and ${blockRows.length} calendar blocks, 0 bookings in \\d+\\.\\d s \\(seed 42\\)\\.$`,
      ),
    );
    expect(progress.at(-1)).toEqual({ phase: 'properties', done: 100, total: 100 });
    expect(progress.filter((p) => p.phase === 'users').at(-1)).toEqual({ phase: 'users', done: 20, total: 20 });
  });

  it('gives every property a host account that existed before it', async () => {
    const rows = await first.db
      .select({ role: users.role, hostCreated: users.createdAt, created: properties.createdAt })
      .from(properties)
      .innerJoin(users, eq(users.id, properties.hostId));
    expect(rows).toHaveLength(100);
    for (const r of rows) {
      expect(r.role).toBe('host');
      expect(r.hostCreated.getTime()).toBeLessThan(r.created.getTime());
    }
  });

  it('makes accounts that sign in with the documented password', async () => {
    const rows = await first.db.select().from(users);
    expect(new Set(rows.map((u) => u.passwordHash)).size).toBe(1);
    expect(await verifyPassword(rows[0]!.passwordHash, SEED_PASSWORD)).toBe(true);
    for (const u of rows) {
      expect(u.email.endsWith(`@${SEED_EMAIL_DOMAIN}`)).toBe(true);
      expect(u.status).toBe('active');
      if (u.phone !== null) expect(u.phone).toMatch(/^\+?[0-9][0-9 ()-]{4,24}$/);
    }
  });

  it('produces valid, realistic properties', async () => {
    const rows = await first.db.select().from(properties);
    const listed = rows.filter((p) => p.status === 'listed').length;
    expect(listed).toBeGreaterThanOrEqual(75);
    expect(listed).toBeLessThan(100);
    const createdAt = new Set<number>();
    for (const p of rows) {
      expect(['draft', 'listed', 'unlisted']).toContain(p.status);
      expect(['apartment', 'house', 'room', 'cabin', 'villa', 'other']).toContain(p.propertyType);
      expect(['flexible', 'moderate', 'strict']).toContain(p.cancellationPolicy);
      const city = SEED_CITIES.find((c) => c.name === p.city);
      expect(city, p.city).toBeDefined();
      expect(distanceKm(city!.latitude, city!.longitude, p.latitude, p.longitude)).toBeLessThanOrEqual(
        CITY_RADIUS_KM + 0.01,
      );
      expect(p).toMatchObject({
        country: city!.country,
        timezone: city!.timezone,
        currency: city!.currency,
        region: city!.region,
      });
      expect(p.title.length).toBeGreaterThanOrEqual(5);
      expect(p.title.length).toBeLessThanOrEqual(120);
      expect(p.title).toBe(p.title.trim());
      expect(p.description.length).toBeLessThanOrEqual(5000);
      expect(Number.isInteger(p.nightlyPrice) && p.nightlyPrice > 0).toBe(true);
      expect(Number.isInteger(p.cleaningFee) && p.cleaningFee >= 0).toBe(true);
      expect(p.weeklyDiscountPercent).toBeGreaterThanOrEqual(0);
      expect(p.weeklyDiscountPercent).toBeLessThanOrEqual(50);
      expect(p.maxGuests).toBeGreaterThanOrEqual(1);
      expect(p.amenities).toEqual([...new Set(p.amenities)].sort());
      for (const a of p.amenities) expect(AMENITIES).toContain(a);
      if (p.ratingCount === 0) {
        expect(p.ratingSum).toBe(0);
        expect(p.ratingAverage).toBeNull();
      } else {
        expect(p.status).not.toBe('draft');
        expect(p.ratingCount).toBeLessThanOrEqual(200);
        expect(Number(p.ratingAverage)).toBeGreaterThanOrEqual(3);
        expect(Number(p.ratingAverage)).toBeLessThanOrEqual(5);
      }
      const t = p.createdAt.getTime();
      expect(t).toBeLessThan(NOW.getTime());
      expect(t).toBeGreaterThanOrEqual(NOW.getTime() - 730 * DAY_MS);
      expect(p.updatedAt.getTime()).toBeGreaterThanOrEqual(t);
      createdAt.add(t);
    }
    expect(createdAt.size).toBe(100);
    const rated = rows.filter((p) => p.ratingCount > 0).length;
    expect(rated).toBeGreaterThan(35);
    expect(rated).toBeLessThan(85);
  });

  it('blocks only future dates', async () => {
    const today = NOW.toISOString().slice(0, 10);
    for (const b of await first.db.select().from(propertyCalendar).where(eq(propertyCalendar.kind, 'block'))) {
      expect(b.start > today).toBe(true);
      expect(b.start < b.end).toBe(true);
    }
  });

  it('gives the same data for the same seed', async () => {
    await seedDatabase(second.db, options);
    const titles = (db: Database) =>
      db.db
        .select({ title: properties.title, price: properties.nightlyPrice, lat: properties.latitude })
        .from(properties)
        .orderBy(asc(properties.createdAt));
    const emails = (db: Database) => db.db.select({ email: users.email }).from(users).orderBy(asc(users.createdAt));
    expect(await titles(second)).toEqual(await titles(first));
    expect(await emails(second)).toEqual(await emails(first));
  });

  it('numbers accounts after earlier runs, so seeding again adds rather than collides', async () => {
    const again = await seedDatabase(first.db, { counts: { users: 5, properties: 10 }, seed: 7, now: NOW });
    expect(again.counts).toMatchObject({ users: 5, properties: 10 });
    const seeded = await first.db
      .select({ email: users.email })
      .from(users)
      .where(like(users.email, `%@${SEED_EMAIL_DOMAIN}`));
    expect(seeded).toHaveLength(25);
    expect((await first.db.select().from(properties)).length).toBe(110);
  });
});

describe('seed progress', () => {
  it('writes a line per tenth when not on a terminal', () => {
    const lines: string[] = [];
    let t = 0;
    const report = createSeedProgress({ isTTY: false, write: (s) => lines.push(s) }, () => (t += 50));
    for (let done = 0; done <= 1000; done += 50) report({ phase: 'properties', done, total: 1000 });
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toMatch(/^properties\s+1,000 \/ 1,000\s+100%\s+[\d,]+ rows\/s\n$/);
  });

  it('redraws one line on a terminal and ends it when the phase completes', () => {
    let out = '';
    let t = 0;
    const report = createSeedProgress({ isTTY: true, write: (s) => (out += s) }, () => (t += 200));
    for (let done = 0; done <= 1000; done += 100) report({ phase: 'users', done, total: 1000 });
    expect(out.startsWith('\r')).toBe(true);
    expect(out.split('\n')).toEqual([expect.stringContaining('100%'), '']);
  });
});
