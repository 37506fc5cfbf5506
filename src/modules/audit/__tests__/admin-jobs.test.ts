import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, registerAdmin, runDueJobs, useTestApp, type Session } from '#test/helpers.js';
import { getJob, jobs, type JobState } from '../../../platform/jobs/index.js';

const testApp = useTestApp();
let admin: Session;

beforeAll(async () => {
  admin = await registerAdmin(testApp());
});

const FAR_FUTURE = new Date('2100-01-01T00:00:00.000Z');

/** Writes rows straight into the outbox; pending ones are due far ahead so no drain runs them. */
async function insertJobs(rows: { kind: string; state: JobState; createdAt: Date; payload?: unknown }[]) {
  const inserted = await testApp()
    .container.database.db.insert(jobs)
    .values(
      rows.map((r) => ({
        kind: r.kind,
        state: r.state,
        payload: r.payload ?? {},
        runAt: r.state === 'pending' ? FAR_FUTURE : r.createdAt,
        createdAt: r.createdAt,
        attempts: r.state === 'dead' ? 5 : 1,
        lastError: r.state === 'dead' ? 'Error: boom' : null,
        finishedAt: r.state === 'done' || r.state === 'dead' ? r.createdAt : null,
      })),
    )
    .returning({ id: jobs.id });
  return inserted.map((r) => r.id);
}

const list = (query: string, headers = admin.auth) => testApp().app.inject({ url: `/v1/admin/jobs?${query}`, headers });
const retry = (id: string, headers = admin.auth) =>
  testApp().app.inject({ method: 'POST', url: `/v1/admin/jobs/${id}/retry`, headers });

describe('GET /v1/admin/jobs', () => {
  it('lists newest first, filters by kind and state, and walks the whole list with the cursor', async () => {
    const kind = `test.list-${randomUUID().slice(0, 8)}`;
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const states: JobState[] = ['pending', 'relayed', 'done', 'dead', 'done', 'dead', 'done'];
    // Two rows share a creation time, so the id breaks the tie.
    const ids = await insertJobs(
      states.map((state, i) => ({ kind, state, createdAt: new Date(base + Math.min(i, 5) * 1000) })),
    );

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`kind=${kind}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ data: { id: string; createdAt: string }[]; page: { nextCursor: string | null } }>();
      seen.push(...body.data);
      cursor = body.page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(new Set(seen.map((j) => j.id))).toEqual(new Set(ids));
    expect(seen).toHaveLength(ids.length);
    const keys = seen.map((j) => [j.createdAt, j.id].join(' '));
    expect(keys).toEqual([...keys].sort().reverse());

    const dead = await list(`kind=${kind}&state=dead`);
    expect(
      dead
        .json()
        .data.map((j: { id: string }) => j.id)
        .sort(),
    ).toEqual([ids[3], ids[5]].sort());
    expect(dead.json().data[0]).toMatchObject({ state: 'dead', attempts: 5, lastError: 'Error: boom' });
    expect((await list(`kind=${kind}&state=relayed`)).json().data).toHaveLength(1);
  });

  it('never shows the payload', async () => {
    const kind = `test.payload-${randomUUID().slice(0, 8)}`;
    await insertJobs([{ kind, state: 'dead', createdAt: new Date(), payload: { email: 'secret-guest@example.com' } }]);
    const res = await list(`kind=${kind}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('secret-guest');
    expect(Object.keys(res.json().data[0]).sort()).toEqual(
      ['attempts', 'createdAt', 'finishedAt', 'id', 'kind', 'lastError', 'runAt', 'state', 'updatedAt'].sort(),
    );
  });

  it('is for admins only, and bounds its input', async () => {
    const guest = await register(testApp().app);
    const host = await register(testApp().app, { role: 'host' });
    expect((await testApp().app.inject({ url: '/v1/admin/jobs' })).statusCode).toBe(401);
    expect((await list('', guest.auth)).statusCode).toBe(403);
    expect((await list('', host.auth)).statusCode).toBe(403);
    expect((await retry(randomUUID(), guest.auth)).statusCode).toBe(403);
    expect((await list('limit=101')).statusCode).toBe(422);
    expect((await list('state=lost')).statusCode).toBe(422);
    expect((await list('cursor=nonsense')).statusCode).toBe(422);
    expect((await retry('not-a-uuid')).statusCode).toBe(404);
  });
});

describe('POST /v1/admin/jobs/{id}/retry', () => {
  it('puts a dead job back to pending, audits it, and the job then runs', async () => {
    const [id] = await insertJobs([
      { kind: 'users.purge-refresh-tokens', state: 'dead', createdAt: new Date(Date.now() - 60_000) },
    ]);
    const res = await retry(id!);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, state: 'pending', attempts: 0, finishedAt: null });

    await runDueJobs(testApp());
    const row = await getJob(testApp().container.database.db, id!);
    expect(row).toMatchObject({ state: 'done', attempts: 1 });

    const audit = await testApp().app.inject({ url: '/v1/admin/audit?action=job.retried', headers: admin.auth });
    expect(audit.json().data.find((e: { entityId: string }) => e.entityId === id)).toMatchObject({
      actorId: admin.user.id,
      entity: 'job',
      detail: { kind: 'users.purge-refresh-tokens' },
    });

    // Done now, so a second retry is refused.
    const again = await retry(id!);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('job_not_dead');
  });

  it('refuses a job that is not dead (409) and an unknown one (404)', async () => {
    const kind = `test.retry-${randomUUID().slice(0, 8)}`;
    const [done, pending] = await insertJobs([
      { kind, state: 'done', createdAt: new Date() },
      { kind, state: 'pending', createdAt: new Date() },
    ]);
    for (const id of [done!, pending!]) {
      const res = await retry(id);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('job_not_dead');
    }
    expect((await getJob(testApp().container.database.db, done!))?.state).toBe('done');
    const unknown = await retry(randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('job_not_found');
  });
});

describe('GET /metrics', () => {
  it('counts outbox jobs by kind and state at scrape time', async () => {
    const kind = `test.metrics-${randomUUID().slice(0, 8)}`;
    await insertJobs([
      { kind, state: 'dead', createdAt: new Date() },
      { kind, state: 'dead', createdAt: new Date() },
      { kind, state: 'done', createdAt: new Date() },
    ]);
    const res = await testApp().app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`outbox_jobs{kind="${kind}",state="dead"} 2`);
    expect(res.body).toContain(`outbox_jobs{kind="${kind}",state="done"} 1`);
    expect(res.body).toContain(`outbox_jobs{kind="${kind}",state="pending"} 0`);
  });
});
