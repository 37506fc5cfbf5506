import {
  bookingRows,
  full,
  gql,
  paymentRows,
  rest,
  type Scenario,
  sideEffects,
  withBooking,
} from '#test/parity/kit.js';

/**
 * Checkout (`payment`, the read-back, is compared through this scenario's stored rows): the same over REST and GraphQL
 * (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'initiatePayment',
    kind: 'write',
    setup: withBooking,
    rest: (w) => rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/payments`, as: w.guest }, 201),
    graphql: (w) =>
      gql(w.guest, `mutation($id: ID!) { initiatePayment(bookingId: $id) ${full('Payment')} }`, { id: w.bookingId }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        payments: await paymentRows(w.bookingId),
        booking: await bookingRows(w.bookingId),
        ...(await sideEffects(w.bookingId)),
      };
    },
  },
];
