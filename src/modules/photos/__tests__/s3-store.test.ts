import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, register, runDueJobs, type Session, type TestApp } from '#test/helpers.js';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import type { Photo } from '../../properties/index.js';
import { createFileStore, createS3Store } from '../photos.storage.js';
import { photoLike, uploadBody } from './images.js';

// The S3 path against a local S3-compatible server (s3rver, started here), through the AWS
// SDK as in production: originals and variants are objects of the bucket, URLs point at it
// (or at MEDIA_PUBLIC_URL), and deleting a photo deletes its objects.

let server: S3rver;
let endpoint: string;
let dir: string;
let t: TestApp;
let host: Session;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'staylane-s3-'));
  server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'media' }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  // The SDK's usual chain finds them in the environment; s3rver accepts its own pair.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  t = await createTestApp({ env: { MEDIA_S3_BUCKET: 'media', MEDIA_S3_ENDPOINT: endpoint } });
  host = await register(t.app, { role: 'host' });
});

afterAll(async () => {
  await t?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
});

describe('the S3 store', () => {
  it('keeps originals and variants in the bucket, answers its URLs, and deletes the objects with the photo', async () => {
    const p = await createProperty(t.app, host, { address: address(uniqueCity()) });
    const body = uploadBody(await photoLike(1200, 900, { gps: true }));
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/photos`,
      headers: { ...body.headers, ...host.auth },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<Photo>().id;
    // The original waits in the bucket, not at a public URL of ours.
    expect((await fetch(`${endpoint}/media/uploads/${id}`)).status).toBe(200);

    expect((await runDueJobs(t)).dead).toBe(0);
    const photo = (await t.app.inject({ url: `/v1/properties/${p.id}/photos`, headers: host.auth })).json<{
      data: Photo[];
    }>().data[0]!;
    expect(photo.failureReason).toBeNull();
    expect(photo.status).toBe('ready');
    expect(photo.urls!.small).toMatch(new RegExp(`^${endpoint}/media/${p.id}/[0-9a-f]{64}-320\\.webp$`));
    for (const [url, width] of [
      [photo.urls!.small, 320],
      [photo.urls!.medium, 960],
      [photo.urls!.large, 1200],
    ] as const) {
      const object = await fetch(url);
      expect(object.status).toBe(200);
      expect(object.headers.get('content-type')).toBe('image/webp');
      expect(object.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(await object.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: 'webp', width });
      expect(meta.exif).toBeUndefined();
    }
    // Processed: the original is deleted (by the job the processing queued).
    await runDueJobs(t);
    expect((await fetch(`${endpoint}/media/uploads/${id}`)).status).toBe(404);
    // The app serves no /media of its own with an object store.
    expect((await t.app.inject({ url: `/media/${p.id}/${'a'.repeat(64)}-320.webp` })).json()).toMatchObject({
      code: 'route_not_found',
    });

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/v1/properties/${p.id}/photos/${id}`,
      headers: host.auth,
    });
    expect(del.statusCode).toBe(204);
    await runDueJobs(t);
    for (const url of Object.values(photo.urls!)) expect((await fetch(url)).status).toBe(404);
  });

  it('answers URLs under MEDIA_PUBLIC_URL when a CDN is in front', () => {
    const store = createS3Store({ bucket: 'media', region: 'eu-west-1', publicUrl: 'https://cdn.example.com' });
    expect(store.urlOf('a/b-320.webp')).toBe('https://cdn.example.com/a/b-320.webp');
    expect(createS3Store({ bucket: 'media', region: 'eu-west-1' }).urlOf('k')).toBe(
      'https://media.s3.eu-west-1.amazonaws.com/k',
    );
  });
});

describe('the filesystem store', () => {
  it('never resolves a key outside its folder, and /media serves variant keys only', async () => {
    const store = createFileStore(dir);
    expect(() => store.pathOf!('../etc/passwd')).toThrow(/outside/);
    expect(() => store.pathOf!('a/../../x')).toThrow(/outside/);
    const local = await createTestApp();
    try {
      for (const url of [
        '/media/..%2F..%2Fetc/passwd',
        '/media/uploads/0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f',
        `/media/shared/${'a'.repeat(64)}-321.webp`,
        `/media/..%2Fpg/${'a'.repeat(64)}-320.webp`,
      ]) {
        expect((await local.app.inject({ url })).statusCode, url).toBe(404);
      }
    } finally {
      await local.close();
    }
  });
});
