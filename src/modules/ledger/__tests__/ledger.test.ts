import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { inDays } from '#test/factories/properties.js';
import { graphql, rowsOf, type Session } from '#test/helpers.js';
import { useTimeTravel } from '#test/kit/scenario.js';
import type { Booking } from '../../bookings/index.js';
import {
  bookAndPay,
  ctxOf,
  earnings,
  entriesWhere,
  hostEarnings,
  hostWithPlace,
  ledgerOf,
  ledgerProblems,
  openAccount,
  unbalanced,
} from './ledger.kit.js';

const t = useTimeTravel();
const MINUTE = 60_000;

/** 24 h after 15:00 Lisbon time on the check-in date. */
const dueAt = (b: Booking) =>
  DateTime.fromISO(b.checkIn, { zone: 'Europe/Lisbon' }).set({ hour: 15 }).plus({ hours: 24 }).toJSDate();

describe('postings', () => {
  let host: Session;
  let propertyId: string;
  beforeAll(async () => {
    ({
      host,
      property: { id: propertyId },
    } = await hostWithPlace(t));
  });

  it('splits a capture between the host (due 24 h after check-in) and the platform, once', async () => {
    const { booking, payment } = await bookAndPay(t, propertyId, 20);
    const entries = await entriesWhere(t, { bookingId: booking.id });
    const earned = hostEarnings(booking);
    expect(earned).toBe(22_500 - 675);
    expect(entries.map((e) => [e.kind, e.account, e.amount])).toEqual([
      ['payment_captured', 'guest_funds', -booking.price.total],
      ['payment_captured', `host_payable:${host.user.id}`, earned],
      ['payment_captured', 'platform_revenue', booking.price.total - earned],
    ]);
    expect(new Date(entries[1]!.available_at!).getTime()).toBe(dueAt(booking).getTime());
    expect(payment.amount).toBe(booking.price.total);
    // The same event again (a repeated capture) adds nothing.
    const stay = await t.container.services.bookings.findStay(t.container.database.db, booking.id);
    await t.container.database.db.transaction(async (tx) =>
      ledgerOf(t).onPaymentSucceeded(tx, {
        payment: { ...payment, status: 'succeeded' },
        booking: { ...booking, hostId: host.user.id, timezone: stay!.timezone },
        keeps: true,
      }),
    );
    expect(await entriesWhere(t, { bookingId: booking.id })).toHaveLength(3);
    const [eur] = await earnings(t, host);
    expect(eur).toMatchObject({ currency: 'EUR', pending: earned, due: 0, balance: earned, paid: 0 });
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('takes a guest’s cancel refund back from host and platform by the rule, and the check agrees', async () => {
    // Moderate: 50 % of total − service fee when canceled 24 h to 5 days ahead.
    const { booking, guest } = await bookAndPay(t, propertyId, 3);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/cancel`,
      headers: guest.auth,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const refund = res.json<Booking>().refundAmount!;
    const gross = booking.price.subtotal - booking.price.discount + booking.price.cleaningFee;
    expect(refund).toBe(gross / 2);
    const entries = await entriesWhere(t, { bookingId: booking.id });
    const refundEntries = entries.filter((e) => e.kind === 'refund_sent');
    const earned = hostEarnings(booking);
    const hostPart = Math.floor((2 * refund * earned + gross) / (2 * gross));
    expect(refundEntries.map((e) => [e.account, e.amount])).toEqual([
      [`host_payable:${host.user.id}`, -hostPart],
      ['platform_revenue', -(refund - hostPart)],
      ['refunds', refund],
    ]);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('refunds a host’s cancel in full: the host gives back all earnings, the platform its fees', async () => {
    const { booking } = await bookAndPay(t, propertyId, 40);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/cancel`,
      headers: host.auth,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const sums = new Map<string, number>();
    for (const e of await entriesWhere(t, { bookingId: booking.id }))
      sums.set(e.account, (sums.get(e.account) ?? 0) + e.amount);
    expect(sums.get(`host_payable:${host.user.id}`)).toBe(0);
    expect(sums.get('platform_revenue')).toBe(0);
    expect(sums.get('refunds')).toBe(booking.price.total);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('refuses to update, delete or truncate ledger rows', async () => {
    await bookAndPay(t, propertyId, 70);
    const db = t.container.database.db;
    await expect(db.execute(sql`update ledger_entries set amount = amount + 1`)).rejects.toThrow();
    await expect(db.execute(sql`delete from ledger_entries`)).rejects.toThrow();
    await expect(db.execute(sql`update ledger_postings set currency = 'USD'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from ledger_postings`)).rejects.toThrow();
    await expect(db.execute(sql`truncate ledger_entries cascade`)).rejects.toThrow();
    expect(await rowsOf(db, sql`select 1 from ledger_entries limit 1`)).toHaveLength(1);
  });

  it('refuses a posting whose entries do not sum to zero, and an entry added to a balanced one', async () => {
    const db = t.container.database.db;
    const id = randomUUID();
    const insert = sql`insert into ledger_postings (id, source, kind, currency, created_at)
                       values (${id}, ${`test:${id}`}, 'payment_captured', 'EUR', now())`;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(insert);
        await tx.execute(sql`insert into ledger_entries (posting_id, account, currency, amount, created_at)
                             values (${id}, 'guest_funds', 'EUR', -100, now()), (${id}, 'platform_revenue', 'EUR', 99, now())`);
      }),
    ).rejects.toThrow();
    const [posting] = await rowsOf<{ id: string }>(db, sql`select id from ledger_postings limit 1`);
    await expect(
      db.execute(sql`insert into ledger_entries (posting_id, account, currency, amount, created_at)
                     values (${posting!.id}, 'platform_revenue', 'EUR', 1, now())`),
    ).rejects.toThrow();
    // Balanced in each currency: two currencies in one posting each sum to zero or fail.
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(insert);
        await tx.execute(sql`insert into ledger_entries (posting_id, account, currency, amount, created_at)
                             values (${id}, 'guest_funds', 'EUR', -100, now()), (${id}, 'platform_revenue', 'USD', 100, now())`);
      }),
    ).rejects.toThrow();
    expect(await unbalanced(t)).toEqual([]);
  });
});

describe('payouts', () => {
  it('pays a stay’s earnings once due (24 h after check-in), not a minute before, and once only', async () => {
    const { host, property } = await hostWithPlace(t);
    expect((await openAccount(t, host)).account).toMatchObject({ provider: 'sandbox', ready: true });
    const { booking } = await bookAndPay(t, property.id, 5);
    const earned = hostEarnings(booking);
    await t.travelTo(new Date(dueAt(booking).getTime() - MINUTE));
    await ledgerOf(t).runPayouts();
    expect((await earnings(t, host))[0]).toMatchObject({ pending: earned, due: 0, paid: 0 });
    await t.travelTo(new Date(dueAt(booking).getTime() + MINUTE));
    expect((await earnings(t, host))[0]).toMatchObject({ pending: 0, due: earned });
    const run = await ledgerOf(t).runPayouts();
    expect(run.paid).toBeGreaterThanOrEqual(1);
    await ledgerOf(t).runPayouts();
    const list = await t.app.inject({ url: '/v1/me/payouts', headers: host.auth });
    const payouts = list.json<{ data: { id: string; amount: number; status: string; providerReference: string }[] }>()
      .data;
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({ amount: earned, status: 'paid' });
    expect(payouts[0]!.providerReference).toBe(`tr_sandbox_${payouts[0]!.id}`);
    expect((await earnings(t, host))[0]).toMatchObject({ pending: 0, due: 0, paid: earned, balance: 0, inTransit: 0 });
    const entries = await entriesWhere(t, { payoutId: payouts[0]!.id });
    expect(entries.map((e) => [e.kind, e.account, e.amount])).toEqual([
      ['payout_initiated', `host_payable:${host.user.id}`, -earned],
      ['payout_initiated', 'payouts_in_transit', earned],
      ['payout_paid', 'payouts_in_transit', -earned],
      ['payout_paid', 'payouts', earned],
    ]);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('returns a refused payout to the host’s balance with a reversing posting', async () => {
    const { host, property } = await hostWithPlace(t);
    await ledgerOf(t).openPayoutAccount(ctxOf(host), { simulateFailure: true });
    const { booking } = await bookAndPay(t, property.id, 6);
    await t.travelTo(new Date(dueAt(booking).getTime() + MINUTE));
    await ledgerOf(t).runPayouts();
    const [payout] = (await t.app.inject({ url: '/v1/me/payouts', headers: host.auth })).json<{
      data: { id: string; status: string; failureReason: string }[];
    }>().data;
    expect(payout).toMatchObject({ status: 'failed' });
    expect(payout!.failureReason).toMatch(/sandbox/);
    const earned = hostEarnings(booking);
    expect((await earnings(t, host))[0]).toMatchObject({ due: earned, paid: 0, inTransit: 0 });
    const entries = await entriesWhere(t, { payoutId: payout!.id });
    expect(entries.filter((e) => e.kind === 'payout_failed').map((e) => [e.account, e.amount])).toEqual([
      ['payouts_in_transit', -earned],
      [`host_payable:${host.user.id}`, earned],
    ]);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('settles a negative balance (a refund sent after the payout) from later earnings first', async () => {
    const { host, property } = await hostWithPlace(t);
    await openAccount(t, host);
    const first = await bookAndPay(t, property.id, 7);
    const second = await bookAndPay(t, property.id, 12, 3);
    await t.travelTo(new Date(dueAt(first.booking).getTime() + MINUTE));
    await ledgerOf(t).runPayouts();
    const earned = hostEarnings(first.booking);
    expect((await earnings(t, host))[0]).toMatchObject({ paid: earned, due: 0 });
    // A refund of the first stay recorded late (the provider refused it before): in full.
    const stay = await t.container.services.bookings.findStay(t.container.database.db, first.booking.id);
    await t.container.database.db.transaction(async (tx) =>
      ledgerOf(t).onPaymentRefunded(tx, {
        payment: { ...first.payment, status: 'refunded', refundedAmount: first.payment.amount },
        refundId: randomUUID(),
        amount: first.payment.amount,
        booking: { ...first.booking, hostId: host.user.id, timezone: stay!.timezone },
      }),
    );
    expect((await earnings(t, host))[0]).toMatchObject({ due: -earned });
    await ledgerOf(t).runPayouts();
    expect((await earnings(t, host))[0]).toMatchObject({ due: -earned, paid: earned });
    await t.travelTo(new Date(dueAt(second.booking).getTime() + MINUTE));
    await ledgerOf(t).runPayouts();
    const secondEarned = hostEarnings(second.booking);
    const payouts = (await t.app.inject({ url: '/v1/me/payouts', headers: host.auth })).json<{
      data: { amount: number; status: string }[];
    }>().data;
    expect(payouts[0]).toMatchObject({ amount: secondEarned - earned, status: 'paid' });
    expect((await earnings(t, host))[0]).toMatchObject({ due: 0, balance: 0 });
    expect(await ledgerProblems(t)).toEqual([]);
  });
});

describe('routes', () => {
  it('answers 404 for a payout account not opened, 403 to guests, and the admin check only to admins', async () => {
    const guest = (await bookAndPay(t, (await hostWithPlace(t)).property.id, 50)).guest;
    expect((await t.app.inject({ url: '/v1/me/payout-account', headers: guest.auth })).json()).toMatchObject({
      status: 404,
      code: 'payout_account_not_found',
    });
    expect((await t.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: guest.auth })).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ url: '/v1/admin/ledger/check', headers: guest.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/me/earnings', headers: guest.auth })).json()).toEqual({ data: [] });
  });

  it('answers the same errors over GraphQL, with their codes', async () => {
    const guest = (await bookAndPay(t, (await hostWithPlace(t)).property.id, 52)).guest;
    const codeOf = async (query: string, who?: Session) =>
      (await graphql(t.app, query, {}, who?.auth ?? {})).body.errors?.[0]?.extensions?.code;
    expect(await codeOf('{ myPayoutAccount { ready } }', guest)).toBe('NOT_FOUND');
    expect(await codeOf('mutation { openPayoutAccount { onboardingUrl } }', guest)).toBe('FORBIDDEN');
    expect(await codeOf('{ ledgerCheck { problems { code } } }', guest)).toBe('FORBIDDEN');
    expect(await codeOf('{ myEarnings { due } }')).toBe('UNAUTHENTICATED');
    expect(await codeOf('{ myPayouts(first: 500) { edges { cursor } } }', guest)).toBe('BAD_USER_INPUT');
    expect(await codeOf('{ myPayouts(after: "nope") { edges { cursor } } }', guest)).toBe('BAD_USER_INPUT');
  });

  it('streams a statement as CSV for a bounded window', async () => {
    const { host, property } = await hostWithPlace(t);
    const { booking } = await bookAndPay(t, property.id, 9);
    const from = inDays(-1);
    const to = inDays(2);
    const res = await t.app.inject({
      url: `/v1/me/earnings/statement?from=${from}&to=${to}&format=csv`,
      headers: host.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('date,kind,bookingId,payoutId,currency,amount,dueAt');
    expect(lines[1]).toContain(`payment_captured,${booking.id},,EUR,${hostEarnings(booking)},`);
    const long = await t.app.inject({
      url: `/v1/me/earnings/statement?from=2020-01-01&to=2022-01-01`,
      headers: host.auth,
    });
    expect(long.statusCode).toBe(422);
    const backwards = await t.app.inject({
      url: `/v1/me/earnings/statement?from=${to}&to=${from}`,
      headers: host.auth,
    });
    expect(backwards.statusCode).toBe(422);
  });

  it('refuses to close a host account with a balance (409), and exports earnings and payouts', async () => {
    const { host, property } = await hostWithPlace(t);
    await bookAndPay(t, property.id, 60);
    const db = t.container.database.db;
    await expect(db.transaction((tx) => ledgerOf(t).refuseClosureWithBalance(host.user.id, tx))).rejects.toMatchObject({
      code: 'has_payout_balance',
    });
    const exported = await t.app.inject({ url: '/v1/me/export', headers: host.auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.json<{ earnings: { currency: string }[]; payouts: unknown[] }>()).toMatchObject({
      earnings: [{ currency: 'EUR' }],
      payouts: [],
    });
  });
});
