import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../src/modules/payments/index.js';
import { startConversation } from '#test/factories/messages.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, register, rowsOf, type Session, type TestApp } from '#test/helpers.js';
import { browserMissing, browserRequired, launchChromium, openPage } from '#test/kit/browser.js';
import { sparePort } from '#test/kit/instances.js';
import { bookStay } from '#test/kit/scenario.js';

/**
 * The pages a person opens in a browser, in headless Chromium against a listening app
 * (embedded database): Swagger UI's "Try it out", GraphiQL's queries and a live
 * subscription, and the sandbox checkout's Pay button with its Post/Redirect/Get.
 * `npm run test:browser`; .ci/run installs Chromium and runs it with STAYLANE_BROWSER_TESTS=1.
 */

const skip = browserMissing !== undefined && !browserRequired;
if (skip) console.warn(`test/browser skipped: ${browserMissing}; STAYLANE_BROWSER_TESTS=1 makes this a failure`);

let t: TestApp;
let base: string;
let browser: Browser;
let host: Session;
let propertyId: string;
let propertyTitle: string;

describe.skipIf(skip)('in a browser (headless Chromium)', () => {
  beforeAll(async () => {
    // The sandbox checkout posts its webhook to PUBLIC_URL: the port is chosen before the app starts.
    const port = await sparePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: base } });
    browser = await launchChromium();
    await t.app.listen({ port, host: '127.0.0.1' });
    host = await register(t.app, { role: 'host' });
    const property = await createProperty(t.app, host, { title: `Browser loft ${port}` });
    [propertyId, propertyTitle] = [property.id, property.title];
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('Swagger UI: "Try it out" on the property search answers 200 from this origin', async () => {
    const { page, errors, requests } = await openPage(browser, 'swagger-ui');
    await page.goto(`${base}/docs`);
    const operation = page.locator('#operations-properties-searchProperties');
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.execute').click();
    // The live answer, not the documented ones: a CORS or network failure shows no status.
    const live = operation.locator('.live-responses-table .response .response-col_status');
    await expect.poll(async () => (await live.textContent())?.trim(), { timeout: 10_000 }).toBe('200');
    // The relative `servers` entry resolves against the page's own origin.
    const searchUrl = `${base}/v1/properties?`;
    expect(await operation.locator('.request-url pre').textContent()).toMatch(
      new RegExp(`^${escapeRegExp(searchUrl)}`),
    );
    expect(requests.filter((r) => r.startsWith(`GET ${searchUrl}`))).toHaveLength(1);
    // The search's page as the app answered it (Try it out fills in the parameters' examples).
    const body = await operation
      .locator('.live-responses-table .response .response-col_description pre')
      .first()
      .textContent();
    expect(JSON.parse(body ?? '')).toMatchObject({ data: expect.any(Array), page: { hasMore: expect.any(Boolean) } });
    expect(errors).toEqual([]);
  });

  it('GraphiQL: a query, then messageAdded live over the socket, authenticated from the Headers tab', async () => {
    const guest = await register(t.app);
    const conversationId = await startConversation(t.app, guest, propertyId);
    const { page, errors } = await openPage(browser, 'graphiql');
    await page.goto(`${base}/graphiql`);
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await setEditor(
      page,
      '.graphiql-editor-tool[aria-label="Headers"]',
      JSON.stringify({ authorization: `Bearer ${guest.accessToken}` }),
    );

    await setQuery(page, '{ me { id email } }');
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain(guest.user.email);
    expect(await result.innerText()).toContain(guest.user.id);

    await setQuery(page, `subscription { messageAdded(conversationId: "${conversationId}") { conversationId body } }`);
    const [socket] = await Promise.all([
      page.waitForEvent('websocket'),
      page.locator('.graphiql-execute-button').click(),
    ]);
    expect(socket.url()).toBe(`${base.replace('http:', 'ws:')}/graphql`);
    // Sent until one arrives: the subscription is live once the server has handled `subscribe`.
    let shown = '';
    for (let i = 0; i < 20 && !/from the host \d+/.test(shown); i++) {
      const sent = await t.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: host.auth,
        payload: { body: `from the host ${i}` },
      });
      expect(sent.statusCode).toBe(201);
      await result
        .getByText(/from the host \d+/)
        .waitFor({ timeout: 500 })
        .catch(() => undefined);
      shown = await result.innerText();
    }
    expect(shown).toMatch(/"body": "from the host \d+"/);
    expect(shown).toContain(`"conversationId": "${conversationId}"`);
    expect(errors).toEqual([]);
  });

  it('sandbox checkout: Pay redirects to the result page, and reloading it submits nothing again', async () => {
    const guest = await register(t.app);
    const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(40), checkOut: inDays(42) });
    const initiated = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/payments`,
      headers: guest.auth,
    });
    expect(initiated.statusCode).toBe(201);
    const payment = initiated.json<Payment>();
    expect(payment.checkoutUrl).toBe(`${base}/sandbox/checkout/${payment.id}`);

    const { page, errors, requests } = await openPage(browser, 'sandbox-checkout');
    await page.goto(payment.checkoutUrl!);
    await expect.poll(() => page.locator('h1').textContent()).toBe(propertyTitle);
    const [landed] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${payment.checkoutUrl}/result`),
      page.getByRole('button', { name: 'Pay' }).click(),
    ]);
    // Post/Redirect/Get: the form's POST was answered 303, and the page is the GET it led to.
    const post = landed.request().redirectedFrom();
    expect([post?.method(), post?.url(), (await post?.response())?.status()]).toEqual([
      'POST',
      `${payment.checkoutUrl}/pay`,
      303,
    ]);
    await page.waitForURL(`${payment.checkoutUrl}/result`);
    await expectPaid(page);
    const settled = await bookingState(booking.id, payment.id);
    expect(settled).toMatchObject({ status: 'confirmed', payments: 1, events: 1 });
    expect(settled.confirmedAt).not.toBeNull();

    const before = requests.length;
    const reloaded = await page.reload();
    expect([reloaded?.request().method(), reloaded?.status()]).toEqual(['GET', 200]);
    expect(page.url()).toBe(`${payment.checkoutUrl}/result`);
    await expectPaid(page);
    // Nothing posted again: the browser asked for the result page again, posted nothing, and
    // the booking, its one payment and its one provider event are as they were.
    const again = requests.slice(before);
    expect(again).toContain(`GET ${payment.checkoutUrl}/result`);
    expect(again.filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect(await bookingState(booking.id, payment.id)).toEqual(settled);
    const seen = await t.app.inject({ url: `/v1/bookings/${booking.id}`, headers: guest.auth });
    expect(seen.json<{ status: string }>().status).toBe('confirmed');
    expect(errors).toEqual([]);
  });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces the text of the CodeMirror editor inside `section` (GraphiQL's query, variables
 * and headers editors): a click to focus it, select all, and the text inserted as one input
 * (typing key by key would have the editor close brackets a second time).
 */
async function setEditor(page: Page, section: string, text: string): Promise<void> {
  // The tools section holds the variables and headers editors; the tab not chosen is hidden.
  const editor = page.locator(`${section} .graphiql-editor:not(.hidden) .CodeMirror`);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect.poll(() => editor.locator('.CodeMirror-code').innerText()).toContain(text.slice(0, 20));
}

/**
 * Replaces the query and waits until GraphiQL has taken it in. It parses the query 100 ms after
 * the last change and keeps the result for the Run button, which decides over it whether the
 * operation is a subscription (the WebSocket) or not (HTTP): run before that, a subscription
 * typed over a query goes out over HTTP. The same callback saves the text in localStorage.
 */
async function setQuery(page: Page, query: string): Promise<void> {
  await setEditor(page, '.graphiql-query-editor', query);
  const stored = (q: string) =>
    (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
      'graphiql:query',
    ) === q;
  await page.waitForFunction(stored, query);
}

async function expectPaid(page: Page): Promise<void> {
  expect(await page.locator('h1').textContent()).toBe('Payment received');
  expect(await page.locator('body').innerText()).toContain('Payment status: succeeded');
}

/** What a second submission would change: the booking's state and its payments and provider events. */
async function bookingState(bookingId: string, paymentId: string) {
  const db = t.container.database.db;
  const [row] = await rowsOf<{ status: string; confirmed_at: Date | string | null; payments: number; events: number }>(
    db,
    sql`select b.status, b.confirmed_at,
          (select count(*)::int from payments p where p.booking_id = b.id) as payments,
          (select count(*)::int from payment_events e where e.payment_id = ${paymentId}) as events
        from bookings b where b.id = ${bookingId}`,
  );
  return {
    status: row!.status,
    confirmedAt: row!.confirmed_at === null ? null : new Date(row!.confirmed_at).toISOString(),
    payments: row!.payments,
    events: row!.events,
  };
}
