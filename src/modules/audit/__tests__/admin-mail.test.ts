import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, registerAdmin, rowsOf, uniqueEmail, type Session } from '#test/helpers.js';
import { useTimeTravel } from '#test/kit/scenario.js';
import { getJob, jobs } from '../../../platform/jobs/index.js';
import { claimDelivery } from '../../../platform/mail/deliveries.repository.js';
import { checkInDoubtJob, findDelivery, messageIdFor } from '../../../platform/mail/index.js';
import { RELEASED_BY_ADMIN } from '../mail.service.js';

const t = useTimeTravel();
const TIMEOUT_MS = 600_000;
const HOST = 'stays.example.com';
let admin: Session;

beforeAll(async () => {
  admin = await registerAdmin(t);
});

const db = () => t.container.database.db;
const list = (query: string, headers: Record<string, string> = admin.auth) =>
  t.app.inject({ url: `/v1/admin/mail-deliveries?${query}`, headers });
const resolve = (key: string, outcome: unknown, headers: Record<string, string> = admin.auth) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/admin/mail-deliveries/${encodeURIComponent(key)}/resolve`,
    headers,
    payload: { outcome },
  });
const arrived = (key: string) =>
  t.smtp.received.filter((m) => m.headers['message-id'] === messageIdFor(key, HOST)).length;
const inDoubtGauge = async () => {
  const body = (await t.app.inject({ url: '/metrics' })).body;
  return Number(/^mail_deliveries_in_doubt (\d+)$/m.exec(body)?.[1]);
};

/**
 * A verification e-mail whose worker was killed mid-send: its key claimed by the job and
 * never marked sent, and the job's rerun (the lease lapsed) finding the key taken and ending
 * done without sending.
 */
async function strandedVerificationEmail() {
  const email = uniqueEmail('stranded');
  const user = await register(t.app, { email });
  const [job] = await db()
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, 'users.send-verification-email'), sql`${jobs.payload}->>'userId' = ${user.user.id}`));
  const key = `verify-email:${job!.id}`;
  await claimDelivery(db(), {
    dedupeKey: key,
    recipient: email,
    subject: 'Confirm your e-mail',
    messageId: messageIdFor(key, HOST),
    at: t.clock.now(),
    jobId: job!.id,
  });
  await t.runJobs();
  expect(await getJob(db(), job!.id)).toMatchObject({ state: 'done' });
  expect(arrived(key)).toBe(0);
  return { key, jobId: job!.id, email };
}

describe('e-mails in doubt', () => {
  it('are listed and counted once their claim is older than MAIL_SENDING_TIMEOUT_SECONDS, never before', async () => {
    const before = await inDoubtGauge();
    const { key, jobId, email } = await strandedVerificationEmail();
    const keysIn = async (query: string) =>
      (await list(query)).json<{ data: { key: string }[] }>().data.map((d) => d.key);

    // Claimed just now: being sent, not in doubt.
    expect(await keysIn('state=in_doubt&limit=100')).not.toContain(key);
    expect(await keysIn('state=sending&limit=100')).toContain(key);
    expect(await inDoubtGauge()).toBe(before);

    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    const res = await list('state=in_doubt&limit=100');
    expect(res.statusCode).toBe(200);
    const entry = res.json<{ data: Record<string, unknown>[] }>().data.find((d) => d.key === key);
    expect(entry).toMatchObject({ key, recipient: email, state: 'sending', jobId, inDoubt: true, sentAt: null });
    expect(entry!.messageId).toBe(messageIdFor(key, HOST));
    expect(Object.keys(entry!).sort()).toEqual(
      [
        'claimedAt',
        'inDoubt',
        'jobId',
        'key',
        'lastError',
        'messageId',
        'recipient',
        'sentAt',
        'state',
        'subject',
      ].sort(),
    );
    expect(await keysIn('state=sent&limit=100')).not.toContain(key);
    expect(await inDoubtGauge()).toBe(before + 1);
  });

  it('warns from the recurring check with their number, never an address', async () => {
    await strandedVerificationEmail();
    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    const lines: Record<string, unknown>[] = [];
    const log = { info: () => undefined, warn: (fields: Record<string, unknown>) => lines.push(fields) };
    const check = checkInDoubtJob({ db: db(), clock: t.clock, sendingTimeoutMs: TIMEOUT_MS, log });
    const ctx = { id: 'check', kind: check.definition.kind, attempt: 1, runAt: t.clock.now(), now: t.clock.now() };
    await check.definition.handle({}, ctx);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.inDoubt).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(lines)).not.toContain('@');
    // Scheduled where jobs run; quiet when none is in doubt.
    expect(t.container.jobs.schedules.map((s) => s.kind)).toContain(check.definition.kind);
    t.clock.offsetMs = 0;
    const quiet = checkInDoubtJob({ db: db(), clock: { now: () => new Date(0) }, sendingTimeoutMs: TIMEOUT_MS, log });
    await quiet.definition.handle({}, ctx);
    expect(lines).toHaveLength(1);
  });

  it('resend: the key is released, its job runs again and exactly one message arrives', async () => {
    const { key, jobId } = await strandedVerificationEmail();
    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    const res = await resolve(key, 'resend');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ key, state: 'failed', lastError: RELEASED_BY_ADMIN, inDoubt: false, jobId });
    expect(await getJob(db(), jobId)).toMatchObject({ state: 'pending', attempts: 0 });

    const rerunAt = t.clock.now().getTime();
    await t.runJobs();
    expect(await getJob(db(), jobId)).toMatchObject({ state: 'done', attempts: 1 });
    // Claimed again by the job's own run, which recorded when and which job.
    const delivery = await findDelivery(db(), key);
    expect(delivery).toMatchObject({ state: 'sent', jobId, lastError: null });
    expect(delivery!.claimedAt!.getTime()).toBeGreaterThanOrEqual(rerunAt);
    expect(arrived(key)).toBe(1);

    const audit = await t.app.inject({ url: '/v1/admin/audit?action=mail.resolved', headers: admin.auth });
    expect(audit.json().data.find((e: { entityId: string }) => e.entityId === key)).toMatchObject({
      actorId: admin.user.id,
      entity: 'mail_delivery',
      detail: { outcome: 'resend', jobId, kind: 'users.send-verification-email' },
    });

    // Sent now: nothing more to resolve, and nothing more is sent.
    const again = await resolve(key, 'resend');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'mail_not_in_doubt' });
    await t.runJobs();
    expect(arrived(key)).toBe(1);
  });

  it('sent: the key is marked sent, nothing is sent and the job stays done', async () => {
    const { key, jobId } = await strandedVerificationEmail();
    const finished = (await getJob(db(), jobId))!.finishedAt;
    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    const asked = t.clock.now().getTime();
    const res = await resolve(key, 'sent');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ key, state: 'sent', inDoubt: false, lastError: null });
    expect(Date.parse(res.json().sentAt)).toBeGreaterThanOrEqual(asked);
    expect(Date.parse(res.json().sentAt)).toBeLessThanOrEqual(t.clock.now().getTime());

    await t.runJobs();
    expect(await getJob(db(), jobId)).toMatchObject({ state: 'done', attempts: 1, finishedAt: finished });
    expect(await findDelivery(db(), key)).toMatchObject({ state: 'sent' });
    expect(arrived(key)).toBe(0);
    const audit = await t.app.inject({ url: '/v1/admin/audit?action=mail.resolved', headers: admin.auth });
    expect(audit.json().data.find((e: { entityId: string }) => e.entityId === key)).toMatchObject({
      actorId: admin.user.id,
      detail: { outcome: 'sent', jobId },
    });
    expect((await resolve(key, 'sent')).json()).toMatchObject({ code: 'mail_not_in_doubt' });
  });

  it('refuses a key not in doubt (409), an unknown key (404), and a resend no job can make', async () => {
    const { key, jobId } = await strandedVerificationEmail();
    // Claimed less than the timeout ago.
    const fresh = await resolve(key, 'sent');
    expect(fresh.statusCode).toBe(409);
    expect(fresh.json()).toMatchObject({ code: 'mail_not_in_doubt' });
    expect(await findDelivery(db(), key)).toMatchObject({ state: 'sending' });

    const unknown = await resolve('verify-email:no-such-key', 'sent');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'mail_delivery_not_found' });

    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    // The job runs again right now (under a live lease): it may still claim the key itself.
    await db()
      .update(jobs)
      .set({ state: 'pending', lockedUntil: new Date(t.clock.now().getTime() + 60_000) })
      .where(eq(jobs.id, jobId));
    const running = await resolve(key, 'resend');
    expect(running.statusCode).toBe(409);
    expect(running.json()).toMatchObject({ code: 'mail_job_running' });
    expect(await findDelivery(db(), key)).toMatchObject({ state: 'sending' });

    // A key claimed outside a job: only `sent` resolves it.
    const orphan = `test-orphan:${uniqueEmail()}`;
    await claimDelivery(db(), {
      dedupeKey: orphan,
      recipient: 'someone@example.com',
      subject: 'Hi',
      messageId: messageIdFor(orphan, HOST),
      at: new Date(),
      jobId: null,
    });
    const missing = await resolve(orphan, 'resend');
    expect(missing.statusCode).toBe(409);
    expect(missing.json()).toMatchObject({ code: 'mail_job_missing' });
    expect((await resolve(orphan, 'sent')).statusCode).toBe(200);
  });

  it('takes any key URL-encoded, up to 500 characters', async () => {
    t.clock.offsetMs = TIMEOUT_MS + 1_000;
    const odd = ['new-message:a/b?c#d%2F e&f=g+h;é—中', `new-message:${'x'.repeat(480)}:/%`];
    for (const key of odd) {
      await claimDelivery(db(), {
        dedupeKey: key,
        recipient: 'someone@example.com',
        subject: 'Hi',
        messageId: messageIdFor(key, HOST),
        at: new Date(),
        jobId: null,
      });
      const res = await resolve(key, 'sent');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().key).toBe(key);
      expect(await findDelivery(db(), key)).toMatchObject({ state: 'sent' });
    }
    // Longer than any key can be: names nothing (a path parameter the schema refuses is a 404 here).
    const tooLong = await resolve('k'.repeat(501), 'sent');
    expect(tooLong.statusCode).toBe(404);
    expect(tooLong.json()).toMatchObject({ code: 'not_found' });
    expect((await resolve('some-key', 'maybe')).statusCode).toBe(422);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/mail-deliveries/${'x'.repeat(120)}/other`,
      headers: admin.auth,
      payload: { outcome: 'sent' },
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('lists latest claim first and walks the whole log with the cursor', async () => {
    const seen: { key: string; claimedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ data: { key: string; claimedAt: string }[]; page: { nextCursor: string | null } }>();
      seen.push(...body.data);
      cursor = body.page.nextCursor;
    } while (cursor);
    const [count] = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from mail_deliveries`);
    const n = count!.n;
    expect(seen).toHaveLength(n);
    expect(new Set(seen.map((d) => d.key)).size).toBe(n);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.claimedAt > b.claimedAt || (a.claimedAt === b.claimedAt && a.key > b.key)).toBe(true);
    }
    expect((await list('cursor=nonsense')).statusCode).toBe(422);
    expect((await list('state=lost')).statusCode).toBe(422);
  });

  it('is for admins only', async () => {
    const guest = await register(t.app);
    expect((await t.app.inject({ url: '/v1/admin/mail-deliveries' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/v1/admin/mail-deliveries/k/resolve', payload: { outcome: 'sent' } }))
        .statusCode,
    ).toBe(401);
    expect((await list('', guest.auth)).statusCode).toBe(403);
    expect((await resolve('k', 'sent', guest.auth)).statusCode).toBe(403);
    expect((await resolve('k'.repeat(200), 'sent', guest.auth)).statusCode).toBe(403);
  });
});
