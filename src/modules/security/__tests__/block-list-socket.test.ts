import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '#test/helpers.js';
import { openSocket, wsUrl } from '#test/ws.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

// The refused upgrade's socket is closed by the server: were it left open, closing the app in afterAll would hang.
it('refuses the GraphQL WebSocket upgrade from a blocked address with 403, and opens it once unblocked', async () => {
  const db = t.container.database.db;
  const guard = t.container.services.security.guard;
  // Written straight to the table: the admin route refuses to block the caller's own address.
  await db.execute(sql`insert into blocked_ips (range) values ('127.0.0.1/32')`);
  await guard.reload();
  expect(await openSocket(wsUrl(t.app))).toEqual({ refused: 403 });

  await db.execute(sql`delete from blocked_ips`);
  await guard.reload();
  const open = await openSocket(wsUrl(t.app));
  expect(open).not.toHaveProperty('refused');
  if (!('refused' in open)) {
    open.ws.close();
    await open.closedWith();
  }
});
