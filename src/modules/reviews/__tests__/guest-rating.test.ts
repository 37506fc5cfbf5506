import { beforeAll, describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { graphql, register, registerAdmin, type Session } from '#test/helpers.js';
import { bookStay, SANDBOX_SECRET, useTimeTravel } from '#test/kit/scenario.js';
import { sandboxEvent, signSandboxEvent } from '../../../platform/payments/index.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../../payments/index.js';

// The guest's rating where hosts see it: on the booking a host reads (REST and GraphQL; not
// the guest, not admins) and in the request-to-book e-mail to the host, sent to a real SMTP
// server. Only published host reviews count.

const t = useTimeTravel();
let host: Session;
let otherHost: Session;
let guest: Session;
let admin: Session;
let requestPlace: string;
let nextDay = 20;

beforeAll(async () => {
  [host, otherHost, guest] = await Promise.all([
    register(t.app, { role: 'host', firstName: 'Hana' }),
    register(t.app, { role: 'host' }),
    register(t.app, { firstName: 'Gil' }),
  ]);
  admin = await registerAdmin(t);
  requestPlace = (await createProperty(t.app, host, { title: 'Quiet loft', bookingMode: 'request' })).id;
});

/** The guest asks to book the request place: booked, then the card authorized through the sandbox. */
async function requestToBook(): Promise<Booking> {
  const start = (nextDay += 3);
  const booking = await bookStay(t.app, guest, {
    propertyId: requestPlace,
    checkIn: inDays(start),
    checkOut: inDays(start + 2),
  });
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
  expect(res.statusCode, res.body).toBe(201);
  const event = sandboxEvent(res.json<Payment>().providerReference, 'authorized');
  const { body, headers } = signSandboxEvent(SANDBOX_SECRET, event);
  expect(
    (await t.app.inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body })).statusCode,
  ).toBe(200);
  return booking;
}

async function requestMail(booking: Booking) {
  await t.runJobs();
  return t.smtp.waitFor(
    (m) =>
      m.headers.to === host.user.email &&
      /^Booking request:/.test(m.headers.subject ?? '') &&
      m.text.includes(booking.checkIn),
  );
}

const review = (path: string, bookingId: string, rating: number, who: Session) =>
  t.app.inject({ method: 'POST', url: `/v1/bookings/${bookingId}/${path}`, headers: who.auth, payload: { rating } });

const detail = (id: string, who: Session) =>
  t.app.inject({ url: `/v1/bookings/${id}`, headers: who.auth }).then((r) => r.json<{ guestRating: unknown }>());

const GUEST_RATING = /* GraphQL */ `
  query ($id: ID!) {
    booking(id: $id) {
      guestRating {
        average
        count
      }
    }
  }
`;

describe('the guest rating hosts see', () => {
  it('no reviews yet, then only published host reviews: on the host’s booking and in the request e-mail', async () => {
    const first = await requestToBook();
    const mail = await requestMail(first);
    expect(mail.text).toContain('Guest rating: no reviews yet');
    expect(await detail(first.id, host)).toMatchObject({ guestRating: { average: null, count: 0 } });

    // Another host reviews the guest of a past stay: not counted until published.
    const past = await createProperty(t.app, otherHost, {});
    const [stay] = await completedStays(t.container.database.db, {
      propertyId: past.id,
      hostId: otherHost.user.id,
      guestIds: [guest.user.id],
      checkOutDaysAgo: 2,
    });
    expect((await review('guest-review', stay!.id, 4, otherHost)).statusCode).toBe(201);
    expect(await detail(first.id, host)).toMatchObject({ guestRating: { average: null, count: 0 } });
    expect((await review('review', stay!.id, 5, guest)).statusCode).toBe(201);

    const rated = { average: 4, count: 1 };
    expect(await detail(first.id, host)).toMatchObject({ guestRating: rated });
    // The guest and admins read the booking without it.
    expect(await detail(first.id, guest)).toMatchObject({ guestRating: null });
    expect(await detail(first.id, admin)).toMatchObject({ guestRating: null });
    const asHost = await graphql(t.app, GUEST_RATING, { id: first.id }, host.auth);
    expect(asHost.body.data?.booking).toEqual({ guestRating: rated });
    const asGuest = await graphql(t.app, GUEST_RATING, { id: first.id }, guest.auth);
    expect(asGuest.body.data?.booking).toEqual({ guestRating: null });

    const second = await requestToBook();
    const again = await requestMail(second);
    expect(again.text).toContain('Guest rating: 4.00 out of 5 from hosts (1 review).');
    expect(again.html).toContain('Guest rating: 4.00 out of 5 from hosts (1 review).');
  });
});
