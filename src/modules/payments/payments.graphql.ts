import type { IResolvers } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId } from '../../graphql/input.js';
import { graphqlEnum, sdl } from '../../graphql/sdl.js';
import { PAYMENT_PROVIDER_NAMES } from '../../platform/payments/index.js';
import type { PaymentsApi } from './payments.service.js';
import { PAYMENT_STATUSES } from './payments.table.js';

const paymentStatus = graphqlEnum('PaymentStatus', PAYMENT_STATUSES);
const paymentProvider = graphqlEnum('PaymentProvider', PAYMENT_PROVIDER_NAMES);

export const paymentsTypeDefs = sdl(
  paymentStatus,
  paymentProvider,
  /* GraphQL */ `
    type Payment {
      id: ID!
      bookingId: ID!
      provider: PaymentProvider!
      status: PaymentStatus!
      "Minor units: the booking's total."
      amount: Int!
      "Minor units refunded so far."
      refundedAmount: Int!
      currency: String!
      "Where to send the guest to pay."
      checkoutUrl: String
      providerReference: String!
      createdAt: String!
      updatedAt: String!
    }

    extend type Query {
      "A payment, for the guest, host or an admin of its booking."
      payment(id: ID!): Payment
    }

    extend type Mutation {
      "Starts paying for a pending booking (its guest); the same rules as POST /v1/bookings/{id}/payments."
      initiatePayment(bookingId: ID!): Payment!
    }
  `,
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
