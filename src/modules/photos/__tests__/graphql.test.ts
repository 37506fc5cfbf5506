import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, graphql, register, type Session, type TestApp } from '#test/helpers.js';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import type { Property } from '../../properties/index.js';

// GraphQL: `Property.coverPhoto` from the place itself, `Property.photos` with the detail
// or batch-loaded for a page in one query, and the caption, order and delete mutations
// under the REST rules.

let t: TestApp;
let host: Session;
let otherHost: Session;
const queries: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ onQuery: (q) => queries.push(q) });
  [host, otherHost] = await Promise.all([register(t.app, { role: 'host' }), register(t.app, { role: 'host' })]);
  return () => t.close();
});

/** Ready photo rows for a place (as the processing job leaves them), by position. */
async function withPhotos(propertyId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const sha = createHash('sha256').update(`${propertyId}-${i}`).digest('hex');
    await t.container.database.db.execute(sql`
      insert into photos (id, property_id, status, position, original_type, key_prefix, width, height, blurhash)
      values (${id}, ${propertyId}, 'ready', ${i}, 'image/jpeg', ${`${propertyId}/${sha}`}, 1600, 1200, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj')`);
    ids.push(id);
  }
  return ids;
}

const PHOTO =
  '{ id status caption width height blurhash urls { small medium large } position failureReason createdAt }';

describe('Property.photos and coverPhoto', () => {
  it('a place carries its cover and photos; a page of places loads their photos in one query', async () => {
    const city = uniqueCity();
    const places: Property[] = [];
    for (let i = 0; i < 4; i++) places.push(await createProperty(t.app, host, { address: address(city) }));
    const photoIds = await Promise.all(places.map((p, i) => withPhotos(p.id, i + 1)));

    const one = await graphql(t.app, `query($id: ID!) { property(id: $id) { coverPhoto ${PHOTO} photos ${PHOTO} } }`, {
      id: places[2]!.id,
    });
    expect(one.body.errors).toBeUndefined();
    const detail = one.body.data!.property as {
      coverPhoto: { id: string; urls: { small: string } };
      photos: { id: string }[];
    };
    expect(detail.coverPhoto.id).toBe(photoIds[2]![0]);
    expect(detail.coverPhoto.urls.small).toMatch(new RegExp(`^/media/${places[2]!.id}/[0-9a-f]{64}-320\\.webp$`));
    expect(detail.photos.map((p) => p.id)).toEqual(photoIds[2]);

    queries.length = 0;
    const page = await graphql(
      t.app,
      `
        query ($city: String!) {
          properties(filter: { city: $city }, first: 10) {
            edges {
              node {
                id
                coverPhoto {
                  id
                }
                photos {
                  id
                  position
                }
              }
            }
          }
        }
      `,
      { city },
    );
    expect(page.body.errors).toBeUndefined();
    const nodes = (
      page.body.data!.properties as {
        edges: { node: { id: string; coverPhoto: { id: string }; photos: { id: string }[] } }[];
      }
    ).edges.map((e) => e.node);
    expect(nodes).toHaveLength(4);
    for (const node of nodes) {
      const i = places.findIndex((p) => p.id === node.id);
      expect(node.coverPhoto.id).toBe(photoIds[i]![0]);
      expect(node.photos.map((p) => p.id)).toEqual(photoIds[i]);
    }
    // The photos of the whole page: one statement on the photos table.
    expect(queries.filter((q) => /from "photos"/.test(q) && !/distinct on/i.test(q))).toHaveLength(1);
  });
});

describe('mutations', () => {
  it('updatePhoto, reorderPhotos and deletePhoto, with REST’s errors', async () => {
    const p = await createProperty(t.app, host, { address: address(uniqueCity()) });
    const [a, b] = await withPhotos(p.id, 2);
    const caption = await graphql(
      t.app,
      `mutation($p: ID!, $id: ID!) { updatePhoto(propertyId: $p, photoId: $id, input: { caption: "Garden" }) ${PHOTO} }`,
      { p: p.id, id: b },
      host.auth,
    );
    expect(caption.body.data?.updatePhoto).toMatchObject({ id: b, caption: 'Garden' });

    const foreign = await graphql(
      t.app,
      `
        mutation ($p: ID!, $id: ID!) {
          updatePhoto(propertyId: $p, photoId: $id, input: { caption: "Mine" }) {
            id
          }
        }
      `,
      { p: p.id, id: b },
      otherHost.auth,
    );
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const mismatch = await graphql(
      t.app,
      `
        mutation ($p: ID!, $o: [ID!]!) {
          reorderPhotos(propertyId: $p, order: $o) {
            id
          }
        }
      `,
      { p: p.id, o: [a] },
      host.auth,
    );
    expect(mismatch.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const reordered = await graphql(
      t.app,
      `
        mutation ($p: ID!, $o: [ID!]!) {
          reorderPhotos(propertyId: $p, order: $o) {
            id
            position
          }
        }
      `,
      { p: p.id, o: [b, a] },
      host.auth,
    );
    expect(reordered.body.data?.reorderPhotos).toEqual([
      { id: b, position: 0 },
      { id: a, position: 1 },
    ]);

    const deleted = await graphql(
      t.app,
      `
        mutation ($p: ID!, $id: ID!) {
          deletePhoto(propertyId: $p, photoId: $id)
        }
      `,
      { p: p.id, id: b },
      host.auth,
    );
    expect(deleted.body.data?.deletePhoto).toBe(true);
    const again = await graphql(
      t.app,
      `
        mutation ($p: ID!, $id: ID!) {
          deletePhoto(propertyId: $p, photoId: $id)
        }
      `,
      { p: p.id, id: b },
      host.auth,
    );
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const left = await graphql(
      t.app,
      `
        query ($id: ID!) {
          property(id: $id) {
            coverPhoto {
              id
              position
            }
          }
        }
      `,
      { id: p.id },
    );
    expect(left.body.data?.property).toEqual({ coverPhoto: { id: a, position: 0 } });
  });
});
