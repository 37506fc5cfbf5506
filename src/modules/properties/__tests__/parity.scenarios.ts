import { expect } from 'vitest';
import { address, createProperty, inDays, propertyInput } from '#test/factories/properties.js';
import { sql } from 'drizzle-orm';
import { rowsOf } from '#test/helpers.js';
import {
  app,
  asRestPage,
  calendarRows,
  db,
  full,
  gql,
  propertyRows,
  rest,
  type Scenario,
  sideEffects,
  withHost,
  withProperty,
} from '#test/parity/kit.js';

/**
 * Listings: writes, the calendar, details as each reader sees them, and search: the same over REST and GraphQL
 * (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'createProperty',
    kind: 'write',
    setup: withHost,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/properties', as: w.host, payload: propertyInput({ amenities: ['wifi'] }) }, 201),
    graphql: (w) =>
      gql(w.host, `mutation($i: CreatePropertyInput!) { createProperty(input: $i) ${full('Property')} }`, {
        i: propertyInput({ amenities: ['wifi'] }),
      }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return { property: await propertyRows(answer.id), ...(await sideEffects(answer.id)) };
    },
  },
  {
    name: 'updateProperty',
    kind: 'write',
    setup: withProperty,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: `/v1/properties/${w.propertyId}`,
          as: w.host,
          payload: { title: 'A brighter flat', nightlyPrice: 12_345, address: { postalCode: '1100-001' } },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) ${full('Property')} }`,
        {
          id: w.propertyId,
          i: { title: 'A brighter flat', nightlyPrice: 12_345, address: { postalCode: '1100-001' } },
        },
      ),
    stored: async (w) => ({ property: await propertyRows(w.propertyId) }),
  },
  {
    name: 'deleteProperty',
    kind: 'write',
    setup: withProperty,
    rest: async (w) => {
      await rest({ method: 'DELETE', url: `/v1/properties/${w.propertyId}`, as: w.host }, 204);
      return true;
    },
    graphql: (w) => gql(w.host, 'mutation($id: ID!) { deleteProperty(id: $id) }', { id: w.propertyId }),
    stored: async (w) => ({
      property: await propertyRows(w.propertyId),
      detail: (await app().inject({ url: `/v1/properties/${w.propertyId}` })).statusCode,
      ...(await sideEffects(w.propertyId)),
    }),
  },
  {
    name: 'blockDates',
    kind: 'write',
    setup: withProperty,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/properties/${w.propertyId}/blocks`,
          as: w.host,
          payload: { start: inDays(10), end: inDays(14), note: 'Painting' },
        },
        201,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: BlockDatesInput!) { blockDates(propertyId: $id, input: $i) ${full('Block')} }`,
        {
          id: w.propertyId,
          i: { start: inDays(10), end: inDays(14), note: 'Painting' },
        },
      ),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return { calendar: await calendarRows(w.propertyId) };
    },
  },
  {
    name: 'property detail, as a guest (location redacted)',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ url: `/v1/properties/${w.propertyId}`, as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `query($id: ID!) { property(id: $id) ${full('Property')} }`, { id: w.propertyId }),
  },
  {
    name: 'property detail, as its host (exact)',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ url: `/v1/properties/${w.propertyId}`, as: w.host }, 200),
    graphql: (w) => gql(w.host, `query($id: ID!) { property(id: $id) ${full('Property')} }`, { id: w.propertyId }),
  },
  {
    name: 'properties search: same ids, order and page boundaries, cursors interchangeable',
    kind: 'read',
    setup: async (w) => {
      await withProperty(w);
      for (const price of [9_000, 11_000, 12_000, 15_000]) {
        await createProperty(app(), w.host, { address: address(w.city), nightlyPrice: price });
      }
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ city: w.city, sort: 'price_asc', limit: '2', ...(cursor ? { cursor } : {}) });
        const page = (await rest({ url: `/v1/properties?${qs.toString()}`, as: w.guest }, 200)) as {
          page: { nextCursor: string | null };
        };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($f: PropertyFilter, $after: String) {
        properties(filter: $f, first: 2, after: $after) ${full('PropertyConnection')}
      }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const page = asRestPage(await gql(w.guest, query, { f: { city: w.city, sort: 'price_asc' }, after }));
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: unknown[] }[]) => {
      // Three pages of 2, 2 and 1: the walk above did go past the first page.
      expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
      return null;
    },
  },
  {
    name: 'setCalendarPrices',
    kind: 'write',
    setup: async (w) => {
      await withProperty(w);
      // An override the write splits, so both transports trim and split alike.
      await rest(
        {
          method: 'PUT',
          url: `/v1/properties/${w.propertyId}/calendar/prices`,
          as: w.host,
          payload: { ranges: [{ start: inDays(20), end: inDays(30), nightlyPrice: 15_000 }] },
        },
        200,
      );
    },
    rest: (w) =>
      rest(
        {
          method: 'PUT',
          url: `/v1/properties/${w.propertyId}/calendar/prices`,
          as: w.host,
          payload: { ranges: PRICE_RANGES },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: SetCalendarPricesInput!) { setCalendarPrices(propertyId: $id, input: $i) ${full('CalendarPrices')} }`,
        { id: w.propertyId, i: { ranges: PRICE_RANGES } },
      ),
    stored: async (w) => ({
      overrides: await rowsOf(
        db(),
        sql`select start_date, end_date, nightly_price, min_nights from property_price_overrides
            where property_id = ${w.propertyId} order by start_date`,
      ),
    }),
  },
  {
    name: 'property calendar: each night with its price, availability and minimum stay',
    kind: 'read',
    setup: async (w) => {
      await withProperty(w);
      await rest(
        {
          method: 'PUT',
          url: `/v1/properties/${w.propertyId}/calendar/prices`,
          as: w.host,
          payload: { ranges: PRICE_RANGES },
        },
        200,
      );
      await rest(
        {
          method: 'POST',
          url: `/v1/properties/${w.propertyId}/blocks`,
          as: w.host,
          payload: { start: inDays(23), end: inDays(25) },
        },
        201,
      );
    },
    rest: async (w) =>
      (
        (await rest(
          { url: `/v1/properties/${w.propertyId}/calendar?from=${inDays(18)}&to=${inDays(32)}`, as: w.guest },
          200,
        )) as {
          nights: unknown;
        }
      ).nights,
    graphql: async (w) =>
      (
        (await gql(
          w.guest,
          `query($id: ID!, $from: Date!, $to: Date!) { property(id: $id) { calendar(from: $from, to: $to) ${full('CalendarNight')} } }`,
          {
            id: w.propertyId,
            from: inDays(18),
            to: inDays(32),
          },
        )) as { calendar: unknown }
      ).calendar,
  },
];

/** A write that splits one override, sets a minimum stay on its own and clears nights. */
const PRICE_RANGES = [
  { start: inDays(22), end: inDays(24), nightlyPrice: 20_000, minNights: 2 },
  { start: inDays(26), end: inDays(27), minNights: 3 },
  { start: inDays(28), end: inDays(29) },
];
