import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { bookStay, deliveriesTo, jobsOf, payBooking, useTimeTravel } from '#test/kit/scenario.js';
import type { Booking } from '../../bookings/index.js';
import {
  createHostDigest,
  hostsWithActivity,
  mergeAscending,
  SEND_HOST_DIGEST,
  type DigestRange,
  type DigestSection,
} from '../notifications.digest.js';

// The digest's sweep merges the sections' ascending host-id pages (k-way, keyset): a unit
// test of the merge, then a fake section beside the real bookings one.

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const v of source) out.push(v);
  return out;
}

async function* of(...values: string[]): AsyncGenerator<string> {
  for (const v of values) yield v;
}

/** A section over a fixed list of hosts, recording each page it is asked for. */
function fakeSection(name: string, activity: Map<string, string[]>) {
  const calls: { afterHostId: string | null; limit: number }[] = [];
  const section: DigestSection = {
    name,
    async hostsWithActivity(_range, afterHostId, limit) {
      calls.push({ afterHostId, limit });
      return [...activity.keys()]
        .sort()
        .filter((id) => afterHostId === null || id > afterHostId)
        .slice(0, limit);
    },
    async activityFor(hostId) {
      const lines = activity.get(hostId) ?? [];
      return { count: lines.length, lines: lines.slice(0, 20) };
    },
  };
  return { section, calls };
}

const RANGE: DigestRange = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };

describe('merging sections', () => {
  it('yields the union in ascending order, each id once', async () => {
    const merged = await collect(mergeAscending([of('a', 'c', 'e'), of('b', 'c', 'f'), of(), of('a', 'z')]));
    expect(merged).toEqual(['a', 'b', 'c', 'e', 'f', 'z']);
    expect(await collect(mergeAscending([]))).toEqual([]);
  });

  it('reads each section a keyset page at a time', async () => {
    const ids = Array.from({ length: 7 }, () => randomUUID()).sort();
    const a = fakeSection('A', new Map(ids.filter((_, i) => i % 2 === 0).map((id) => [id, ['x']])));
    const b = fakeSection('B', new Map(ids.filter((_, i) => i % 3 === 0).map((id) => [id, ['y']])));
    expect(await collect(hostsWithActivity([a.section, b.section], RANGE, 2))).toEqual(
      ids.filter((_, i) => i % 2 === 0 || i % 3 === 0),
    );
    // A: ids 0, 2, 4, 6 in pages of two, then an empty page; each page after the last id read.
    expect(a.calls).toEqual([
      { afterHostId: null, limit: 2 },
      { afterHostId: ids[2], limit: 2 },
      { afterHostId: ids[6], limit: 2 },
    ]);
    expect(b.calls).toEqual([
      { afterHostId: null, limit: 2 },
      { afterHostId: ids[3], limit: 2 },
    ]);
  });

  it('refuses a section whose ids are not ascending', async () => {
    const broken: DigestSection = {
      name: 'Broken',
      hostsWithActivity: async (_range, after) => (after === null ? ['b', 'a'] : []),
      activityFor: async () => ({ count: 0, lines: [] }),
    };
    await expect(collect(hostsWithActivity([broken], RANGE, 5))).rejects.toThrow(/out of order/);
  });
});

describe('the bookings section and another, merged across hosts', () => {
  const t = useTimeTravel();
  let guest: Session;

  beforeAll(async () => {
    guest = await register(t.app);
    await t.runJobs();
  });

  async function confirmedBooking(owner: Session, start: number): Promise<Booking> {
    const p = await createProperty(t.app, owner);
    const booking = await bookStay(t.app, guest, {
      propertyId: p.id,
      checkIn: inDays(start),
      checkOut: inDays(start + 2),
      guests: 2,
    });
    await payBooking(t.app, guest, booking.id);
    return booking;
  }

  it('finds each host of either section once, and writes one part per section with activity', async () => {
    const [withBookings, withBoth, withMessages, quiet] = await Promise.all([
      register(t.app, { role: 'host' }),
      register(t.app, { role: 'host', firstName: 'Bo' }),
      register(t.app, { role: 'host' }),
      register(t.app, { role: 'host' }),
    ]);
    await confirmedBooking(withBookings, 30);
    const booked = await confirmedBooking(withBoth, 40);
    const lines = Array.from({ length: 25 }, (_, i) => `Message ${i + 1} from <script>x</script> & co`);
    const messages = fakeSection(
      'Messages',
      new Map([
        [withBoth.user.id, lines],
        [withMessages.user.id, ['Hello?']],
      ]),
    );
    const { database, services } = t.container;
    const digest = createHostDigest({
      db: database.db,
      users: services.users,
      mailer: t.container.mailer,
      publicUrl: 'https://stays.example.com',
      sections: [services.bookings.digestSection, messages.section],
    });

    const windowEnd = new Date(Date.now() + 60_000);
    // Pages of one from each section: three hosts, withBoth once.
    expect(await digest.enqueueHostDigests(windowEnd, 1)).toBe(3);
    const merged = await collect(
      hostsWithActivity([services.bookings.digestSection, messages.section], { from: RANGE.from, to: windowEnd }, 1),
    );
    expect(merged).toEqual([withBookings.user.id, withBoth.user.id, withMessages.user.id].sort());

    await digest.sendHostDigest(withBoth.user.id, windowEnd);
    const isDigestTo = (s: Session) => (m: ReceivedMail) =>
      m.headers.to === s.user.email && /Your day on Staylane/.test(m.headers.subject ?? '');
    const mail = await t.smtp.waitFor(isDigestTo(withBoth));
    expect(mail.headers.subject).toContain('Bookings 1, Messages 25');
    expect(mail.text).toContain(`Bookings (1)\r\n- New: ${booked.checkIn} to ${booked.checkOut}, 2 guests.`);
    expect(mail.text).toContain('Messages (25)\r\n- Message 1 from <script>x</script> & co\r\n');
    expect(mail.text).toContain('- Message 20 from <script>x</script> & co\r\n- And 5 more.');
    expect(mail.text).not.toContain('Message 21');
    expect(mail.html).toContain('<li>Message 1 from &lt;script&gt;x&lt;/script&gt; &amp; co</li>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<li>And 5 more.</li>');

    // A host with nothing in any section gets no e-mail.
    await digest.sendHostDigest(quiet.user.id, windowEnd);
    expect(await deliveriesTo(t, quiet.user.email)).toEqual([]);
    expect(await jobsOf(t, SEND_HOST_DIGEST, { hostId: quiet.user.id })).toEqual([]);
    expect(t.smtp.received.filter(isDigestTo(quiet))).toHaveLength(0);
  });
});
