import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, register, rowsOf, type Session, type TestApp } from '#test/helpers.js';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import type { Property } from '../../properties/index.js';
import { multipartBody, photoLike, uploadBody } from './images.js';

// The upload's edges over real HTTP: the 20 MiB cut while streaming, a client that goes
// away, the parser's bounds, the per-user daily count and the 50-photo limit; and no
// temporary file left behind on any of these paths.

let t: TestApp;
let port: number;
let host: Session;
let jpeg: Buffer;

beforeAll(async () => {
  t = await createTestApp({ env: { PHOTO_UPLOADS_PER_DAY: '60' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
  host = await register(t.app, { role: 'host' });
  jpeg = await photoLike(1000, 800);
  return () => t.close();
});

const uploadDir = () => t.container.services.photos.uploadDir();
const leftovers = async () => readdir(await uploadDir());
const place = (): Promise<Property> => createProperty(t.app, host, { address: address(uniqueCity()) });

/** A POST over a real socket; the answer's status and body, or the socket's error. */
function post(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('upload bounds', () => {
  it('cuts a 21 MiB file at 20 MiB while it streams: 413, and no temporary file stays', async () => {
    const p = await place();
    const huge = Buffer.concat([jpeg.subarray(0, 4), randomBytes(21 * 1024 * 1024)]);
    const body = uploadBody(huge);
    const res = await post(`/v1/properties/${p.id}/photos`, body.payload, { ...body.headers, ...host.auth });
    expect(res).toMatchObject({ status: 413 });
    expect(JSON.parse((res as { body: string }).body)).toMatchObject({ code: 'body_too_large', status: 413 });
    expect(await leftovers()).toEqual([]);
    expect(await rowsOf(t.container.database.db, sql`select id from photos where property_id = ${p.id}`)).toEqual([]);
  });

  it('removes the temporary file when the client goes away mid-upload', async () => {
    const p = await place();
    const body = uploadBody(Buffer.concat([jpeg, randomBytes(8 * 1024 * 1024)]));
    const half = body.payload.subarray(0, 4 * 1024 * 1024);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path: `/v1/properties/${p.id}/photos`,
      method: 'POST',
      headers: { ...body.headers, ...host.auth, 'content-length': String(body.payload.length) },
    });
    req.on('error', () => undefined);
    req.write(half);
    // The file is being written…
    await until(async () => (await leftovers()).length > 0);
    req.destroy();
    // …and is gone once the server sees the connection close.
    await until(async () => (await leftovers()).length === 0);
    expect(await rowsOf(t.container.database.db, sql`select id from photos where property_id = ${p.id}`)).toEqual([]);
  });

  it('bounds the multipart parser: one file (413 for two), known fields only (422), a capped caption (422)', async () => {
    const p = await place();
    const send = (body: ReturnType<typeof multipartBody>) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/properties/${p.id}/photos`,
        headers: { ...body.headers, ...host.auth },
        payload: body.payload,
      });
    const two = await send(
      multipartBody([
        { name: 'file', value: jpeg, filename: 'a.jpg' },
        { name: 'file', value: jpeg, filename: 'b.jpg' },
      ]),
    );
    expect(two.json()).toMatchObject({ status: 413, code: 'body_too_large' });
    const other = await send(
      multipartBody([
        { name: 'file', value: jpeg, filename: 'a.jpg' },
        { name: 'title', value: 'x' },
      ]),
    );
    expect(other.json()).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'title' }] });
    const none = await send(multipartBody([{ name: 'caption', value: 'no file' }]));
    expect(none.json()).toMatchObject({ status: 422, errors: [{ path: 'file' }] });
    const long = await send(uploadBody(jpeg, { caption: 'é'.repeat(600) }));
    expect(long.json()).toMatchObject({ status: 422, errors: [{ path: 'caption' }] });
    const fine = await send(uploadBody(jpeg, { caption: 'x'.repeat(200) }));
    expect(fine.statusCode, fine.body).toBe(202);
    expect(await leftovers()).toEqual([]);
  });

  it('answers a multipart body it cannot read (a broken part, an end before the boundary) with 400, and keeps no file', async () => {
    const p = await place();
    const cut = uploadBody(jpeg);
    for (const payload of [
      '--x\r\nbroken',
      '--x\r\ncontent-disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nno end',
      cut.payload.subarray(0, 4_000),
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/properties/${p.id}/photos`,
        headers: {
          ...host.auth,
          'content-type':
            typeof payload === 'string' ? 'multipart/form-data; boundary=x' : cut.headers['content-type']!,
        },
        payload,
      });
      expect(res.json(), res.body).toMatchObject({ status: 400, code: 'malformed_request' });
    }
    expect(await leftovers()).toEqual([]);
  });

  it('keeps multipart to this route: JSON here is 415, multipart elsewhere is 415, and JSON elsewhere keeps its 1 MiB limit', async () => {
    const p = await place();
    const json = await t.app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/photos`,
      headers: host.auth,
      payload: { file: 'x' },
    });
    expect(json.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const body = uploadBody(jpeg);
    const elsewhere = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}`,
      headers: { ...body.headers, ...host.auth },
      payload: body.payload,
    });
    expect(elsewhere.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const big = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}`,
      headers: { ...host.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.json()).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('holds a place to 50 photos (409 too_many_photos), checked before the body is read', async () => {
    const p = await place();
    await t.container.database.db.execute(sql`
      insert into photos (property_id, position, original_type, key_prefix, status)
      select ${p.id}, n, 'image/jpeg', ${`${p.id}/${'0'.repeat(64)}`}, 'failed' from generate_series(0, 49) as n`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/photos`,
      headers: { ...uploadBody(jpeg).headers, ...host.auth },
      payload: uploadBody(jpeg).payload,
    });
    expect(res.json()).toMatchObject({ status: 409, code: 'too_many_photos' });
  });
});

describe('the daily upload count', () => {
  it('answers 429 photo_upload_limit with Retry-After past PHOTO_UPLOADS_PER_DAY', async () => {
    const limited = await createTestApp({ env: { PHOTO_UPLOADS_PER_DAY: '2' } });
    try {
      const me = await register(limited.app, { role: 'host' });
      const p = await createProperty(limited.app, me, { address: address(uniqueCity()) });
      const send = () => {
        const body = uploadBody(jpeg);
        return limited.app.inject({
          method: 'POST',
          url: `/v1/properties/${p.id}/photos`,
          headers: { ...body.headers, ...me.auth },
          payload: body.payload,
        });
      };
      expect((await send()).statusCode).toBe(202);
      expect((await send()).statusCode).toBe(202);
      const third = await send();
      expect(third.json()).toMatchObject({ status: 429, code: 'photo_upload_limit' });
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(86_000);
    } finally {
      await limited.close();
    }
  });
});
