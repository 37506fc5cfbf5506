import { sql } from 'drizzle-orm';
import { sandboxPaymentSucceeded } from '#test/factories/payments.js';
import { PASSWORD, register, rowsOf, toSession, type Session } from '#test/helpers.js';
import { app, asRestPage, db, full, gql, rest, type Scenario, withBooking, type World } from '#test/parity/kit.js';

/**
 * Ledger and payouts, the same over REST and GraphQL (run by test/parity/rest-graphql.test.ts).
 * Deliberate differences: REST answers earnings as `{ data: [...] }`, GraphQL `myEarnings` the
 * list itself; the scenarios compare the list. The CSV statement is a download with no
 * GraphQL side.
 */

const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** The world's booking, paid through the sandbox: the host has earnings (pending). */
async function withPaidStay(w: World) {
  await withBooking(w);
  const payment = (await rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/payments`, as: w.guest }, 201)) as {
    providerReference: string;
  };
  await sandboxPaymentSucceeded(app(), WEBHOOK_SECRET, payment.providerReference);
}

async function withPayoutAccount(w: World) {
  await withPaidStay(w);
  await rest({ method: 'POST', url: '/v1/me/payout-account', as: w.host }, 200);
}

const admins = new WeakMap<World, Session>();
/** An admin: registered, made admin in the table, signed in again (the role is in the token). */
async function withAdmin(w: World) {
  await withPaidStay(w);
  const user = await register(app());
  await db().execute(sql`update users set role = 'admin' where id = ${user.user.id}`);
  const res = await app().inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: user.user.email, password: PASSWORD },
  });
  admins.set(w, toSession(res));
}

const accountRows = (w: World) =>
  rowsOf(db(), sql`select provider, ready from payout_accounts where host_id = ${w.host.user.id}`);

export const scenarios: Scenario[] = [
  {
    name: 'openPayoutAccount: the host’s sandbox account, ready at once, with its link',
    kind: 'write',
    setup: withPaidStay,
    rest: (w) => rest({ method: 'POST', url: '/v1/me/payout-account', as: w.host }, 200),
    graphql: (w) => gql(w.host, `mutation { openPayoutAccount ${full('PayoutAccountLink')} }`),
    stored: (w) => accountRows(w),
  },
  {
    name: 'myPayoutAccount: the host reads what GET /v1/me/payout-account answers',
    kind: 'read',
    setup: withPayoutAccount,
    rest: (w) => rest({ method: 'GET', url: '/v1/me/payout-account', as: w.host }, 200),
    graphql: (w) => gql(w.host, `{ myPayoutAccount ${full('PayoutAccount')} }`),
  },
  {
    name: 'myEarnings: the host’s pending earnings per currency',
    kind: 'read',
    setup: withPaidStay,
    rest: async (w) =>
      ((await rest({ method: 'GET', url: '/v1/me/earnings', as: w.host }, 200)) as { data: unknown }).data,
    graphql: (w) => gql(w.host, `{ myEarnings ${full('EarningsBalance')} }`),
  },
  {
    name: 'myPayouts: the host’s payouts page (none yet)',
    kind: 'read',
    setup: withPayoutAccount,
    rest: (w) => rest({ method: 'GET', url: '/v1/me/payouts?limit=5', as: w.host }, 200),
    graphql: async (w) =>
      asRestPage(
        await gql(
          w.host,
          `{ myPayouts(first: 5) { edges { cursor node ${full('Payout')} } pageInfo { hasNextPage endCursor } } }`,
        ),
      ),
  },
  {
    name: 'ledgerCheck: an admin checks the books',
    kind: 'read',
    setup: withAdmin,
    rest: async (w) => {
      const check = (await rest({ method: 'GET', url: '/v1/admin/ledger/check', as: admins.get(w) }, 200)) as {
        problems: unknown[];
      };
      return check.problems;
    },
    graphql: async (w) =>
      ((await gql(admins.get(w), `{ ledgerCheck ${full('LedgerCheck')} }`)) as { problems: unknown[] }).problems,
  },
];
