import { bearerOf } from '../http/auth.js';

/**
 * The `graphql-transport-ws` protocol as the socket guard speaks it
 * (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md): its close codes, the
 * bounds on sockets, and the reading of frames in both directions.
 */

export const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';

export const CloseCode = {
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  SubprotocolNotAcceptable: 4406,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyRequests: 4429,
} as const;

export interface SocketLimits {
  /** Open sockets per user, across API processes. */
  perUser: number;
  /** Open sockets per client address (authenticated or not yet), across API processes. */
  perAddress: number;
  /** Live subscriptions per socket. */
  subscriptionsPerSocket: number;
  /** How long a socket may stay open before its `connection_init`. */
  initTimeoutMs: number;
}

export const SOCKET_LIMITS: SocketLimits = {
  perUser: 10,
  perAddress: 30,
  subscriptionsPerSocket: 20,
  initTimeoutMs: 10_000,
};

/** A caller check this recent is reused before delivering an event. */
export const CALLER_RECHECK_MS = 1_000;
/** Frames a client may have waiting for the guard; past it the socket is closed (4429). */
export const MAX_PENDING_FRAMES = 64;
const MAX_ID_LENGTH = 128;
/** The longest delay a Node timer keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The part of a `ws` WebSocket the guard uses. */
export interface WsSocket {
  readonly protocol: string;
  readonly readyState: number;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  send(data: unknown, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'close', listener: () => void): unknown;
}
/** `WebSocket.OPEN`. */
export const OPEN = 1;

/** Closes the socket: thrown to stop handling a frame. */
export class Closed extends Error {}

/** The token a `connection_init` payload carries: undefined when none, null when not a bearer token. */
export function initPayloadToken(payload: unknown): string | undefined | null {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  const headers = p.headers !== null && typeof p.headers === 'object' ? (p.headers as Record<string, unknown>) : {};
  return bearerOf(p.authorization ?? p.Authorization ?? headers.authorization ?? headers.Authorization);
}

/** The text of a frame as `ws` hands it over (a Buffer, or fragments of one). */
export function frameText(data: unknown): string {
  return Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data as Buffer[]).toString('utf8')
      : String(data);
}

// `__proto__` and `constructor` keys are refused as on HTTP (secure-json-parse).
/** A client frame as a JSON object, else undefined. */
export function parseFrame(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
      return v;
    });
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The protocol's operation ids are non-empty strings; the guard bounds their length. */
export const isOperationId = (id: unknown): id is string =>
  typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

// mercurius writes `{"type":…,"id":…,"payload":…}`: type and id are read without parsing the payload.
const OUTGOING = /^\{"type":"([a-z_]+)"(?:,"id":("(?:[^"\\]|\\.)*"))?/;

/** The type and operation id of a frame mercurius sends. */
export function outgoingFrame(data: unknown): { type: string | undefined; id: string | undefined } {
  const match = typeof data === 'string' ? OUTGOING.exec(data) : null;
  const type = match?.[1];
  const id = match?.[2] !== undefined ? (JSON.parse(match[2]) as string) : undefined;
  return { type, id };
}
