import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlEnum, sdl } from '../../graphql/sdl.js';
import { EarningsBalance, ListPayoutsQuery, Payout, PayoutAccount } from './ledger.schemas.js';
import type { LedgerApi } from './ledger.service.js';
import { PAYOUT_STATUSES } from './ledger.table.js';

const payoutStatus = graphqlEnum('PayoutStatus', PAYOUT_STATUSES, {
  about: 'Where a payout stands.',
  values: {
    pending: 'Started; the provider has not confirmed the transfer yet.',
    paid: 'The provider took the transfer.',
    failed: 'Refused or reversed by the provider; the amount is back in the balance.',
  },
});

const problemCodes = [
  'unbalanced_posting',
  'balance_mismatch',
  'capture_mismatch',
  'refund_split_mismatch',
  'over_refunded',
] as const;
const problemCode = graphqlEnum('LedgerProblemCode', problemCodes, {
  about: 'What the ledger check found wrong.',
  values: {
    unbalanced_posting: 'A posting whose entries do not sum to zero in a currency.',
    balance_mismatch: 'A maintained host balance that differs from the sum of its entries.',
    capture_mismatch: "A capture whose split does not match its booking's price.",
    refund_split_mismatch: 'Refunds whose host part does not follow the refund rule.',
    over_refunded: 'More refunded than captured.',
  },
});

export const ledgerTypeDefs = describedFrom(
  { Payout, PayoutAccount, EarningsBalance },
  sdl(
    payoutStatus,
    problemCode,
    /* GraphQL */ `
      "A payout of a host's due balance in one currency."
      type Payout {
        "The payout's id."
        id: ID!
        "The host paid."
        hostId: ID!
        amount: Int!
        currency: String!
        status: PayoutStatus!
        providerReference: String
        "When it was started."
        createdAt: DateTime!
        "When the provider took it."
        paidAt: DateTime
        "Why the provider refused or reversed it."
        failureReason: String
      }
      ${connectionTypeDefs('Payout', 'payout', 'payouts')}

      "A host's payout account at the payment provider."
      type PayoutAccount {
        "The provider: sandbox or stripe."
        provider: String!
        ready: Boolean!
        "When it was made."
        createdAt: DateTime!
      }

      "A payout account and the link where its host finishes onboarding."
      type PayoutAccountLink {
        "The account."
        account: PayoutAccount!
        "Where the host finishes onboarding at the provider."
        onboardingUrl: String!
      }

      "A host's earnings in one currency."
      type EarningsBalance {
        "ISO 4217."
        currency: String!
        pending: Int!
        due: Int!
        inTransit: Int!
        paid: Int!
        balance: Int!
      }

      "Something the ledger check found wrong."
      type LedgerProblem {
        "What is wrong."
        code: LedgerProblemCode!
        "In words."
        message: String!
        "The posting concerned, if one."
        postingId: ID
        "The booking concerned, if one."
        bookingId: ID
        "The payment concerned, if one."
        paymentId: ID
        "The account concerned, if one."
        account: String
      }

      "What the ledger check read."
      type LedgerCheckScanned {
        "Latest postings whose balance was checked."
        postings: Int!
        "Payments checked against their bookings."
        payments: Int!
        "Maintained host balances compared with their entries."
        balances: Int!
      }

      "The result of the ledger check: no problems when the books are sound."
      type LedgerCheck {
        "Empty when the books are sound."
        problems: [LedgerProblem!]!
        "What was read (the check is bounded)."
        scanned: LedgerCheckScanned!
      }

      extend type Query {
        "The caller's payout account (NOT_FOUND payout_account_not_found before openPayoutAccount). Same as GET /v1/me/payout-account."
        myPayoutAccount: PayoutAccount!
        "The caller's earnings as a host, per currency. Same as GET /v1/me/earnings."
        myEarnings: [EarningsBalance!]!
        "The caller's payouts, newest first. Same as GET /v1/me/payouts."
        myPayouts(${pageArguments}): PayoutConnection!
        "Admins: the bounded check of the books. Same as GET /v1/admin/ledger/check."
        ledgerCheck: LedgerCheck!
      }

      extend type Mutation {
        "Hosts: makes the payout account at the provider (once) and answers a fresh onboarding link. Same as POST /v1/me/payout-account."
        openPayoutAccount: PayoutAccountLink!
      }
    `,
  ),
);

type PageArgs = { first?: unknown; after?: unknown };

export function ledgerGraphql(ledger: LedgerApi): {
  typeDefs: string;
  resolvers: IResolvers;
  loaders: MercuriusLoaders;
} {
  return {
    typeDefs: ledgerTypeDefs,
    resolvers: {
      Query: {
        myPayoutAccount: async (_root, _args, ctx: GraphqlContext) => ledger.getPayoutAccount(await requireCaller(ctx)),
        myEarnings: async (_root, _args, ctx: GraphqlContext) =>
          (await ledger.getEarnings(await requireCaller(ctx))).data,
        myPayouts: async (_root, args: PageArgs, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const query = parseInput(
            ListPayoutsQuery,
            { limit: args.first ?? undefined, cursor: args.after ?? undefined },
            '',
          );
          return toConnection(await ledger.listPayouts(query, caller));
        },
        ledgerCheck: async (_root, _args, ctx: GraphqlContext) => ledger.checkLedger(await requireCaller(ctx)),
      },
      Mutation: {
        openPayoutAccount: async (_root, _args, ctx: GraphqlContext) =>
          ledger.openPayoutAccount(await requireCaller(ctx)),
      },
    },
    loaders: {},
  };
}
