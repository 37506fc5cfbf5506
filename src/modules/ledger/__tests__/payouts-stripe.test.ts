import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeFake, type StripeFake } from '#test/fakes/stripe-fake.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, movableClock, register, runDueJobs, type Session, type TestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import { createStripePayouts } from '../../../platform/payments/index.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../../payments/index.js';
import type { PublishLedgerEvent } from '../ledger.events.js';
import { createLedgerService } from '../ledger.service.js';
import { earnings, entriesWhere, hostEarnings, ledgerOf, ledgerProblems } from './ledger.kit.js';

/** What a stay earns its host at HOST_FEE_PERCENT=5. */
const earned = (b: Booking) => hostEarnings(b, 5);

const SECRET = 'whsec_payouts_0123456789abcdef';
const KEY = 'sk_test_payouts';
const clock = movableClock();
let t: TestApp;
let stripe: StripeFake;
let endpoint: string;

beforeAll(async () => {
  stripe = await startStripeFake(KEY, SECRET);
  t = await createTestApp({
    env: {
      PAYMENT_WEBHOOK_SECRET: SECRET,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: KEY,
      STRIPE_API_URL: stripe.url,
      // Not the default: earnings below are worked out with 5 %.
      HOST_FEE_PERCENT: '5',
    },
    clock,
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/v1/webhooks/payments/stripe`;
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const dueAt = (b: Booking) =>
  DateTime.fromISO(b.checkIn, { zone: 'Europe/Lisbon' }).set({ hour: 15 }).plus({ hours: 24, minutes: 1 }).toJSDate();
const travelTo = (at: Date) => {
  clock.offsetMs = at.getTime() - Date.now();
};

/** A host whose Stripe Connect account finished onboarding, with a listed place. */
async function onboardedHost(options: { bookingMode?: 'instant' | 'request' } = {}) {
  const host = await register(t.app, { role: 'host' });
  const property = await createProperty(t.app, host, { nightlyPrice: 10_000, cleaningFee: 2_500, ...options });
  const opened = await t.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: host.auth });
  expect(opened.statusCode, opened.body).toBe(200);
  const accountId = [...stripe.connect.accounts.values()].find((a) => a.metadata.host_id === host.user.id)!.id;
  stripe.connect.completeOnboarding(accountId);
  return { host, property, accountId };
}

/** A guest books and pays through Stripe Checkout (the session completed, its webhook delivered). */
async function paidStay(
  propertyId: string,
  day: number,
): Promise<{ guest: Session; booking: Booking; payment: Payment }> {
  const guest = await register(t.app);
  const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(day), checkOut: inDays(day + 2) });
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
  expect(res.statusCode, res.body).toBe(201);
  const payment = res.json<Payment>();
  stripe.complete(payment.providerReference);
  expect((await stripe.sendEvent(endpoint, 'checkout.session.completed', payment.providerReference)).status).toBe(200);
  return { guest, booking, payment };
}

describe('payouts through Stripe Connect', () => {
  it('opens an Express account with an onboarding link, ready once Stripe says payouts are enabled', async () => {
    const host = await register(t.app, { role: 'host' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: host.auth });
    expect(res.statusCode, res.body).toBe(200);
    const link = res.json<{ account: { provider: string; ready: boolean }; onboardingUrl: string }>();
    expect(link.account).toMatchObject({ provider: 'stripe', ready: false });
    expect(link.onboardingUrl).toMatch(/^https:\/\/connect\.stripe\.com\//);
    const created = stripe.requests.filter((r) => r.path === '/v1/accounts' && r.method === 'POST');
    expect(new URLSearchParams(created.at(-1)!.body).get('type')).toBe('express');
    // A second call: a new link for the same account.
    await t.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: host.auth });
    expect([...stripe.connect.accounts.values()].filter((a) => a.metadata.host_id === host.user.id)).toHaveLength(1);
    const before = await t.app.inject({ url: '/v1/me/payout-account', headers: host.auth });
    expect(before.json()).toMatchObject({ ready: false });
    const accountId = [...stripe.connect.accounts.values()].find((a) => a.metadata.host_id === host.user.id)!.id;
    stripe.connect.completeOnboarding(accountId);
    expect((await t.app.inject({ url: '/v1/me/payout-account', headers: host.auth })).json()).toMatchObject({
      ready: true,
    });
  });

  it('pays once when a run crashes after the transfer: the rerun replays the same Idempotency-Key', async () => {
    const { host, property, accountId } = await onboardedHost();
    const { booking } = await paidStay(property.id, 5);
    travelTo(dueAt(booking));
    const crashing = createLedgerService({
      db: t.container.database.db,
      clock,
      bookings: t.container.services.bookings,
      users: t.container.services.users,
      publish: (t.container.events as unknown as { publish: PublishLedgerEvent }).publish,
      hostFeePercent: 5,
      provider: createStripePayouts({ secretKey: KEY, apiUrl: stripe.url }),
      publicUrl: 'https://stays.example.com',
      afterTransfer: () => {
        throw new Error('the worker died');
      },
    });
    await expect(crashing.runPayouts()).rejects.toThrow('the worker died');
    const toHost = () => stripe.connect.transfers.filter((x) => x.destination === accountId);
    expect(toHost()).toHaveLength(1);
    expect((await earnings(t, host))[0]).toMatchObject({ inTransit: earned(booking), due: 0 });
    await ledgerOf(t).runPayouts();
    expect(toHost()).toHaveLength(1);
    const keys = stripe.requests.filter((r) => r.path === '/v1/transfers').map((r) => r.headers['idempotency-key']);
    const payouts = (await t.app.inject({ url: '/v1/me/payouts', headers: host.auth })).json<{
      data: { id: string; status: string; amount: number; providerReference: string }[];
    }>().data;
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({
      status: 'paid',
      amount: earned(booking),
      providerReference: toHost()[0]!.id,
    });
    expect(keys.filter((k) => k === payouts[0]!.id)).toHaveLength(2);
    expect(toHost()[0]).toMatchObject({ amount: earned(booking), currency: 'eur' });
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('fails a payout Stripe refuses and returns its amount to the balance', async () => {
    const { host, property, accountId } = await onboardedHost();
    stripe.connect.refuseTransfersTo(accountId);
    const { booking } = await paidStay(property.id, 8);
    travelTo(dueAt(booking));
    await ledgerOf(t).runPayouts();
    const [payout] = (await t.app.inject({ url: '/v1/me/payouts', headers: host.auth })).json<{
      data: { id: string; status: string; failureReason: string }[];
    }>().data;
    expect(payout).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('account_invalid') });
    expect((await earnings(t, host))[0]).toMatchObject({ due: earned(booking), inTransit: 0, paid: 0 });
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('reverses a paid payout: failed, with the amount back in the host’s balance', async () => {
    const { host, property } = await onboardedHost();
    const { booking } = await paidStay(property.id, 11);
    travelTo(dueAt(booking));
    await ledgerOf(t).runPayouts();
    const [payout] = (await t.app.inject({ url: '/v1/me/payouts', headers: host.auth })).json<{
      data: { id: string; status: string }[];
    }>().data;
    expect(payout!.status).toBe('paid');
    const reversed = await ledgerOf(t).reversePayout(payout!.id, 'Reversed by the provider.');
    expect(reversed).toMatchObject({ status: 'failed', failureReason: 'Reversed by the provider.' });
    expect(await ledgerOf(t).reversePayout(payout!.id, 'again')).toBeUndefined();
    expect((await earnings(t, host))[0]).toMatchObject({ due: earned(booking), paid: 0 });
    const kinds = (await entriesWhere(t, { payoutId: payout!.id })).map((e) => e.kind);
    expect(kinds).toEqual([
      'payout_initiated',
      'payout_initiated',
      'payout_paid',
      'payout_paid',
      'payout_reversed',
      'payout_reversed',
    ]);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('posts a request to book when its authorization is captured on acceptance', async () => {
    const { host, property } = await onboardedHost({ bookingMode: 'request' });
    const guest = await register(t.app);
    const booking = await bookStay(t.app, guest, {
      propertyId: property.id,
      checkIn: inDays(14),
      checkOut: inDays(16),
    });
    const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
    const payment = res.json<Payment>();
    stripe.complete(payment.providerReference);
    await stripe.sendEvent(endpoint, 'checkout.session.completed', payment.providerReference);
    expect(await entriesWhere(t, { bookingId: booking.id })).toEqual([]);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/accept`,
      headers: host.auth,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await runDueJobs(t);
    const entries = await entriesWhere(t, { bookingId: booking.id });
    expect(entries.map((e) => [e.account, e.amount])).toEqual([
      ['guest_funds', -booking.price.total],
      [`host_payable:${host.user.id}`, earned(booking)],
      ['platform_revenue', booking.price.total - earned(booking)],
    ]);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('pays each due balance once when two runs go at the same time', async () => {
    const hosts = await Promise.all([onboardedHost(), onboardedHost(), onboardedHost()]);
    const stays = await Promise.all(hosts.map((h, i) => paidStay(h.property.id, 20 + i)));
    travelTo(new Date(Math.max(...stays.map((s) => dueAt(s.booking).getTime()))));
    await Promise.all([ledgerOf(t).runPayouts(), ledgerOf(t).runPayouts(), ledgerOf(t).runPayouts()]);
    for (const [i, h] of hosts.entries()) {
      expect(stripe.connect.transfers.filter((x) => x.destination === h.accountId)).toHaveLength(1);
      expect((await earnings(t, h.host))[0]).toMatchObject({
        paid: earned(stays[i]!.booking),
        due: 0,
        inTransit: 0,
      });
    }
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
