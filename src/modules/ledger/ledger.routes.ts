import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { CHECK_BALANCES, CHECK_POSTINGS } from './ledger.check.js';
import { STATEMENT_MAX_DAYS } from './ledger.errors.js';
import {
  Earnings,
  LedgerCheck,
  ListPayoutsQuery,
  Payout,
  PayoutAccount,
  PayoutAccountLink,
  StatementQuery,
} from './ledger.schemas.js';
import type { LedgerApi } from './ledger.service.js';
import { STATEMENT_COLUMNS } from './ledger.statement.js';

const bearer = [{ bearerAuth: [] }];

export const ledgerRoutes: FastifyPluginAsyncZod<{ ledger: LedgerApi }> = async (app, { ledger }) => {
  app.post(
    '/v1/me/payout-account',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payouts'],
        operationId: 'openPayoutAccount',
        summary: 'Open your payout account and get its onboarding link (hosts)',
        description:
          'Makes the caller’s payout account at the payment provider on the first call (Stripe: a Connect Express account; sandbox: ready at once) and answers a fresh onboarding link on every call. Earnings are paid out once the account is `ready`. Hosts only (403 `forbidden`); 503 `payouts_unavailable` when the configured provider cannot pay hosts out, 503 `payment_provider_unavailable` when it cannot be reached.',
        security: bearer,
        response: {
          200: PayoutAccountLink,
          ...problemResponses({ 403: ['forbidden'], 503: ['payouts_unavailable', 'payment_provider_unavailable'] }),
        },
      },
    },
    (request) => ledger.openPayoutAccount(request.ctx),
  );

  app.get(
    '/v1/me/payout-account',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payouts'],
        operationId: 'getPayoutAccount',
        summary: 'Your payout account',
        description:
          'The caller’s payout account and whether payouts can go to it (asked of the provider again while onboarding is unfinished). 404 `payout_account_not_found` before `POST /v1/me/payout-account`.',
        security: bearer,
        response: {
          200: PayoutAccount,
          ...problemResponses({ 404: ['payout_account_not_found'], 503: ['payment_provider_unavailable'] }),
        },
      },
    },
    (request) => ledger.getPayoutAccount(request.ctx),
  );

  app.get(
    '/v1/me/earnings',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payouts'],
        operationId: 'getEarnings',
        summary: 'Your earnings as a host, per currency',
        description:
          'Per currency: `pending` (stays whose earnings are not due yet: due 24 h after check-in), `due` (the next payout; negative after a refund of a stay already paid out, settled by later earnings first), `inTransit`, `paid` and `balance`. A stay earns subtotal − discount + cleaning fee − the host fee (HOST_FEE_PERCENT of that). Empty for a user who never earned.',
        security: bearer,
        response: { 200: Earnings },
      },
    },
    (request) => ledger.getEarnings(request.ctx),
  );

  app.get(
    '/v1/me/payouts',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payouts'],
        operationId: 'listPayouts',
        summary: 'Your payouts, newest first',
        description: 'Keyset paginated (`limit`, `cursor`). 422 `invalid_cursor` for a cursor this list did not give.',
        security: bearer,
        querystring: ListPayoutsQuery,
        response: { 200: pageSchema(Payout), ...problemResponses({ 422: ['invalid_cursor'] }) },
      },
    },
    async (request) => {
      const { data, page } = await ledger.listPayouts(request.query, request.ctx);
      return { data, page };
    },
  );

  app.get(
    '/v1/me/earnings/statement',
    {
      config: { auth: 'required', responseHeaders: { 200: ['Content-Disposition', 'Cache-Control'] } },
      schema: {
        tags: ['payouts'],
        operationId: 'exportEarningsStatement',
        summary: 'Download your earnings statement (CSV)',
        description:
          `Every movement of the caller’s host balance made in [\`from\`, \`to\`) (UTC days, at most ${STATEMENT_MAX_DAYS}), oldest first, as an RFC 4180 CSV download streamed page by page: a header row, then one row per movement ` +
          `(columns: ${STATEMENT_COLUMNS.join(', ')}). \`amount\` is signed, in minor units: earnings and returned payouts positive, refunds and payouts negative; \`dueAt\` is when it counts as due. ` +
          'A text cell starting with = + - @, tab or CR gets a leading apostrophe. 422 when `to` is not after `from` or the window is too long.',
        security: bearer,
        querystring: StatementQuery,
        response: {
          200: {
            description: 'The statement, streamed.',
            content: {
              'text/csv': { schema: z.string().describe('CSV text: a header row, then one row per movement.') },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const abort = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const { filename, chunks } = ledger.statement(request.query, request.ctx, abort.signal);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store');
      return reply.send(Readable.from(chunks, { objectMode: false }) as unknown as string);
    },
  );

  app.get(
    '/v1/admin/ledger/check',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payouts'],
        operationId: 'getLedgerCheck',
        summary: 'Check the books (admins)',
        description: `Bounded: the latest ${CHECK_POSTINGS} postings each sum to zero per currency; every payment they name is checked whole against its booking's price (the host's and the platform's parts of the capture) and its refunds (never more than captured; the host's part by the refund rule); the first ${CHECK_BALANCES} maintained host balances equal the sums of their entries. \`problems\` is empty when the books are sound. Admins only (403).`,
        security: bearer,
        response: { 200: LedgerCheck, ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => ledger.checkLedger(request.ctx),
  );
};
