import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** A graphql-transport-ws client over a real `ws` WebSocket, for tests. */

export interface WsClient {
  readonly protocol: string;
  send(data: string): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'unexpected-response', listener: (req: { destroy(): void }, res: { statusCode: number }) => void): void;
}
type WsConstructor = new (url: string, protocols: string[], options?: { headers?: Record<string, string> }) => WsClient;
export const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

export interface Frame {
  type: string;
  id?: string;
  payload?: unknown;
}

/** Frames queue up until a test waits for one. */
export class Connection {
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  closeCode: number | undefined;
  closeReason: string | undefined;
  readonly whenClosed: Promise<number>;
  constructor(readonly ws: WsClient) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.whenClosed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.closed = true;
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
        this.wake();
      }),
    );
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  send(frame: Frame | Record<string, unknown>) {
    this.ws.send(JSON.stringify(frame));
  }
  sendRaw(data: string) {
    this.ws.send(data);
  }
  /** The next frame matching `match`, frames before it being dropped; undefined once closed. */
  async next(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i >= 0) return this.frames.splice(0, i + 1).at(-1);
      if (this.closed) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  /** The close code, once the server closed the socket (rejects after `timeoutMs`). */
  async closedWith(timeoutMs = 5_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out waiting for the socket to close')), timeoutMs);
    });
    try {
      return await Promise.race([this.whenClosed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export const wsUrl = (app: FastifyInstance) => `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;

export function openSocket(
  url: string,
  headers: Record<string, string> = {},
  protocols = ['graphql-transport-ws'],
): Promise<Connection | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    // Listening from the start: a server may close a socket right after opening it.
    const connection = new Connection(ws);
    ws.on('open', () => resolve(connection));
    ws.on('unexpected-response', (req, res) => {
      // The refusal's connection is not kept: a server closing waits for no one.
      req.destroy();
      resolve({ refused: res.statusCode });
    });
    ws.on('error', reject);
  });
}

export async function connectSocket(url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const c = await openSocket(url, headers);
  if (!(c instanceof Connection)) throw new Error(`refused: ${c.refused}`);
  c.send({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) });
  return { connection: c, answer: await c.next(() => true) };
}

/** `connection_init` with a bearer token, expecting the acknowledgement. */
export async function connectAs(url: string, accessToken: string): Promise<Connection> {
  const { connection, answer } = await connectSocket(url, { authorization: `Bearer ${accessToken}` });
  if (answer?.type !== 'connection_ack') {
    throw new Error(`not acknowledged: ${JSON.stringify(answer)} closed ${connection.closeCode}`);
  }
  return connection;
}
