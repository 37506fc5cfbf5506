import { describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { register, type Session } from '#test/helpers.js';
import { useTimeTravel } from '#test/kit/scenario.js';
import { bookAndPay, hostWithPlace, ledgerOf, openAccount } from '../../ledger/__tests__/ledger.kit.js';

// The partner events other modules publish in their own transactions: a payment captured and
// refunded (payments), a payout paid (ledger), reviews published (reviews). Each reaches the
// feed of the host it concerns, with the resource as its data.

const t = useTimeTravel();
const DAY = 24 * 60 * 60 * 1000;

interface FeedEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

async function feedOf(s: Session, types: string): Promise<FeedEvent[]> {
  await t.container.services.webhooks.settled();
  await t.container.services.webhooks.sequenceNow();
  const res = await t.app.inject({ url: `/v1/events?limit=100&types=${types}`, headers: s.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: FeedEvent[] }>().data;
}

describe('partner events of money and reviews', () => {
  it('a capture, a refund and a payout reach the host’s feed, in order, and no other host’s', async () => {
    const { host, property } = await hostWithPlace(t);
    const other = await register(t.app, { role: 'host' });
    await openAccount(t, host);
    const { guest, booking, payment } = await bookAndPay(t, property.id, 30, 3);
    const canceled = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/cancel`,
      headers: guest.auth,
      payload: {},
    });
    expect(canceled.statusCode, canceled.body).toBe(200);
    await t.runJobs();
    const kept = await bookAndPay(t, property.id, 2, 2);
    await t.advance(4 * DAY);
    const run = await ledgerOf(t).runPayouts();
    expect(run.paid).toBe(1);

    const events = await feedOf(host, 'payment.succeeded,payment.refunded,payout.paid');
    expect(events.map((e) => e.type)).toEqual([
      'payment.succeeded',
      'payment.refunded',
      'payment.succeeded',
      'payout.paid',
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(events[0]!.data).toMatchObject({ id: payment.id, bookingId: booking.id, status: 'succeeded' });
    expect(events[1]!.data).toMatchObject({ id: payment.id, refund: { amount: expect.any(Number) } });
    expect((events[1]!.data.refund as { amount: number }).amount).toBeGreaterThan(0);
    expect(events[2]!.data).toMatchObject({ id: kept.payment.id, bookingId: kept.booking.id });
    expect(events[3]!.data).toMatchObject({ hostId: host.user.id, status: 'paid' });
    expect(await feedOf(other, 'payment.succeeded,payment.refunded,payout.paid')).toEqual([]);
  });

  it('both reviews of a stay publish as two review.published events the stay’s host sees', async () => {
    const { host, property } = await hostWithPlace(t);
    const guest = await register(t.app);
    const [stay] = await completedStays(t.container.database.db, {
      propertyId: property.id,
      hostId: host.user.id,
      guestIds: [guest.user.id],
      checkOutDaysAgo: 1,
    });
    const write = async (who: Session, url: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: who.auth,
        payload: { rating: 5, comment: 'Great.' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>();
    };
    const fromGuest = await write(guest, `/v1/bookings/${stay!.id}/review`);
    expect(await feedOf(host, 'review.published')).toEqual([]);
    const fromHost = await write(host, `/v1/bookings/${stay!.id}/guest-review`);
    const published = await feedOf(host, 'review.published');
    expect(published.map((e) => e.data.id).sort()).toEqual([fromGuest.id, fromHost.id].sort());
  });
});
