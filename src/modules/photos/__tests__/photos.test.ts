import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, register, rowsOf, runDueJobs, type Session, type TestApp } from '#test/helpers.js';
import { address, createProperty, search, uniqueCity } from '#test/factories/properties.js';
import type { Photo, Property } from '../../properties/index.js';
import { photoLike, pngDeclaring, uploadBody } from './images.js';

// Photos over REST with the filesystem store: uploads checked from their bytes, the job's
// variants (sizes, orientation, no metadata), what places carry, order, captions, deletion
// and who may do what.

let t: TestApp;
let host: Session;
let otherHost: Session;
let guest: Session;
let jpeg: Buffer;

beforeAll(async () => {
  t = await createTestApp();
  [host, otherHost, guest] = await Promise.all([
    register(t.app, { role: 'host' }),
    register(t.app, { role: 'host' }),
    register(t.app),
  ]);
  jpeg = await photoLike(1600, 1200, { gps: true });
  return () => t.close();
});

const db = () => t.container.database.db;
const mediaDir = () => path.join(t.container.config.dataDir, 'media');

const place = (overrides: Record<string, unknown> = {}, session = host): Promise<Property> =>
  createProperty(t.app, session, { address: address(uniqueCity()), ...overrides });

function upload(
  propertyId: string,
  file: Buffer,
  options: Parameters<typeof uploadBody>[1] = {},
  session: Session | null = host,
) {
  const body = uploadBody(file, options);
  return t.app.inject({
    method: 'POST',
    url: `/v1/properties/${propertyId}/photos`,
    headers: { ...body.headers, ...(session?.auth ?? {}) },
    payload: body.payload,
  });
}

async function readyPhoto(propertyId: string, file = jpeg, caption?: string): Promise<Photo> {
  const res = await upload(propertyId, file, { caption });
  expect(res.statusCode, res.body).toBe(202);
  await runDueJobs(t);
  const list = await t.app.inject({ url: `/v1/properties/${propertyId}/photos`, headers: host.auth });
  return list.json<{ data: Photo[] }>().data.find((p) => p.id === res.json<Photo>().id)!;
}

const fetchMedia = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

describe('POST /v1/properties/{id}/photos', () => {
  it('accepts a JPEG as processing (202); the job makes three WebP variants without EXIF GPS, and a BlurHash', async () => {
    const p = await place();
    // The input does carry GPS tags.
    const input = exifReader((await sharp(jpeg).metadata()).exif!);
    expect(input.GPSInfo?.GPSLatitude).toBeDefined();
    expect(input.GPSInfo?.GPSLongitudeRef).toBe('W');

    const res = await upload(p.id, jpeg, { caption: '  The terrace  ' });
    expect(res.statusCode, res.body).toBe(202);
    const accepted = res.json<Photo>();
    expect(accepted).toMatchObject({
      status: 'processing',
      caption: 'The terrace',
      position: 0,
      urls: null,
      blurhash: null,
    });
    // The job is in the outbox with the row: an accepted upload survives a crash before processing.
    const jobs = await rowsOf<{ state: string }>(
      db(),
      sql`select state from jobs where kind = 'photos.process' and payload->>'photoId' = ${accepted.id}`,
    );
    expect(jobs).toEqual([{ state: 'pending' }]);

    expect((await runDueJobs(t)).dead).toBe(0);
    const list = (await t.app.inject({ url: `/v1/properties/${p.id}/photos` })).json<{ data: Photo[] }>();
    const ready = list.data[0]!;
    expect(ready).toMatchObject({ id: accepted.id, status: 'ready', width: 1600, height: 1200, failureReason: null });
    expect(ready.blurhash).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);
    const urls = ready.urls!;
    expect(urls.small).toMatch(new RegExp(`^/media/${p.id}/[0-9a-f]{64}-320\\.webp$`));

    for (const [url, width] of [
      [urls.small, 320],
      [urls.medium, 960],
      [urls.large, 1600],
    ] as const) {
      const media = await fetchMedia(url);
      expect(media.statusCode).toBe(200);
      expect(media.headers['content-type']).toBe('image/webp');
      expect(media.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(media.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'webp', width });
      // No metadata block at all: no EXIF (so no GPS), no XMP, no ICC profile.
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(media.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
      expect(media.rawPayload.includes(Buffer.from('Staylane Test Camera'))).toBe(false);
      // Content-addressed: a conditional GET is a 304.
      const again = await fetchMedia(url, { 'if-none-match': media.headers.etag as string });
      expect(again.statusCode).toBe(304);
    }
    // The original is gone once processed.
    await runDueJobs(t);
    expect(existsSync(path.join(mediaDir(), 'uploads', accepted.id))).toBe(false);
  });

  it('applies the EXIF orientation and never upscales', async () => {
    const p = await place();
    // Stored 1200 × 900 with orientation 6 (rotate 90°): shown 900 × 1200.
    const turned = await readyPhoto(p.id, await photoLike(1200, 900, { orientation: 6 }));
    expect(turned).toMatchObject({ status: 'ready', width: 900, height: 1200 });
    const large = await sharp((await fetchMedia(turned.urls!.large)).rawPayload).metadata();
    expect(large).toMatchObject({ width: 900, height: 1200 });
    expect(large.orientation).toBeUndefined();
  });

  it('reads the type from the bytes, whatever the part says: a PNG named photo.jpg is a PNG; text named photo.jpg is 415', async () => {
    const p = await place();
    const png = await upload(p.id, await photoLike(1000, 800, { format: 'png' }), { contentType: 'image/jpeg' });
    expect(png.statusCode, png.body).toBe(202);
    const row = await rowsOf<{ original_type: string }>(
      db(),
      sql`select original_type from photos where id = ${png.json<Photo>().id}`,
    );
    expect(row[0]!.original_type).toBe('image/png');

    const text = await upload(p.id, Buffer.from('GIF89a not really, just text'.repeat(100)));
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'unsupported_media_type', status: 415 });
  });

  it('refuses a tiny file that declares 20,000 × 20,000 from its header (422), and one under 800 × 600', async () => {
    const p = await place();
    const bomb = pngDeclaring(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200);
    const rssBefore = process.memoryUsage().rss;
    const res = await upload(p.id, bomb, { contentType: 'image/png' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'photo_too_many_pixels' });
    // Nothing near 20,000 × 20,000 × 3 bytes (1.2 GB) was allocated.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);

    const small = await upload(p.id, await photoLike(700, 500));
    expect(small.statusCode).toBe(422);
    expect(small.json()).toMatchObject({ code: 'photo_too_small' });
    // Portrait is fine: 600 × 800.
    expect((await upload(p.id, await photoLike(600, 800))).statusCode).toBe(202);
    expect(await readdir(await t.container.services.photos.uploadDir())).toEqual([]);
  });

  it('marks a file whose bytes cannot be decoded failed, with a reason', async () => {
    const p = await place();
    const broken = Buffer.concat([jpeg.subarray(0, 2000), Buffer.alloc(50_000, 7)]);
    const res = await upload(p.id, broken);
    expect(res.statusCode, res.body).toBe(202);
    expect((await runDueJobs(t)).dead).toBe(0);
    const [photo] = (await t.app.inject({ url: `/v1/properties/${p.id}/photos`, headers: host.auth })).json<{
      data: Photo[];
    }>().data;
    expect(photo).toMatchObject({ status: 'failed', urls: null });
    expect(photo!.failureReason).toMatch(/could not be decoded/);
    // Others see only ready photos.
    expect((await t.app.inject({ url: `/v1/properties/${p.id}/photos` })).json()).toEqual({ data: [] });
  });

  it('fails a photo whose original is gone from the store, rather than retrying it for ever', async () => {
    const p = await place();
    const [row] = await rowsOf<{ id: string }>(
      db(),
      sql`insert into photos (property_id, position, original_type, original_key, key_prefix)
          values (${p.id}, 0, 'image/jpeg', 'uploads/lost', ${`${p.id}/${'e'.repeat(64)}`}) returning id`,
    );
    await db().execute(
      sql`insert into jobs (kind, payload) values ('photos.process', ${JSON.stringify({ photoId: row!.id })}::jsonb)`,
    );
    expect(await runDueJobs(t)).toMatchObject({ retried: 0, dead: 0 });
    const [photo] = (await t.app.inject({ url: `/v1/properties/${p.id}/photos`, headers: host.auth })).json<{
      data: Photo[];
    }>().data;
    expect(photo).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/lost/) as unknown });
  });

  it('lets only the host upload: 401 anonymous, 403 another host, 404 a place one cannot see', async () => {
    const p = await place();
    const draft = await place({ status: 'draft' });
    expect((await upload(p.id, jpeg, {}, null)).statusCode).toBe(401);
    expect((await upload(p.id, jpeg, {}, otherHost)).json()).toMatchObject({ status: 403, code: 'not_property_owner' });
    expect((await upload(draft.id, jpeg, {}, guest)).json()).toMatchObject({ status: 404, code: 'property_not_found' });
  });
});

describe('places carry their photos', () => {
  it('coverPhoto in search and detail, photos in the detail, following order changes at once (the cache ends)', async () => {
    const city = uniqueCity();
    const p = await place({ address: address(city) });
    // Read first, so that the detail and the search page are cached before the photos.
    expect((await t.app.inject({ url: `/v1/properties/${p.id}` })).json()).toMatchObject({
      coverPhoto: null,
      photos: [],
    });
    expect((await search(t.app, { city })).body.data[0]).toMatchObject({ coverPhoto: null });

    const first = await readyPhoto(p.id, jpeg, 'First');
    const second = await readyPhoto(p.id, await photoLike(1200, 900, { hue: 30 }), 'Second');
    const detail = (await t.app.inject({ url: `/v1/properties/${p.id}` })).json<Property>();
    expect(detail.coverPhoto?.id).toBe(first.id);
    expect(detail.photos?.map((x) => x.id)).toEqual([first.id, second.id]);
    const card = (await search(t.app, { city })).body.data[0]!;
    expect(card.coverPhoto?.id).toBe(first.id);
    expect(card.photos).toBeUndefined();

    const reordered = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}/photos`,
      headers: host.auth,
      payload: { order: [second.id, first.id] },
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<{ data: Photo[] }>().data.map((x) => [x.id, x.position])).toEqual([
      [second.id, 0],
      [first.id, 1],
    ]);
    expect((await t.app.inject({ url: `/v1/properties/${p.id}` })).json<Property>().coverPhoto?.id).toBe(second.id);
    expect((await search(t.app, { city })).body.data[0]!.coverPhoto?.id).toBe(second.id);

    const caption = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}/photos/${second.id}`,
      headers: host.auth,
      payload: { caption: 'The view' },
    });
    expect(caption.json()).toMatchObject({ id: second.id, caption: 'The view' });
    expect((await t.app.inject({ url: `/v1/properties/${p.id}` })).json<Property>().coverPhoto?.caption).toBe(
      'The view',
    );
  });

  it('refuses an order that is not exactly the place’s photos (422)', async () => {
    const p = await place();
    const a = await readyPhoto(p.id);
    const b = await readyPhoto(p.id, await photoLike(1000, 800, { hue: 90 }));
    const other = await readyPhoto((await place()).id);
    for (const order of [[a.id], [a.id, a.id], [a.id, b.id, other.id], [a.id, other.id], []]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/v1/properties/${p.id}/photos`,
        headers: host.auth,
        payload: { order },
      });
      expect(res.json(), JSON.stringify(order)).toMatchObject({ status: 422, code: 'photo_order_mismatch' });
    }
  });
});

describe('deleting', () => {
  it('a photo: 204, later positions move up, its files go after commit; files another photo shares stay', async () => {
    const p = await place();
    const a = await readyPhoto(p.id);
    const same = await readyPhoto(p.id); // the same bytes: the same content-addressed files
    const b = await readyPhoto(p.id, await photoLike(1000, 800, { hue: 300 }));
    expect(same.urls).toEqual(a.urls);
    const file = (url: string) => path.join(mediaDir(), url.replace('/media/', ''));

    const del = (id: string) =>
      t.app.inject({ method: 'DELETE', url: `/v1/properties/${p.id}/photos/${id}`, headers: host.auth });
    expect((await del(a.id)).statusCode).toBe(204);
    await runDueJobs(t);
    expect(existsSync(file(a.urls!.large))).toBe(true);
    const left = (await t.app.inject({ url: `/v1/properties/${p.id}/photos` })).json<{ data: Photo[] }>().data;
    expect(left.map((x) => [x.id, x.position])).toEqual([
      [same.id, 0],
      [b.id, 1],
    ]);
    expect((await del(same.id)).statusCode).toBe(204);
    expect((await del(same.id)).json()).toMatchObject({ status: 404, code: 'photo_not_found' });
    await runDueJobs(t);
    for (const url of Object.values(a.urls!)) expect(existsSync(file(url))).toBe(false);
    expect(existsSync(file(b.urls!.large))).toBe(true);
    expect((await fetchMedia(a.urls!.small)).statusCode).toBe(404);
  });

  it('a place: its photos and their files go with it', async () => {
    const p = await place();
    const photo = await readyPhoto(p.id, await photoLike(1000, 800, { hue: 10 }));
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/properties/${p.id}`, headers: host.auth });
    expect(res.statusCode, res.body).toBe(204);
    expect(await rowsOf(db(), sql`select id from photos where property_id = ${p.id}`)).toEqual([]);
    await runDueJobs(t);
    for (const url of Object.values(photo.urls!)) {
      expect(existsSync(path.join(mediaDir(), url.replace('/media/', '')))).toBe(false);
    }
  });
});

describe('processing at once when the jobs run in this process', () => {
  it('without Redis the server starts a photo at upload; the outbox job then finds it done', async () => {
    const local = await createTestApp({ env: { REDIS_URL: '' } });
    try {
      const me = await register(local.app, { role: 'host' });
      const p = await createProperty(local.app, me, { address: address(uniqueCity()) });
      const body = uploadBody(jpeg);
      const res = await local.app.inject({
        method: 'POST',
        url: `/v1/properties/${p.id}/photos`,
        headers: { ...body.headers, ...me.auth },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(202);
      const status = async () =>
        (await local.app.inject({ url: `/v1/properties/${p.id}/photos`, headers: me.auth })).json<{ data: Photo[] }>()
          .data[0]!.status;
      const end = Date.now() + 10_000;
      while ((await status()) !== 'ready' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(await status()).toBe('ready');
      // No runner has run yet: the job is still pending, and finds nothing left to do.
      const [job] = await rowsOf<{ state: string }>(
        local.container.database.db,
        sql`select state from jobs where kind = 'photos.process' and payload->>'photoId' = ${res.json<Photo>().id}`,
      );
      expect(job).toEqual({ state: 'pending' });
      expect((await runDueJobs(local)).dead).toBe(0);
      expect(await status()).toBe('ready');
    } finally {
      await local.close();
    }
  });
});
