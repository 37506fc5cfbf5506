import { sql } from 'drizzle-orm';
import { rowsOf } from '#test/helpers.js';
import { asRestPage, db, full, gql, rest, type Scenario, withHost, type World } from '#test/parity/kit.js';

/**
 * Webhooks: endpoints, their secrets and deliveries, and the events feed, the same over REST
 * and GraphQL (run by test/parity/rest-graphql.test.ts). Deliberate differences: GraphQL's
 * `Event.data` is JSON text (parsed here), and its event list is a connection whose cursor is
 * the event's seq; REST's `page.nextAfter` is that cursor as a number.
 */

const HOOK = { url: 'https://partner.example.com/hooks/staylane', events: ['booking.created', 'booking.canceled'] };

async function withEndpoint(w: World) {
  await withHost(w);
  const created = (await rest({ method: 'POST', url: '/v1/webhooks', as: w.host, payload: HOOK }, 201)) as {
    endpoint: { id: string };
  };
  w.name(created.endpoint.id, 'webhook');
}

const endpointId = (w: World) => [...w.names].find(([, name]) => name === '<webhook>')![0];

const endpointRows = (w: World) =>
  rowsOf(
    db(),
    sql`select url, description, event_types, all_events, secret, previous_secret, cursor_seq, disabled_at from webhook_endpoints where owner_id = ${w.host.user.id} order by created_at`,
  );

/** An endpoint with one delivery of an event about its owner (written directly: the parity app runs no jobs). */
async function withDelivery(w: World) {
  await withEndpoint(w);
  const [event] = await rowsOf<{ id: string; seq: string }>(
    db(),
    sql`insert into events (seq, type, data, host_ids) values ((select coalesce(max(seq), 0) + 1 from events), 'booking.created', '{"n":1}', array[${w.host.user.id}]::uuid[]) returning id, seq`,
  );
  const [delivery] = await rowsOf<{ id: string }>(
    db(),
    sql`insert into webhook_deliveries (endpoint_id, event_id, seq, event_type, status, response_status) values (${endpointId(w)}, ${event!.id}, ${event!.seq}, 'booking.created', 'succeeded', 204) returning id`,
  );
  w.name(event!.id, 'event');
  w.name(delivery!.id, 'delivery');
}

const anySeq = (answer: unknown) => ({ ...(answer as Record<string, unknown>), seq: '<seq>' });

const deliveryId = (w: World) => [...w.names].find(([, name]) => name === '<delivery>')![0];

export const scenarios: Scenario[] = [
  {
    name: 'createWebhook: an endpoint and its secret, once',
    kind: 'write',
    setup: withHost,
    rest: async (w) => {
      const created = (await rest({ method: 'POST', url: '/v1/webhooks', as: w.host, payload: HOOK }, 201)) as {
        endpoint: { id: string };
      };
      w.name(created.endpoint.id, 'webhook');
      return created;
    },
    graphql: async (w) => {
      const created = (await gql(
        w.host,
        `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) ${full('WebhookSecret')} }`,
        { input: HOOK },
      )) as { endpoint: { id: string } };
      w.name(created.endpoint.id, 'webhook');
      return created;
    },
    stored: (w) => endpointRows(w),
  },
  {
    name: 'webhooks: the caller’s endpoints',
    kind: 'read',
    setup: withEndpoint,
    rest: async (w) =>
      ((await rest({ method: 'GET', url: '/v1/webhooks', as: w.host }, 200)) as { data: unknown[] }).data,
    graphql: (w) => gql(w.host, `query { webhooks ${full('WebhookEndpoint')} }`),
  },
  {
    name: 'webhook: one endpoint',
    kind: 'read',
    setup: withEndpoint,
    rest: (w) => rest({ method: 'GET', url: `/v1/webhooks/${endpointId(w)}`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `query($id: ID!) { webhook(id: $id) ${full('WebhookEndpoint')} }`, { id: endpointId(w) }),
  },
  {
    name: 'updateWebhook: types and description changed',
    kind: 'write',
    setup: withEndpoint,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: `/v1/webhooks/${endpointId(w)}`,
          as: w.host,
          payload: { events: ['booking.completed'], description: 'Ops' },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) ${full('WebhookEndpoint')} }`,
        { id: endpointId(w), input: { events: ['booking.completed'], description: 'Ops' } },
      ),
    stored: (w) => endpointRows(w),
  },
  {
    name: 'rotateWebhookSecret: a new secret, the old one signing beside it',
    kind: 'write',
    setup: withEndpoint,
    rest: (w) => rest({ method: 'POST', url: `/v1/webhooks/${endpointId(w)}/rotate-secret`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `mutation($id: ID!) { rotateWebhookSecret(id: $id) ${full('WebhookSecret')} }`, {
        id: endpointId(w),
      }),
    stored: (w) => endpointRows(w),
  },
  {
    name: 'deleteWebhook: the endpoint gone',
    kind: 'write',
    setup: withEndpoint,
    rest: (w) => rest({ method: 'DELETE', url: `/v1/webhooks/${endpointId(w)}`, as: w.host }, 204),
    graphql: async (w) => {
      const deleted = await gql(w.host, 'mutation($id: ID!) { deleteWebhook(id: $id) }', { id: endpointId(w) });
      return deleted === true ? null : deleted;
    },
    stored: (w) => endpointRows(w),
  },
  {
    name: 'webhookDeliveries: an endpoint’s deliveries',
    kind: 'read',
    setup: withDelivery,
    rest: (w) => rest({ method: 'GET', url: `/v1/webhooks/${endpointId(w)}/deliveries`, as: w.host }, 200),
    graphql: async (w) =>
      asRestPage(
        await gql(
          w.host,
          `query($id: ID!) { webhookDeliveries(id: $id) { edges { cursor node ${full('WebhookDelivery')} } pageInfo { hasNextPage endCursor } } }`,
          { id: endpointId(w) },
        ),
      ),
  },
  {
    name: 'redeliverWebhookDelivery: the event queued to be sent again',
    kind: 'write',
    setup: withDelivery,
    // The event's seq differs between the two runs' fresh data: compared as present.
    rest: async (w) =>
      anySeq(
        await rest(
          { method: 'POST', url: `/v1/webhooks/${endpointId(w)}/deliveries/${deliveryId(w)}/redeliver`, as: w.host },
          202,
        ),
      ),
    graphql: async (w) =>
      anySeq(
        await gql(
          w.host,
          `mutation($id: ID!, $d: ID!) { redeliverWebhookDelivery(id: $id, deliveryId: $d) ${full('WebhookDelivery')} }`,
          { id: endpointId(w), d: deliveryId(w) },
        ),
      ),
    stored: (w) =>
      rowsOf(
        db(),
        sql`select count(*)::int as n from jobs where kind = 'webhooks.redeliver' and payload->>'deliveryId' = ${deliveryId(w)}`,
      ),
  },
  {
    name: 'events: the host’s events after a seq',
    kind: 'read',
    setup: withDelivery,
    rest: async (w) =>
      ((await rest({ method: 'GET', url: '/v1/events?types=booking.created', as: w.host }, 200)) as { data: unknown[] })
        .data,
    graphql: async (w) => {
      const page = asRestPage(
        await gql(
          w.host,
          `query { events(types: ["booking.created"]) { edges { cursor node ${full('Event')} } pageInfo { hasNextPage endCursor } } }`,
        ),
      );
      return (page.data as { data: string }[]).map((e) => ({ ...e, data: JSON.parse(e.data) as unknown }));
    },
  },
];
