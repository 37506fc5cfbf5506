import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty } from '#test/factories/properties.js';
import { register, type Session } from '#test/helpers.js';
import { deliveriesTo, jobsOf, jobsStillDue, useTimeTravel } from '#test/kit/scenario.js';

const t = useTimeTravel();
const { clock } = t;
let host: Session;
let propertyId: string;

beforeAll(async () => {
  host = await register(t.app, { role: 'host', firstName: 'Hana' });
  propertyId = (await createProperty(t.app, host, { title: 'Loft <script>x</script> & co' })).id;
  await t.runJobs();
});

async function newGuest(firstName = 'Gil'): Promise<Session> {
  return register(t.app, { firstName });
}

async function start(guest: Session, body: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: guest.auth,
    payload: { propertyId, body },
  });
  expect(res.statusCode).toBeLessThan(300);
  return res.json<{ id: string }>().id;
}

const send = (as: Session, id: string, body: string) =>
  t.app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers: as.auth, payload: { body } });

// Registration's verification e-mails go to the same addresses.
const isNewMessage = (m: { headers: Record<string, string> }) => /sent you/.test(m.headers.subject ?? '');
const mailsTo = (email: string) => t.smtp.received.filter((m) => m.headers.to === email && isNewMessage(m));
const minutes = (n: number) => n * 60_000;

/** Moves the clock and runs what has become due. */
const after = (ms: number) => t.advance(ms);

describe('new-message e-mail', () => {
  it('tells the recipient 5 minutes after a message still unread then, escaped, with a link', async () => {
    const guest = await newGuest('<b>Gil</b>');
    const id = await start(guest, 'Is there <a href="x">parking</a>?');
    await after(minutes(4));
    expect(mailsTo(host.user.email)).toHaveLength(0);
    await after(minutes(1) + 1_000);
    const mail = await t.smtp.waitFor((m) => m.headers.to === host.user.email && isNewMessage(m));
    expect(mail.headers.subject).toContain('sent you a new message');
    expect(mail.text).toContain('Is there <a href="x">parking</a>?');
    expect(mail.text).toContain(`https://stays.example.com/conversations/${id}`);
    expect(mail.html).toContain('Is there &lt;a href=&quot;x&quot;&gt;parking&lt;/a&gt;?');
    expect(mail.html).toContain('&lt;b&gt;Gil&lt;/b&gt;');
    expect(mail.html).not.toContain('<script>');
    // Run again: at most once per streak.
    await after(minutes(10));
    expect(mailsTo(host.user.email)).toHaveLength(1);
    t.smtp.received.length = 0;
  });

  it('sends nothing when the message is read before the 5 minutes', async () => {
    const guest = await newGuest();
    const id = await start(guest, 'Quick question');
    await send(host, id, 'Ask away');
    await after(minutes(2));
    const read = await t.app.inject({ method: 'POST', url: `/v1/conversations/${id}/read`, headers: host.auth });
    expect(read.statusCode).toBe(200);
    await after(minutes(10));
    // Every job due by then ran; the host's ran and found the message read: nothing claimed.
    expect(await jobsStillDue(t)).toEqual([]);
    expect(
      await jobsOf(t, 'messages.send-new-message-email', { conversationId: id, recipientId: host.user.id }),
    ).toMatchObject([{ state: 'done' }]);
    const ofThisConversation = (await deliveriesTo(t, host.user.email)).filter((d) =>
      d.dedupe_key.startsWith(`new-message:${id}:`),
    );
    expect(ofThisConversation).toEqual([]);
    expect(mailsTo(host.user.email)).toHaveLength(0);
    // The host's reply was never read by the guest: that one is e-mailed.
    expect(mailsTo(guest.user.email)).toHaveLength(1);
    t.smtp.received.length = 0;
  });

  it('sends one e-mail for a burst, counting its messages; a new streak after a read gets its own', async () => {
    const guest = await newGuest();
    const id = await start(guest, 'one');
    for (let i = 2; i <= 10; i++) {
      clock.offsetMs += 10_000;
      expect((await send(guest, id, `message ${i}`)).statusCode).toBe(201);
    }
    await after(minutes(6));
    await after(minutes(6));
    const mails = mailsTo(host.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.headers.subject).toContain('10 new messages');

    await t.app.inject({ method: 'POST', url: `/v1/conversations/${id}/read`, headers: host.auth });
    await send(guest, id, 'one more thing');
    await after(minutes(6));
    expect(mailsTo(host.user.email)).toHaveLength(2);
    expect(mailsTo(host.user.email)[1]!.headers.subject).toContain('a new message');
    t.smtp.received.length = 0;
  });
});

describe('digest section', () => {
  it('pages hosts with guest messages in the range in ascending id order, and describes their activity', async () => {
    const hosts = await Promise.all([0, 1, 2].map(() => register(t.app, { role: 'host' })));
    const quiet = await register(t.app, { role: 'host' });
    const guest = await newGuest('Dana');
    const from = clock.now();
    for (const [i, h] of hosts.entries()) {
      const place = (await createProperty(t.app, h, { title: `Place ${i}` })).id;
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/conversations',
        headers: guest.auth,
        payload: { propertyId: place, body: 'hello' },
      });
      const id = res.json<{ id: string }>().id;
      for (let k = 0; k < i; k++) await send(guest, id, `more ${k}`);
      // Host replies are not guest activity.
      await send(h, id, 'hi back');
    }
    const quietPlace = (await createProperty(t.app, quiet)).id;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: guest.auth,
      payload: { propertyId: quietPlace, body: 'too early' },
    });
    expect(res.statusCode).toBe(201);
    await t.container.database.db.execute(
      sql`update messages set created_at = created_at - interval '2 days' where conversation_id = ${res.json<{ id: string }>().id}`,
    );
    const to = new Date(clock.now().getTime() + 1_000);
    const section = t.container.services.messages.digestSection;
    expect(section.name).toBe('Messages');

    const expected = hosts.map((h) => h.user.id).sort();
    const seen: string[] = [];
    let afterId: string | null = null;
    for (;;) {
      const page = await section.hostsWithActivity({ from, to }, afterId, 2);
      seen.push(...page);
      if (page.length < 2) break;
      afterId = page.at(-1)!;
    }
    // Other tests' hosts may be in the window too; ours are there, in order, and the quiet one is not.
    expect(seen).toEqual([...seen].sort());
    expect(seen.filter((id) => expected.includes(id))).toEqual(expected);
    expect(seen).not.toContain(quiet.user.id);

    const activity = await section.activityFor(hosts[2]!.user.id, { from, to });
    expect(activity).toEqual({ count: 3, lines: ['3 messages from Dana about Place 2.'] });
    expect(await section.activityFor(quiet.user.id, { from, to })).toEqual({ count: 0, lines: [] });
  });

  it('walks the host inbox index in host order', async () => {
    const result: unknown = await t.container.database.db.execute(
      sql`explain select distinct recipient_id from messages
        where sender_side = 'guest' and created_at >= now() - interval '1 day' and created_at < now()
        and recipient_id > '00000000-0000-0000-0000-000000000000' order by recipient_id limit 500`,
    );
    const plan = (result as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n');
    await t.container.database.db.execute(sql`set enable_seqscan = off`);
    const forced: unknown = await t.container.database.db.execute(
      sql`explain select distinct recipient_id from messages
        where sender_side = 'guest' and created_at >= now() - interval '1 day' and created_at < now()
        and recipient_id > '00000000-0000-0000-0000-000000000000' order by recipient_id limit 500`,
    );
    await t.container.database.db.execute(sql`reset enable_seqscan`);
    const forcedPlan = (forced as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan + forcedPlan).toContain('messages_host_inbox_idx');
    expect(forcedPlan).not.toMatch(/Sort/);
  });
});
