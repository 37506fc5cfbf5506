import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConversation } from '#test/factories/messages.js';
import { createProperty } from '#test/factories/properties.js';
import { createTestApp, register, type Session, type TestApp } from '#test/helpers.js';

/**
 * The served GraphiQL page against a listening server: its own scripts (React, GraphiQL's
 * bundle, the start script) run in a stand-in for the browser, with real `fetch` and a real
 * WebSocket, and the fetcher GraphiQL is given runs a subscription the way the page would.
 */

type Fetcher = (
  params: { query: string; variables?: Record<string, unknown>; operationName?: string },
  options: { documentAST: unknown; headers?: Record<string, string> },
) => Promise<unknown>;

let t: TestApp;
let origin: string;
let host: Session;
let guest: Session;
let conversationId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app)]);
  conversationId = await startConversation(t.app, guest, (await createProperty(t.app, host)).id);
});

afterAll(async () => {
  await t?.close();
});

/** Loads the page's scripts as the browser would, and returns the fetcher the page gives GraphiQL. */
async function pageFetcher(): Promise<Fetcher> {
  const html = await (await fetch(`${origin}/graphiql`)).text();
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
  const noop = () => undefined;
  const element = { style: {}, setAttribute: noop, appendChild: noop, addEventListener: noop };
  const page: Record<string, unknown> = {
    fetch,
    WebSocket: createRequire(import.meta.url)('ws') as unknown,
    URL,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    TextEncoder,
    TextDecoder,
    location: { href: `${origin}/graphiql` },
    navigator: { userAgent: 'node' },
    addEventListener: noop,
    removeEventListener: noop,
    matchMedia: () => ({ matches: false, addEventListener: noop }),
    localStorage: { getItem: () => null, setItem: noop, removeItem: noop },
    document: {
      documentElement: element,
      body: element,
      head: element,
      createElement: () => ({ ...element }),
      createTextNode: () => ({}),
      addEventListener: noop,
      removeEventListener: noop,
      querySelector: () => null,
      querySelectorAll: () => [],
      getElementById: () => ({ getAttribute: () => '/graphql' }),
    },
  };
  page.window = page;
  page.self = page;
  let rendered: { props: { fetcher: Fetcher } } | undefined;
  for (const src of scripts) {
    // Rendering needs a real DOM; the start script's element is caught instead.
    if (src.includes('graphiql-start'))
      page.ReactDOM = { createRoot: () => ({ render: (e: never) => (rendered = e) }) };
    runInNewContext(await (await fetch(`${origin}${src}`)).text(), page);
  }
  if (!rendered) throw new Error('the start script rendered nothing');
  return rendered.props.fetcher;
}

describe('GraphiQL, served, against a listening server', () => {
  it('runs messageAdded over the WebSocket, authenticated with the Headers tab', async () => {
    const fetcher = await pageFetcher();
    const query = 'subscription($c: ID!) { messageAdded(conversationId: $c) { conversationId body createdAt } }';
    const stream = (await fetcher(
      { query, variables: { c: conversationId } },
      { documentAST: parse(query), headers: { authorization: `Bearer ${guest.accessToken}` } },
    )) as AsyncIterableIterator<{ data?: unknown; errors?: unknown }>;
    expect(typeof stream[Symbol.asyncIterator]).toBe('function');
    const first = stream.next();
    // Sent until it arrives: the subscription is live once the server has handled `subscribe`.
    let arrived: IteratorResult<{ data?: unknown }> | undefined;
    for (let i = 0; i < 50 && !arrived; i++) {
      await t.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: host.auth,
        payload: { body: `hello ${i}` },
      });
      arrived = await Promise.race([first, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    }
    await stream.return?.();
    expect(arrived?.value).toEqual({
      data: {
        messageAdded: {
          conversationId,
          body: expect.stringMatching(/^hello \d+$/),
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        },
      },
    });
  });

  it('sends queries over HTTP', async () => {
    const fetcher = await pageFetcher();
    const query = '{ me { id } }';
    const headers = { authorization: `Bearer ${guest.accessToken}` };
    // GraphiQL's fetcher streams (incremental delivery): a plain JSON answer is its one value.
    const answer = (await fetcher({ query }, { documentAST: parse(query), headers })) as AsyncIterator<unknown>;
    expect((await answer.next()).value).toEqual({ data: { me: { id: guest.user.id } } });
  });
});
