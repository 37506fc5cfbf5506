import { sql } from 'drizzle-orm';
import { rowsOf } from '#test/helpers.js';
import { app, db, gql, rest, type Scenario, withProperty, type World } from '#test/parity/kit.js';

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

/** The place's export row as stored (token and hash compared as present), and what the old link answers now. */
async function exportState(w: World) {
  const rows = await rowsOf(db(), sql`select * from ical_exports where property_id = ${w.propertyId}`);
  const old = await app().inject({ url: linkBefore.get(w)! });
  return { rows, oldLinkStatus: old.statusCode };
}

export const scenarios: Scenario[] = [
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
