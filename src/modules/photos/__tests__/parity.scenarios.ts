import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '#test/helpers.js';
import { db, full, gql, rest, sideEffects, withProperty, type Scenario, type World } from '#test/parity/kit.js';

/**
 * Photos' captions, order and deletion, and the photos places carry: the same over REST and
 * GraphQL (run by test/parity/rest-graphql.test.ts). Uploads are REST only.
 */

const photoIds = new WeakMap<World, string[]>();
const idsOf = (w: World) => photoIds.get(w)!;

/** A place with `count` ready photos (rows as the processing job leaves them). */
async function withPhotos(w: World, count = 2): Promise<void> {
  await withProperty(w);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = w.name(randomUUID(), `photo${i}`);
    const sha = createHash('sha256').update(`parity-${i}`).digest('hex');
    await db().execute(sql`
      insert into photos (id, property_id, status, position, caption, original_type, key_prefix, width, height, blurhash)
      values (${id}, ${w.propertyId}, 'ready', ${i}, ${`Photo ${i}`}, 'image/jpeg', ${`${w.propertyId}/${sha}`},
              1600, 1200, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj')`);
    ids.push(id);
  }
  photoIds.set(w, ids);
}

const photoRows = (propertyId: string) =>
  rowsOf(
    db(),
    sql`select id, status, position, caption, key_prefix from photos where property_id = ${propertyId} order by position`,
  );

export const scenarios: Scenario[] = [
  {
    name: 'updatePhoto',
    kind: 'write',
    setup: (w) => withPhotos(w),
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: `/v1/properties/${w.propertyId}/photos/${idsOf(w)[1]}`,
          as: w.host,
          payload: { caption: '  The <b>terrace</b>  ' },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($p: ID!, $id: ID!, $i: UpdatePhotoInput!) { updatePhoto(propertyId: $p, photoId: $id, input: $i) ${full('Photo')} }`,
        { p: w.propertyId, id: idsOf(w)[1], i: { caption: '  The <b>terrace</b>  ' } },
      ),
    stored: async (w) => ({ photos: await photoRows(w.propertyId) }),
  },
  {
    name: 'reorderPhotos',
    kind: 'write',
    setup: (w) => withPhotos(w, 3),
    rest: async (w) => {
      const order = [idsOf(w)[2], idsOf(w)[0], idsOf(w)[1]];
      const list = (await rest(
        { method: 'PATCH', url: `/v1/properties/${w.propertyId}/photos`, as: w.host, payload: { order } },
        200,
      )) as { data: unknown[] };
      // REST answers `{ data }`; GraphQL the list itself.
      return list.data;
    },
    graphql: (w) =>
      gql(w.host, `mutation($p: ID!, $o: [ID!]!) { reorderPhotos(propertyId: $p, order: $o) ${full('Photo')} }`, {
        p: w.propertyId,
        o: [idsOf(w)[2], idsOf(w)[0], idsOf(w)[1]],
      }),
    stored: async (w) => ({ photos: await photoRows(w.propertyId) }),
  },
  {
    name: 'deletePhoto',
    kind: 'write',
    setup: (w) => withPhotos(w),
    rest: async (w) => {
      await rest({ method: 'DELETE', url: `/v1/properties/${w.propertyId}/photos/${idsOf(w)[0]}`, as: w.host }, 204);
      return true;
    },
    graphql: (w) =>
      gql(w.host, 'mutation($p: ID!, $id: ID!) { deletePhoto(propertyId: $p, photoId: $id) }', {
        p: w.propertyId,
        id: idsOf(w)[0],
      }),
    stored: async (w) => ({ photos: await photoRows(w.propertyId), ...(await sideEffects(w.propertyId)) }),
  },
  {
    name: 'property photos: the detail carries its photos and cover, as the list does',
    kind: 'read',
    setup: (w) => withPhotos(w, 3),
    rest: async (w) => {
      const detail = (await rest({ url: `/v1/properties/${w.propertyId}` }, 200)) as Record<string, unknown>;
      const list = (await rest({ url: `/v1/properties/${w.propertyId}/photos` }, 200)) as { data: unknown[] };
      return { cover: detail.coverPhoto, photos: detail.photos, list: list.data };
    },
    graphql: async (w) => {
      const photo = full('Photo');
      const property = (await gql(
        undefined,
        `query($id: ID!) { property(id: $id) { coverPhoto ${photo} photos ${photo} } }`,
        { id: w.propertyId },
      )) as { coverPhoto: unknown; photos: unknown[] };
      return { cover: property.coverPhoto, photos: property.photos, list: property.photos };
    },
    stored: async (_w, answer: { photos: unknown[] }) => {
      expect(answer.photos).toHaveLength(3);
      return null;
    },
  },
];
