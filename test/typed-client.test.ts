import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaylaneClient, type Schemas, type StaylaneClient } from '../clients/ts/index.js';
import { uniqueEmail } from '#test/helpers.js';
import { useTimeTravel } from '#test/kit/scenario.js';

/**
 * The typed client (clients/ts) drives a whole stay over real HTTP, as a front end would:
 * sign up, become a host, list a place, search, quote, book with an Idempotency-Key, pay on
 * the sandbox's checkout page, talk, let the stay end, review. This file is type-checked
 * with the rest (`npm run typecheck`), so a call the API does not have fails the build.
 */

let base = '';
beforeAll(async () => {
  // The sandbox checkout posts its webhook to PUBLIC_URL: the port is known before the app.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  base = `http://127.0.0.1:${port}`;
});
const t = useTimeTravel({ env: () => ({ PUBLIC_URL: base }) });
beforeAll(async () => {
  await t.app.listen({ port: Number(new URL(base).port), host: '127.0.0.1' });
});

/** The RegisterInput example's password: the published example must be one the server takes. */
const PASSWORD = 'tangerine-harbour-lantern-42';

async function signUp(
  anon: StaylaneClient,
  firstName: string,
): Promise<{ api: StaylaneClient; user: Schemas['User'] }> {
  const { data, error, response } = await anon.POST('/v1/auth/register', {
    body: { email: uniqueEmail(firstName.toLowerCase()), password: PASSWORD, firstName, lastName: 'Tester' },
  });
  expect(error, JSON.stringify(error)).toBeUndefined();
  expect(response.status).toBe(201);
  expect(response.headers.get('location')).toBe('/v1/me');
  let token = data!.accessToken;
  const api = createStaylaneClient(base, { token: () => token });
  // A refreshed token is picked up by the same client.
  const refreshed = await anon.POST('/v1/auth/refresh', { body: { refreshToken: data!.refreshToken } });
  token = refreshed.data!.accessToken;
  return { api, user: data!.user };
}

describe('the typed client', () => {
  it('books, pays, messages and reviews a whole stay over HTTP', async () => {
    const anon = createStaylaneClient(base);

    // A host lists a place.
    const { api: host } = await signUp(anon, 'Amara');
    const became = await host.POST('/v1/me/become-host');
    expect(became.data?.role).toBe('host');
    const listed = await host.POST('/v1/properties', {
      body: {
        title: 'Sunny flat by the river',
        description: 'Two bedrooms near the old town.',
        propertyType: 'apartment',
        address: { line1: 'Rua das Flores 12', city: 'Lisbon', country: 'PT' },
        latitude: 38.7107,
        longitude: -9.1427,
        timezone: 'Europe/Lisbon',
        currency: 'EUR',
        nightlyPrice: 12_500,
        maxGuests: 4,
        status: 'listed',
      },
    });
    expect(listed.response.status).toBe(201);
    const place = listed.data!;
    expect(listed.response.headers.get('location')).toBe(`/v1/properties/${place.id}`);
    expect(place.address.region).toBe('');

    // A guest finds it and prices a stay: in two days, for two nights.
    const { api: guest } = await signUp(anon, 'Bruno');
    const found = await anon.GET('/v1/properties', { params: { query: { city: 'Lisbon', guests: 2 } } });
    expect(found.data?.data.map((p) => p.id)).toContain(place.id);
    const detail = await anon.GET('/v1/properties/{id}', { params: { path: { id: place.id } } });
    expect(detail.response.headers.get('etag')).toMatch(/^"/);
    const today = DateTime.now().setZone('Europe/Lisbon');
    const stay = {
      propertyId: place.id,
      checkIn: today.plus({ days: 2 }).toISODate()!,
      checkOut: today.plus({ days: 4 }).toISODate()!,
      guests: 2,
    };
    const quote = await guest.POST('/v1/bookings/quote', { body: stay });
    expect(quote.data).toMatchObject({ available: true, nights: 2, currency: 'EUR' });

    // Booking is safe to retry with the same Idempotency-Key.
    const key = randomUUID();
    const book = () => guest.POST('/v1/bookings', { body: stay, params: { header: { 'idempotency-key': key } } });
    const booked = await book();
    expect(booked.response.status).toBe(201);
    const booking = booked.data!;
    expect(booking).toMatchObject({ status: 'pending', price: { total: quote.data!.price.total } });
    const replayed = await book();
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.data?.id).toBe(booking.id);

    // Pay on the sandbox's hosted checkout page, as the guest's browser would.
    const started = await guest.POST('/v1/bookings/{id}/payments', { params: { path: { id: booking.id } } });
    expect(started.response.status).toBe(201);
    const checkoutUrl = started.data!.checkoutUrl!;
    expect(checkoutUrl.startsWith(`${base}/sandbox/checkout/`)).toBe(true);
    expect((await fetch(checkoutUrl)).status).toBe(200);
    const pay = await fetch(`${checkoutUrl}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(pay.status).toBe(200);
    const payment = await guest.GET('/v1/payments/{id}', { params: { path: { id: started.data!.id } } });
    expect(payment.data?.status).toBe('succeeded');
    const confirmed = await guest.GET('/v1/bookings/{id}', { params: { path: { id: booking.id } } });
    expect(confirmed.data?.status).toBe('confirmed');

    // They talk.
    const opened = await guest.POST('/v1/conversations', {
      body: { propertyId: place.id, body: 'Hello! Is there room for a baby cot?' },
    });
    expect(opened.response.status).toBe(201);
    const conversationId = opened.data!.id;
    const answer = await host.POST('/v1/conversations/{id}/messages', {
      params: { path: { id: conversationId } },
      body: { body: 'Yes, there is one in the cupboard.' },
    });
    expect(answer.response.status).toBe(201);
    const thread = await guest.GET('/v1/conversations/{id}/messages', { params: { path: { id: conversationId } } });
    expect(thread.data?.data.map((m) => m.body)).toContain('Yes, there is one in the cupboard.');

    // The stay ends: the clock moves past check-out and the completion job runs.
    await t.travelTo(today.plus({ days: 4, hours: 12 }).toJSDate());
    const completed = await guest.GET('/v1/bookings/{id}', { params: { path: { id: booking.id } } });
    expect(completed.data?.status).toBe('completed');

    // The guest reviews it, once; a second review is a typed problem.
    const review = { rating: 5, comment: 'Bright, quiet and spotless.' };
    const reviewed = await guest.POST('/v1/bookings/{id}/review', {
      params: { path: { id: booking.id } },
      body: review,
    });
    expect(reviewed.response.status).toBe(201);
    expect(reviewed.data).toMatchObject({ rating: 5, propertyId: place.id });
    const again = await guest.POST('/v1/bookings/{id}/review', { params: { path: { id: booking.id } }, body: review });
    expect(again.response.status).toBe(409);
    expect(again.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.error?.code).toBe('already_reviewed');
    // Double-blind: nobody else sees it until the host has reviewed the guest too.
    const hidden = await anon.GET('/v1/properties/{id}/reviews', { params: { path: { id: place.id } } });
    expect(hidden.data?.data).toEqual([]);
    const ofGuest = await host.POST('/v1/bookings/{id}/guest-review', {
      params: { path: { id: booking.id } },
      body: { rating: 4, comment: 'Tidy and kind.' },
    });
    expect(ofGuest.response.status).toBe(201);
    const shown = await anon.GET('/v1/properties/{id}/reviews', { params: { path: { id: place.id } } });
    expect(shown.data?.data.map((r) => r.rating)).toEqual([5]);
    const guestReviews = await anon.GET('/v1/users/{id}/reviews', { params: { path: { id: booking.guestId } } });
    expect(guestReviews.data?.data.map((r) => r.rating)).toEqual([4]);
  });
});

/** Never run: each line must fail the type check (`@ts-expect-error` fails it when it does not). */
export function misusesTheCompilerRefuses(api: StaylaneClient) {
  // @ts-expect-error: no such path.
  void api.GET('/v1/bookingz');
  // @ts-expect-error: the path parameter is required.
  void api.GET('/v1/bookings/{id}');
  // @ts-expect-error: rating is a number.
  void api.POST('/v1/bookings/{id}/review', { params: { path: { id: 'x' } }, body: { rating: 'five' } });
  // @ts-expect-error: an unknown property type.
  void api.GET('/v1/properties', { params: { query: { propertyType: 'castle' } } });
}
