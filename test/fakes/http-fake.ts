import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received, as it arrived. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status: number;
  body: unknown;
}

export interface HttpFake {
  url: string;
  requests: RecordedRequest[];
  /** Makes the next `count` requests answer this instead (an outage, a refusal). */
  failNext(count: number, reply?: FakeReply): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0) whose answers come from `route`. */
export async function startHttpFake(route: (request: RecordedRequest) => FakeReply): Promise<HttpFake> {
  const requests: RecordedRequest[] = [];
  let failures: { count: number; reply: FakeReply } = { count: 0, reply: { status: 500, body: {} } };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      let reply: FakeReply;
      if (failures.count > 0) {
        failures.count--;
        reply = failures.reply;
      } else {
        try {
          reply = route(recorded);
        } catch (e) {
          reply = { status: 500, body: { message: String(e) } };
        }
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, reply = { status: 500, body: { message: 'Internal error' } }) {
      failures = { count, reply };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** POSTs a raw body with headers to `url` over real HTTP, as a provider's webhook would. */
export async function deliver(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: await res.text() };
}
