import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startConversation } from '#test/factories/messages.js';
import { createProperty } from '#test/factories/properties.js';
import { createTestApp, register, type Session, type TestApp } from '#test/helpers.js';
import { wsUrl } from '#test/ws.js';

/**
 * What an open, authenticated socket holding one live subscription costs the server: 300
 * of them, opened by a child process (so that the clients' own memory is not counted), and
 * the server's heap measured after a full collection before and after.
 */

const SOCKETS = 300;
/** Generous: the measured figure is in docs and the README; this only catches a regression by multiples. */
const CEILING_BYTES_PER_SOCKET = 256 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let t: TestApp;
let guest: Session;
let host: Session;
let conversationId: string;

beforeAll(async () => {
  t = await createTestApp({ socketLimits: { perUser: SOCKETS, perAddress: SOCKETS } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app)]);
  conversationId = await startConversation(t.app, guest, (await createProperty(t.app, host)).id);
});
afterAll(() => t?.close());

// The clients: open, initialise and subscribe every socket, then say how many are live once
// a message reached each of them, and hold them until stdin closes.
const CLIENTS = `
const WebSocket = require('ws');
const { url, token, conversationId, count } = JSON.parse(process.argv[1]);
const query = 'subscription($c: ID!) { messageAdded(conversationId: $c) { id body } }';
let live = 0;
const sockets = [];
let acked = 0;
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(url, ['graphql-transport-ws']);
  sockets.push(ws);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer ' + token } })));
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (f.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { c: conversationId } } }));
      if (++acked === count) process.stdout.write('subscribed\\n');
    } else if (f.type === 'next' && !ws.live) {
      ws.live = true;
      if (++live === count) process.stdout.write('live\\n');
    } else if (f.type === 'error') process.stdout.write('error ' + data + '\\n');
  });
  ws.on('close', (code) => process.stdout.write('closed ' + code + '\\n'));
}
process.stdin.on('end', () => { for (const ws of sockets) ws.terminate(); process.exit(0); });
process.stdin.resume();
`;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

it(`costs under ${CEILING_BYTES_PER_SOCKET / 1024} KiB of server heap per authenticated socket with a subscription`, async () => {
  const before = heapUsed();
  const rssBefore = process.memoryUsage().rss;
  const child = spawn(
    process.execPath,
    ['-e', CLIENTS, JSON.stringify({ url: wsUrl(t.app), token: guest.accessToken, conversationId, count: SOCKETS })],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (lines.includes(line)) return resolve();
        const bad = lines.find((l) => l.startsWith('closed') || l.startsWith('error'));
        if (bad) reject(new Error(bad));
      };
      child.stdout.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        check();
      });
      check();
    });
  try {
    await waitFor('subscribed');
    const live = waitFor('live');
    // Subscribing completes asynchronously: send until a message reached every socket.
    for (let i = 0; i < 50 && !lines.includes('live'); i++) {
      await t.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: host.auth,
        payload: { body: `to all ${i}` },
      });
      await Promise.race([live, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    await live;
    const perSocket = (heapUsed() - before) / SOCKETS;
    const rssPerSocket = (process.memoryUsage().rss - rssBefore) / SOCKETS;
    console.log(
      `socket memory: ${(perSocket / 1024).toFixed(1)} KiB heap, ${(rssPerSocket / 1024).toFixed(1)} KiB RSS per socket (${SOCKETS} sockets)`,
    );
    expect(perSocket).toBeLessThan(CEILING_BYTES_PER_SOCKET);
  } finally {
    child.stdin.end();
  }
});
