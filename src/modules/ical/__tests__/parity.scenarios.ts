import { sql } from 'drizzle-orm';
import { rowsOf } from '#test/helpers.js';
import { app, db, full, gql, rest, type Scenario, withProperty, type World } from '#test/parity/kit.js';

/**
 * iCal: the host's feed link (REST GET /v1/properties/{id}/ical, GraphQL Property.icalUrl)
 * and its rotation, the same over REST and GraphQL (run by test/parity/rest-graphql.test.ts).
 * Deliberate difference: REST answers `{ url }`, the GraphQL mutation the URL itself; the
 * scenarios compare the URL. The feed itself is not an API answer: it has no GraphQL side.
 */

/** The feed path each world's link had before the call. */
const linkBefore = new WeakMap<World, string>();

async function withLink(w: World) {
  await withProperty(w);
  const { url } = (await rest({ method: 'GET', url: `/v1/properties/${w.propertyId}/ical`, as: w.host }, 200)) as {
    url: string;
  };
  linkBefore.set(w, new URL(url).pathname);
}

const importIds = async (w: World) =>
  (await rowsOf<{ id: string }>(db(), sql`select id from ical_imports where property_id = ${w.propertyId}`)).map(
    (r) => r.id,
  );

/** The place's export row as stored (token and hash compared as present), and what the old link answers now. */
async function exportState(w: World) {
  const rows = await rowsOf(db(), sql`select * from ical_exports where property_id = ${w.propertyId}`);
  const old = await app().inject({ url: linkBefore.get(w)! });
  return { rows, oldLinkStatus: old.statusCode };
}

/** Imports of the world's place: a loopback URL, never fetched (the parity app runs no jobs, and refuses private addresses). */
const FEED = { url: 'http://127.0.0.1:9/parity.ics', name: 'Other site' };

async function withImport(w: World) {
  await withProperty(w);
  const created = (await rest(
    { method: 'POST', url: `/v1/properties/${w.propertyId}/ical/imports`, as: w.host, payload: FEED },
    201,
  )) as { id: string };
  w.name(created.id, 'import');
}

/** The place's imports as stored (ids and times compared as named or present). */
const importRows = (w: World) =>
  rowsOf(
    db(),
    sql`select name, url, status, event_count, ranges from ical_imports where property_id = ${w.propertyId} order by created_at`,
  );

export const scenarios: Scenario[] = [
  {
    name: 'addIcalImport: a feed added, its first sync queued',
    kind: 'write',
    setup: withProperty,
    rest: async (w) => {
      const created = (await rest(
        { method: 'POST', url: `/v1/properties/${w.propertyId}/ical/imports`, as: w.host, payload: FEED },
        201,
      )) as { id: string };
      w.name(created.id, 'import');
      return created;
    },
    graphql: async (w) => {
      const created = (await gql(
        w.host,
        `mutation($id: ID!, $input: CreateIcalImportInput!) { addIcalImport(propertyId: $id, input: $input) ${full('IcalImport')} }`,
        { id: w.propertyId, input: FEED },
      )) as { id: string };
      w.name(created.id, 'import');
      return created;
    },
    stored: (w) => importRows(w),
  },
  {
    name: 'Property.icalImports: the host reads what GET /v1/properties/{id}/ical/imports lists',
    kind: 'read',
    setup: withImport,
    rest: async (w) =>
      (
        (await rest({ method: 'GET', url: `/v1/properties/${w.propertyId}/ical/imports`, as: w.host }, 200)) as {
          data: unknown[];
        }
      ).data,
    graphql: async (w) =>
      (
        (await gql(w.host, `query($id: ID!) { property(id: $id) { icalImports ${full('IcalImport')} } }`, {
          id: w.propertyId,
        })) as { icalImports: unknown[] }
      ).icalImports,
  },
  {
    name: 'syncIcalImport: a sync queued at once',
    kind: 'write',
    setup: withImport,
    rest: async (w) => {
      const [feed] = await importIds(w);
      return rest({ method: 'POST', url: `/v1/properties/${w.propertyId}/ical/imports/${feed}/sync`, as: w.host }, 202);
    },
    graphql: async (w) => {
      const [feed] = await importIds(w);
      return gql(
        w.host,
        `mutation($id: ID!, $f: ID!) { syncIcalImport(propertyId: $id, importId: $f) ${full('IcalImport')} }`,
        { id: w.propertyId, f: feed },
      );
    },
    stored: async (w) =>
      rowsOf(
        db(),
        sql`select count(*)::int as n from jobs where kind = 'ical.sync-feed' and payload->>'importId' in (select id::text from ical_imports where property_id = ${w.propertyId})`,
      ),
  },
  {
    name: 'removeIcalImport: the feed gone',
    kind: 'write',
    setup: withImport,
    rest: async (w) => {
      const [feed] = await importIds(w);
      return rest({ method: 'DELETE', url: `/v1/properties/${w.propertyId}/ical/imports/${feed}`, as: w.host }, 204);
    },
    graphql: async (w) => {
      const [feed] = await importIds(w);
      const removed = await gql(
        w.host,
        'mutation($id: ID!, $f: ID!) { removeIcalImport(propertyId: $id, importId: $f) }',
        {
          id: w.propertyId,
          f: feed,
        },
      );
      return removed === true ? null : removed;
    },
    stored: (w) => importRows(w),
  },
  {
    name: 'rotateIcalToken: a new URL, the old one dead',
    kind: 'write',
    setup: withLink,
    rest: async (w) => {
      const { url } = (await rest(
        { method: 'POST', url: `/v1/properties/${w.propertyId}/ical/rotate`, as: w.host },
        200,
      )) as { url: string };
      return w.name(url, 'ical-url');
    },
    graphql: async (w) =>
      w.name(
        (await gql(w.host, 'mutation($id: ID!) { rotateIcalToken(propertyId: $id) }', { id: w.propertyId })) as string,
        'ical-url',
      ),
    stored: (w) => exportState(w),
  },
  {
    name: 'Property.icalUrl: the host reads the link GET /v1/properties/{id}/ical answers',
    kind: 'read',
    setup: withLink,
    rest: async (w) =>
      ((await rest({ method: 'GET', url: `/v1/properties/${w.propertyId}/ical`, as: w.host }, 200)) as { url: string })
        .url,
    graphql: async (w) =>
      (
        (await gql(w.host, 'query($id: ID!) { property(id: $id) { icalUrl } }', { id: w.propertyId })) as {
          icalUrl: string;
        }
      ).icalUrl,
  },
];
