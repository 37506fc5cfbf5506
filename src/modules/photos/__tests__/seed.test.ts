import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../../composition/seed.js';
import { createTestApp, rowsOf, runDueJobs, type TestApp } from '#test/helpers.js';
import type { Property } from '../../properties/index.js';

// The seed step: a small pool of drawn images stored once, many places' rows pointing at it.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  return () => t.close();
});

const db = () => t.container.database.db;

describe('seeding photos', () => {
  it('gives every place N ready photos from a shared pool of stored images, served like uploads', async () => {
    const summary = await seedDatabase(db(), {
      counts: { users: 6, properties: 12, photos: 3 },
      seed: 3,
      files: t.container.services.photos.store,
    });
    expect(summary.counts.photos).toBe(36);
    const perPlace = await rowsOf<{ n: number; ready: number }>(
      db(),
      sql`select count(*)::int as n, count(*) filter (where status = 'ready')::int as ready from photos group by property_id`,
    );
    expect(perPlace).toHaveLength(12);
    expect(perPlace.every((r) => r.n === 3 && r.ready === 3)).toBe(true);
    const prefixes = await rowsOf<{ key_prefix: string }>(db(), sql`select distinct key_prefix from photos`);
    expect(prefixes.length).toBeLessThanOrEqual(8);
    expect(prefixes.every((r) => /^shared\/[0-9a-f]{64}$/.test(r.key_prefix))).toBe(true);

    const [listed] = await rowsOf<{ id: string }>(db(), sql`select id from properties where status = 'listed' limit 1`);
    const detail = (await t.app.inject({ url: `/v1/properties/${listed!.id}` })).json<Property>();
    expect(detail.photos).toHaveLength(3);
    const media = await t.app.inject({ url: detail.coverPhoto!.urls!.large });
    expect(media.statusCode).toBe(200);
    expect(await sharp(media.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 1920, height: 1280 });

    // A seeded place's photos deleted (as when the place is): the shared files stay for the others.
    await t.container.services.photos.onPropertyDeleted(db(), { propertyId: listed!.id, ctx: {} });
    await runDueJobs(t);
    expect(await rowsOf(db(), sql`select id from photos where property_id = ${listed!.id}`)).toEqual([]);
    expect((await t.app.inject({ url: detail.coverPhoto!.urls!.large })).statusCode).toBe(200);
  });

  it('seeds no photos without a media store', async () => {
    const before = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from photos`);
    const summary = await seedDatabase(db(), { counts: { users: 3, properties: 4, photos: 2 }, seed: 4 });
    expect(summary.counts.photos).toBeUndefined();
    expect(await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from photos`)).toEqual(before);
  });
});
