import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChapaFake, type ChapaFake } from '#test/fakes/chapa-fake.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, movableClock, register, type Session, type TestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../payments.schemas.js';

const SECRET = 'chapa-requests-secret-0123456789';
const clock = movableClock();
let t: TestApp;
let chapa: ChapaFake;
let endpoint: string;
let host: Session;
let propertyId: string;
let day = 40;

beforeAll(async () => {
  chapa = await startChapaFake('CHASECK_TEST-requests', SECRET);
  t = await createTestApp({
    env: {
      PAYMENT_WEBHOOK_SECRET: SECRET,
      PAYMENT_PROVIDER: 'chapa',
      CHAPA_SECRET_KEY: 'CHASECK_TEST-requests',
      CHAPA_API_URL: chapa.url,
      BOOKING_HOLD_MINUTES: '20',
    },
    clock,
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/v1/webhooks/payments/chapa`;
  host = await register(t.app, { role: 'host' });
  propertyId = (await createProperty(t.app, host, { nightlyPrice: 9_000, bookingMode: 'request' })).id;
});
afterAll(async () => {
  await t?.close();
  await chapa?.close();
});

const post = (url: string, who: Session) => t.app.inject({ method: 'POST', url, headers: who.auth });
const read = (id: string, who: Session) =>
  t.app.inject({ url: `/v1/bookings/${id}`, headers: who.auth }).then((r) => r.json<Booking>());

async function request(): Promise<{ guest: Session; booking: Booking }> {
  const guest = await register(t.app);
  const start = (day += 3);
  const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
  return { guest, booking };
}

describe('request to book with a provider that cannot authorize (Chapa): paid on acceptance', () => {
  it('is requested at booking time, unpayable until accepted, then pending with a new hold and confirmed by payment', async () => {
    const { guest, booking } = await request();
    expect(booking).toMatchObject({ status: 'requested', holdExpiresAt: null, bookingMode: 'request' });
    expect(booking.respondBy).not.toBeNull();
    const early = await post(`/v1/bookings/${booking.id}/payments`, guest);
    expect(early.statusCode).toBe(409);

    const accepted = await post(`/v1/bookings/${booking.id}/accept`, host);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const pending = accepted.json<Booking>();
    expect(pending.status).toBe('pending');
    expect(Date.parse(pending.holdExpiresAt!) - clock.now().getTime()).toBeGreaterThan(19 * 60_000);

    const payment = (await post(`/v1/bookings/${booking.id}/payments`, guest)).json<Payment>();
    chapa.pay(payment.id);
    expect((await chapa.sendWebhook(endpoint, payment.id, { header: 'chapa-signature' })).status).toBe(200);
    expect((await read(booking.id, guest)).status).toBe('confirmed');
  });

  it('expires unpaid after acceptance like any hold', async () => {
    const { guest, booking } = await request();
    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).statusCode).toBe(200);
    clock.offsetMs += 21 * 60_000;
    expect(await t.container.services.bookings.expireOverdueHolds()).toBeGreaterThanOrEqual(1);
    expect((await read(booking.id, guest)).status).toBe('expired');
  });

  it('declines with nothing to void', async () => {
    const { guest, booking } = await request();
    expect((await post(`/v1/bookings/${booking.id}/decline`, host)).statusCode).toBe(200);
    expect((await read(booking.id, guest)).status).toBe('declined');
  });
});
