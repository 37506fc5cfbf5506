import type { IResolvers } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId } from '../../graphql/input.js';
import { describedFrom, graphqlEnum, sdl } from '../../graphql/sdl.js';
import { PAYMENT_PROVIDER_NAMES } from '../../platform/payments/index.js';
import { Payment } from './payments.schemas.js';
import type { PaymentsApi } from './payments.service.js';
import { PAYMENT_STATUSES } from './payments.table.js';

const paymentStatus = graphqlEnum('PaymentStatus', PAYMENT_STATUSES, {
  about: 'Where a payment stands.',
  values: {
    initiated: 'Started; the provider has not reported yet.',
    authorized: 'Authorized, not yet captured: a request to book waits for the host’s answer.',
    succeeded: 'Paid: the booking is confirmed.',
    voided: 'Authorized, then released unpaid: the request was declined, expired or canceled.',
    failed: 'Not paid: the booking stays pending until its hold ends.',
    refunded: 'Paid, then refunded in full.',
    partially_refunded: 'Paid, then refunded in part.',
  },
});
const paymentProvider = graphqlEnum('PaymentProvider', PAYMENT_PROVIDER_NAMES, {
  about: 'Who takes the money.',
  values: {
    sandbox: 'The built-in test provider: no money moves.',
    chapa: 'Chapa.',
    stripe: 'Stripe.',
  },
});

export const paymentsTypeDefs = describedFrom(
  { Payment },
  sdl(
    paymentStatus,
    paymentProvider,
    /* GraphQL */ `
      "A guest's payment for a booking."
      type Payment {
        "The payment's id."
        id: ID!
        "The booking paid for."
        bookingId: ID!
        "Who takes the money."
        provider: PaymentProvider!
        status: PaymentStatus!
        amount: Int!
        refundedAmount: Int!
        currency: String!
        checkoutUrl: String
        providerReference: String!
        "When it was started."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
      }

      extend type Query {
        "A payment, for the guest, host or an admin of its booking."
        payment("The payment's id." id: ID!): Payment
      }

      extend type Mutation {
        "Starts paying for a pending booking (its guest); the same rules as POST /v1/bookings/{id}/payments."
        initiatePayment("The booking's id." bookingId: ID!): Payment!
      }
    `,
  ),
);

export function paymentsGraphql(payments: PaymentsApi): { typeDefs: string; resolvers: IResolvers } {
  return {
    typeDefs: paymentsTypeDefs,
    resolvers: {
      Query: {
        payment: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return payments.getPayment(parseId(args.id), caller);
        },
      },
      Mutation: {
        initiatePayment: async (_root, args: { bookingId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return payments.initiatePayment(parseId(args.bookingId), caller);
        },
      },
    },
  };
}
