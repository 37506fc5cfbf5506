import { randomUUID } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { createProperty } from '#test/factories/properties.js';
import { register, type Session } from '#test/helpers.js';
import type { FuzzTarget } from './contract.js';

/**
 * The contract fuzzer's WebSocket side. It speaks `graphql-transport-ws` to the app
 * listening on a real port, and holds it to the socket contract: a document HTTP would refuse is
 * refused on the socket too (an `error` message whose GraphQL errors carry
 * `extensions.code`, or close 4400); only the protocol's close codes; no message type the
 * protocol lacks; no frame over MAX_FRAME_BYTES; the limits on sockets, subscriptions and
 * the `connection_init` wait; identity checked while the socket lives; the server up and
 * its heap bounded after thousands of hostile frames.
 *
 * Cases are drawn by fast-check from the same seed as the HTTP side (FUZZ_SEED replays a
 * run). Every case opens its own sockets from its own loopback address, so the
 * per-address limit never mistakes one case for another, and closes them before it ends.
 */

// ---------------------------------------------------------------------------------------
// The contract's numbers

export const SOCKET_CONTRACT = {
  /** Largest frame the server may send. */
  maxFrameBytes: 1024 * 1024,
  initTimeoutMs: 10_000,
  socketsPerUser: 10,
  socketsPerAddress: 30,
  subscriptionsPerSocket: 20,
  maxAliases: 30,
  maxDepth: 10,
  maxTokens: 5000,
  /** Heap growth tolerated over a whole run, after garbage collection. */
  maxHeapGrowthBytes: 64 * 1024 * 1024,
} as const;

/**
 * graphql-transport-ws close codes the server may use: normal, bad request, unauthorized,
 * forbidden, init timeout, duplicate id, too many, and message too big.
 */
const ALLOWED_CLOSES = new Set([1000, 4400, 4401, 4403, 4408, 4409, 4429, 1009]);
const PROTOCOL_TYPES = ['connection_init', 'connection_ack', 'ping', 'pong', 'subscribe', 'next', 'error', 'complete'];

/** How long a refusal may take before the case probes whether the document went live. */
const REFUSAL_WAIT_MS = 2_000;
/** How long a valid subscription may take to deliver a probe message. */
const DELIVERY_WAIT_MS = 5_000;
/** Cases that run at once: each holds one socket (a few in the bounds cases). */
const CONCURRENCY = 3;
/** After this many failures of one kind of case, the rest of that kind are skipped. */
const FAILURES_PER_KIND = 3;
const HEALTH_EVERY = 50;
/** Frames from the server are read up to this size; more is a failure, not our crash. */
const CLIENT_MAX_PAYLOAD = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------------------
// A raw client: every frame is checked as it arrives

interface WsClient {
  readonly readyState: number;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'unexpected-response', listener: (req: ClientRequest, res: { statusCode?: number }) => void): void;
}
type WsConstructor = new (
  url: string,
  protocols: string[],
  options: {
    headers?: Record<string, string>;
    localAddress?: string;
    maxPayload?: number;
    handshakeTimeout?: number;
    perMessageDeflate?: boolean;
  },
) => WsClient;
// `ws` comes with mercurius; its types are not a dependency of ours.
const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

interface Frame {
  type?: unknown;
  id?: unknown;
  payload?: unknown;
}

interface Closed {
  code: number;
  reason: string;
  byServer: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function clip(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/** Why a list of GraphQL errors breaks the contract, or undefined. */
function errorsShape(errors: unknown, where: string): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) {
    return `${where} payload is not a non-empty array of GraphQL errors: ${clip(JSON.stringify(errors) ?? 'undefined')}`;
  }
  for (const e of errors) {
    if (!isObject(e) || typeof e.message !== 'string')
      return `${where} holds a malformed error: ${clip(JSON.stringify(e))}`;
    const code = isObject(e.extensions) ? e.extensions.code : undefined;
    if (typeof code !== 'string') return `${where} error without extensions.code: ${clip(JSON.stringify(e))}`;
    if (code === 'INTERNAL_SERVER_ERROR') return `${where} error INTERNAL_SERVER_ERROR: ${clip(JSON.stringify(e))}`;
  }
  return undefined;
}

/** Why a frame from the server breaks graphql-transport-ws, or undefined. */
function frameShape(f: unknown, subscribed: Set<string>): string | undefined {
  if (!isObject(f)) return 'a frame that is not a JSON object';
  const { type, id, payload } = f as Frame;
  const ownId = () => {
    if (typeof id !== 'string' || id === '') return `${String(type)} without an id`;
    if (!subscribed.has(id)) return `${String(type)} for id ${JSON.stringify(id)}, which the client never subscribed`;
    return undefined;
  };
  switch (type) {
    case 'connection_ack':
    case 'ping':
    case 'pong':
      return payload === undefined || payload === null || isObject(payload)
        ? undefined
        : `${type} with a payload that is not an object`;
    case 'next': {
      const bad = ownId();
      if (bad) return bad;
      if (!isObject(payload) || !('data' in payload || 'errors' in payload)) return 'next without an execution result';
      return 'errors' in payload ? errorsShape(payload.errors, 'next') : undefined;
    }
    case 'error':
      return ownId() ?? errorsShape(payload, 'error');
    case 'complete':
      return ownId();
    case 'connection_error':
      return 'a connection_error message, which graphql-transport-ws does not define';
    default:
      return `a message of unknown type ${clip(JSON.stringify(type) ?? 'undefined')}`;
  }
}

class Sock {
  readonly all: Frame[] = [];
  readonly log: string[] = [];
  readonly violations: string[] = [];
  readonly subscribed = new Set<string>();
  closed: Closed | undefined;
  private clientClosing = false;
  private waiters: (() => void)[] = [];

  constructor(
    readonly ws: WsClient,
    private readonly run: SocketRun,
    readonly name: string,
  ) {
    run.openSockets.add(this);
    ws.on('message', (data, isBinary) => {
      run.report.framesReceived++;
      const text = data.toString('utf8');
      this.log.push(`< ${clip(text)}`);
      if (data.length > SOCKET_CONTRACT.maxFrameBytes) {
        this.violate(`a frame of ${data.length} bytes, over the ${SOCKET_CONTRACT.maxFrameBytes}-byte bound`);
      }
      if (isBinary) this.violate('a binary frame');
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        this.violate('a frame that is not JSON');
        return;
      }
      const why = frameShape(frame, this.subscribed);
      if (why) this.violate(why);
      this.all.push(isObject(frame) ? frame : {});
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8'), byServer: !this.clientClosing };
      this.log.push(
        `× closed ${code}${reason.length ? ` "${clip(reason.toString('utf8'), 80)}"` : ''} by ${this.closed.byServer ? 'the server' : 'the client'}`,
      );
      if (this.closed.byServer) {
        run.report.closes.set(code, (run.report.closes.get(code) ?? 0) + 1);
        if (!ALLOWED_CLOSES.has(code)) this.violate(`closed with ${code}, not a graphql-transport-ws close code`);
      }
      run.openSockets.delete(this);
      this.wake();
    });
    ws.on('error', (err) => {
      if (this.clientClosing) return;
      this.log.push(`! ${err.message}`);
      this.violate(`the connection failed: ${err.message}`);
    });
  }

  private violate(why: string) {
    this.violations.push(why);
    this.log.push(`  ^ ${why}`);
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(frame: unknown) {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(text: string | Buffer, binary = false) {
    if (this.closed || this.ws.readyState !== 1) return;
    const parsed = frame(text);
    const f = isObject(parsed) ? (parsed as Frame) : undefined;
    if (f?.type === 'subscribe' && typeof f.id === 'string') this.subscribed.add(f.id);
    this.run.report.framesSent++;
    this.log.push(`> ${binary ? `(binary ${text.length} bytes) ` : ''}${clip(redact(text.toString()))}`);
    this.ws.send(text, { binary });
  }

  /** True once `cond` holds; false when the time runs out or the socket closes first. */
  async until(cond: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (cond()) return true;
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return cond();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  frameFor(id: string, types: string[]): Frame | undefined {
    return this.all.find((f) => f.id === id && types.includes(String(f.type)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.clientClosing = true;
    this.ws.close(1000);
    if (!(await this.until(() => Boolean(this.closed), 2_000))) this.ws.terminate();
    await this.until(() => Boolean(this.closed), 1_000);
  }

  terminate() {
    this.clientClosing = true;
    this.ws.terminate();
  }
}

function frame(text: string | Buffer): unknown {
  try {
    return JSON.parse(text.toString()) as unknown;
  } catch {
    return undefined;
  }
}

/** A socket's log for a report: its start and its end, when it is long (floods). */
function excerpt(log: string[]): string[] {
  if (log.length <= 24) return log;
  return [...log.slice(0, 14), `… ${log.length - 22} lines …`, ...log.slice(-8)];
}

/** Access tokens stay out of failure reports. */
const redact = (text: string) => text.replace(/(Bearer\s+)[\w-]+\.[\w-]+\.[\w-]*/g, '$1<token>');

// ---------------------------------------------------------------------------------------
// The run: the listening app, its actors, the report

export interface SocketReport {
  cases: number;
  byKind: Map<string, number>;
  framesSent: number;
  framesReceived: number;
  sockets: number;
  /** Close codes the server chose, by code. */
  closes: Map<number, number>;
  /** Cases skipped because their kind had already failed FAILURES_PER_KIND times. */
  skipped: number;
  /** Cases whose probe message was rate limited: neither passed nor failed. */
  inconclusive: number;
  failures: string[];
  heapGrowthBytes: number | undefined;
  rssGrowthBytes: number;
  seed: number;
  elapsedMs: number;
}

interface Chat {
  id: string;
  guest: Session;
}

interface Actors {
  host: Session;
  /** Conversations valid subscriptions use: probes may carry long bodies. */
  chats: Chat[];
  /**
   * Conversations refused documents use: probes are short, so a server that wrongly runs
   * a document of thousands of aliases sends a large frame, not one that fills its heap.
   */
  traps: Chat[];
  stranger: Session;
  admin: Session;
  /** A suspended account's token, once the suspension case has run. */
  suspended?: string;
  madeAt: number;
}

const ACTORS_TTL_MS = 10 * 60_000;

class SocketRun {
  readonly openSockets = new Set<Sock>();
  readonly report: SocketReport;
  private readonly failuresByKind = new Map<string, number>();
  private address = 0;
  actors: Actors = undefined as never;
  url = '';
  httpUrl = '';

  constructor(
    readonly target: FuzzTarget,
    seed: number,
  ) {
    this.report = {
      cases: 0,
      byKind: new Map(),
      framesSent: 0,
      framesReceived: 0,
      sockets: 0,
      closes: new Map(),
      skipped: 0,
      inconclusive: 0,
      failures: [],
      heapGrowthBytes: undefined,
      rssGrowthBytes: 0,
      seed,
      elapsedMs: 0,
    };
  }

  get app() {
    return this.target.app;
  }

  /** A loopback address no other case uses (127.1.0.1 …). */
  nextAddress(): string {
    const n = this.address++ % 60_000;
    return `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  async open(
    name: string,
    options: { headers?: Record<string, string>; address?: string } = {},
  ): Promise<Sock | { refused: number } | { failed: string }> {
    this.report.sockets++;
    return new Promise((resolve) => {
      const ws = new WebSocket(this.url, ['graphql-transport-ws'], {
        headers: options.headers,
        localAddress: options.address ?? this.nextAddress(),
        maxPayload: CLIENT_MAX_PAYLOAD,
        handshakeTimeout: 5_000,
        perMessageDeflate: false,
      });
      let sock: Sock | undefined;
      ws.on('open', () => {
        sock = new Sock(ws, this, name);
        resolve(sock);
      });
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve({ refused: res.statusCode ?? 0 });
      });
      ws.on('error', (err) => {
        if (!sock) resolve({ failed: err.message });
      });
    });
  }

  kindFailed(kind: string): boolean {
    return (this.failuresByKind.get(kind) ?? 0) >= FAILURES_PER_KIND;
  }

  fail(kind: string, why: string, describe: string, socks: Sock[], index: number | undefined) {
    this.failuresByKind.set(kind, (this.failuresByKind.get(kind) ?? 0) + 1);
    const transcript = socks.flatMap((s) => [`  [${s.name}]`, ...excerpt(s.log).map((l) => `    ${l}`)]);
    const replay =
      index === undefined
        ? `replay: FUZZ_SEED=${this.report.seed}`
        : `replay: FUZZ_SEED=${this.report.seed} (socket case #${index})`;
    this.report.failures.push(
      [`socket ${kind}: ${why}`, `  case: ${describe}`, ...transcript, `  ${replay}`].join('\n'),
    );
  }

  /** Posts a message into a conversation; false when the send limit answered instead. */
  async probe(chat: Chat, length: number): Promise<boolean> {
    const text = `probe ${randomUUID()} `;
    const body = (text + 'x'.repeat(Math.max(0, length - text.length))).slice(0, Math.max(length, text.length));
    // Each sender may send 60 messages a minute: when the guest has spent theirs, the host writes.
    for (const sender of [chat.guest, this.actors.host]) {
      const res = await this.app.inject({
        method: 'POST',
        url: `/v1/conversations/${chat.id}/messages`,
        headers: sender.auth,
        payload: { body },
      });
      if (res.statusCode === 201) return true;
      if (res.statusCode !== 429)
        throw new Error(`probe message answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    }
    return false;
  }

  async ensureActors(): Promise<void> {
    if (this.actors && Date.now() - this.actors.madeAt < ACTORS_TTL_MS) return;
    await this.target.liftBlocks();
    const app = this.app;
    const [host, stranger, admin] = await Promise.all([
      register(app, { role: 'host', firstName: 'Socket', lastName: 'Host' }),
      register(app, { firstName: 'Socket', lastName: 'Stranger' }),
      // The HTTP side's admin: registering another costs an argon2 hash for nothing.
      Promise.resolve(this.target.actors.admin),
    ]);
    const place = (await createProperty(app, host)).id;
    const guests = await Promise.all(
      Array.from({ length: 14 }, (_, i) => register(app, { firstName: 'Socket', lastName: `Guest ${i}` })),
    );
    const chats = await Promise.all(
      guests.map(async (guest) => {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/conversations',
          headers: guest.auth,
          payload: { propertyId: place, body: 'Hello from the socket fuzzer' },
        });
        if (res.statusCode >= 300) throw new Error(`conversation: ${res.statusCode} ${res.body.slice(0, 200)}`);
        return { id: res.json<{ id: string }>().id, guest };
      }),
    );
    this.actors = {
      host,
      chats: chats.slice(0, 10),
      traps: chats.slice(10),
      stranger,
      admin,
      suspended: this.actors?.suspended,
      madeAt: Date.now(),
    };
  }

  token(session: Session): string {
    return session.accessToken;
  }
}

// ---------------------------------------------------------------------------------------
// Documents from the schema

interface SubscriptionRoot {
  name: string;
  field: GraphQLField<unknown, unknown>;
  leaves: string[];
  /** A conversation argument: a probe message reaches the subscription. */
  probeable: boolean;
}

function subscriptionRoots(target: FuzzTarget): SubscriptionRoot[] {
  const type = target.app.graphql.schema.getSubscriptionType();
  if (!type) return [];
  return Object.values(type.getFields()).map((field) => {
    const named = getNamedType(field.type);
    const leaves = isObjectType(named)
      ? Object.values(named.getFields())
          .filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0)
          .map((f) => f.name)
      : [];
    return {
      name: field.name,
      field,
      leaves: leaves.length ? leaves : ['__typename'],
      probeable: field.args.some((a) => a.name === 'conversationId'),
    };
  });
}

/** What a document is broken by (`none`: a valid document). */
type Breakage =
  | { kind: 'none' }
  | { kind: 'aliases'; n: number }
  | { kind: 'tokens'; n: number }
  | { kind: 'depth'; n: number }
  | { kind: 'unknown-field' }
  | { kind: 'unknown-root' }
  | { kind: 'unknown-arg' }
  | { kind: 'missing-arg' }
  | { kind: 'two-roots'; how: 'aliases' | 'typename' }
  | { kind: 'variable-value'; value: unknown }
  | { kind: 'variable-type'; decl: string }
  | { kind: 'undeclared-variable' }
  | { kind: 'fragment-cycle' }
  | { kind: 'nul'; where: 'literal' | 'variable' | 'operation-name' }
  | { kind: 'huge-string'; size: number; where: 'literal' | 'variable' }
  | { kind: 'query-type'; value: 'number' | 'null' | 'array' | 'object' | 'ast' | 'missing' | 'boolean' }
  | { kind: 'variables-type'; value: unknown }
  | { kind: 'stranger' }
  | { kind: 'unknown-conversation' }
  | { kind: 'operation'; op: 'query-me' | 'query-cost' | 'mutation-aliases' };

interface DocumentCase {
  kind: 'document';
  root: number;
  breakage: Breakage;
  who: 'guest' | 'host';
  authVia: 'payload' | 'payload-headers' | 'upgrade';
  chat: number;
  asVariable: boolean;
  operationName: boolean;
  fields: number[];
  aliased: number;
  fragment: 'none' | 'named' | 'inline';
  id: string;
  probeLength: number;
  thenComplete: boolean;
}

const breakageArb: fc.Arbitrary<Breakage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        { weight: 6, arbitrary: fc.integer({ min: 31, max: 80 }) },
        { weight: 3, arbitrary: fc.integer({ min: 81, max: 1500 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1501, max: 30_000 }) },
      )
      .map((n) => ({ kind: 'aliases' as const, n })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 5001, max: 15_000 }).map((n) => ({ kind: 'tokens' as const, n })) },
  { weight: 1, arbitrary: fc.integer({ min: 11, max: 60 }).map((n) => ({ kind: 'depth' as const, n })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown-field' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown-root' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown-arg' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing-arg' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('aliases' as const, 'typename' as const)
      .map((how) => ({ kind: 'two-roots' as const, how })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>(12, true, {}, [], null, 1.5, ['x'], { id: 'x' })
      .map((value) => ({ kind: 'variable-value' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('Int!', 'String!', '[ID!]!', 'Bogus!', 'Boolean')
      .map((decl) => ({ kind: 'variable-type' as const, decl })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'undeclared-variable' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fragment-cycle' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('literal' as const, 'variable' as const, 'operation-name' as const)
      .map((where) => ({ kind: 'nul' as const, where })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        size: fc.integer({ min: 10_000, max: 900_000 }),
        where: fc.constantFrom('literal' as const, 'variable' as const),
      })
      .map((r) => ({ kind: 'huge-string' as const, ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        'number' as const,
        'null' as const,
        'array' as const,
        'object' as const,
        'ast' as const,
        'missing' as const,
        'boolean' as const,
      )
      .map((value) => ({ kind: 'query-type' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>([], 12, true, ['{}'])
      .map((value) => ({ kind: 'variables-type' as const, value })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'stranger' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown-conversation' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('query-me' as const, 'query-cost' as const, 'mutation-aliases' as const)
      .map((op) => ({ kind: 'operation' as const, op })),
  },
);

/** Any non-empty string is an id in graphql-transport-ws. */
const idArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat(999).map((n) => `s${n}`) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }) },
);

const documentCaseArb: fc.Arbitrary<DocumentCase> = fc.record({
  kind: fc.constant('document' as const),
  root: fc.nat(),
  breakage: breakageArb,
  who: fc.constantFrom('guest' as const, 'host' as const),
  authVia: fc.constantFrom('payload' as const, 'payload' as const, 'payload-headers' as const, 'upgrade' as const),
  chat: fc.nat(),
  asVariable: fc.boolean(),
  operationName: fc.boolean(),
  fields: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
  aliased: fc.nat(5),
  fragment: fc.constantFrom('none' as const, 'none' as const, 'named' as const, 'inline' as const),
  id: idArb,
  probeLength: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 200 }) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 4000 }) },
  ),
  thenComplete: fc.boolean(),
});

/** What the contract expects of a document: to go live, to be refused, or merely a well-formed answer. */
function expectationOf(c: DocumentCase, root: SubscriptionRoot): 'accept' | 'refuse' | 'any' {
  const b = c.breakage;
  if (b.kind === 'none') return root.probeable ? 'accept' : 'any';
  if (b.kind === 'operation' && b.op === 'query-me') return 'any';
  // These break the conversation argument: on a root without one, the document stays valid.
  if (!root.probeable && (CONVERSATION_BREAKAGES.has(b.kind) || (b.kind === 'nul' && b.where !== 'operation-name')))
    return 'any';
  return 'refuse';
}

const CONVERSATION_BREAKAGES = new Set<Breakage['kind']>([
  'missing-arg',
  'variable-value',
  'variable-type',
  'undeclared-variable',
  'huge-string',
  'stranger',
  'unknown-conversation',
]);

const gqlString = (s: string) => JSON.stringify(s);

/** A literal for a required argument the fuzzer has no real value for. */
function placeholder(type: GraphQLField<unknown, unknown>['args'][number]['type']): string {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.name ?? 'null';
  switch (named.name) {
    case 'Int':
    case 'Float':
      return '1';
    case 'Boolean':
      return 'true';
    case 'ID':
      return gqlString(randomUUID());
    default:
      return '"x"';
  }
}

/** A selection `depth` fields deep: through object fields while there are some, then through a made-up one. */
function deepSelection(type: GraphQLObjectType | undefined, depth: number): string {
  if (depth === 0) return '__typename';
  const next = type
    ? Object.values(type.getFields()).find((f) => isObjectType(getNamedType(f.type)) && f.args.length === 0)
    : undefined;
  const inner = next ? (getNamedType(next.type) as GraphQLObjectType) : undefined;
  return `${next?.name ?? 'nested'} { ${deepSelection(inner, depth - 1)} }`;
}

interface BuiltDocument {
  payload: unknown;
  conversationId: string | undefined;
}

function buildDocument(c: DocumentCase, root: SubscriptionRoot, conversationId: string): BuiltDocument {
  const b = c.breakage;
  const named = getNamedType(root.field.type);
  const returnType = isObjectType(named) ? named : undefined;
  let convId = conversationId;
  if (b.kind === 'unknown-conversation') convId = randomUUID();
  if (b.kind === 'nul' && (b.where === 'literal' || b.where === 'variable')) convId = `${conversationId}\u0000`;
  if (b.kind === 'huge-string') convId = 'f'.repeat(b.size);

  // The arguments: the conversation as a variable or a literal, placeholders for the rest.
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const args: string[] = [];
  for (const a of root.field.args) {
    if (a.name === 'conversationId') {
      if (b.kind === 'missing-arg') continue;
      const viaVariable =
        b.kind === 'variable-value' || b.kind === 'variable-type' || b.kind === 'undeclared-variable'
          ? true
          : (b.kind === 'nul' || b.kind === 'huge-string') && b.where !== 'operation-name'
            ? b.where === 'variable'
            : c.asVariable;
      if (viaVariable) {
        if (b.kind !== 'undeclared-variable') defs.push(`$c: ${b.kind === 'variable-type' ? b.decl : String(a.type)}`);
        args.push('conversationId: $c');
        variables.c =
          b.kind === 'variable-value' ? b.value : b.kind === 'variable-type' && b.decl === 'Int!' ? 12 : convId;
      } else {
        args.push(`conversationId: ${gqlString(convId)}`);
      }
    } else if (isNonNullType(a.type) && b.kind !== 'missing-arg') {
      args.push(`${a.name}: ${placeholder(a.type)}`);
    }
  }
  if (b.kind === 'unknown-arg') args.push('bogusArgument: 1');

  // The selection: a few leaves, some aliased, maybe through a fragment.
  const picked = [...new Set(c.fields.map((i) => root.leaves[i % root.leaves.length]!))];
  let fields = picked.map((f, i) => (i < c.aliased ? `a${i}_${f}: ${f}` : f));
  if (b.kind === 'aliases') fields = Array.from({ length: b.n }, (_, i) => `x${i}: ${picked[i % picked.length]}`);
  if (b.kind === 'tokens') fields = Array.from({ length: b.n }, (_, i) => picked[i % picked.length]!);
  if (b.kind === 'unknown-field') fields.push('notAField');
  if (b.kind === 'depth') fields = [deepSelection(returnType, b.n)];
  const fragments: string[] = [];
  let selection = fields.join(' ');
  const on = returnType?.name ?? 'Subscription';
  if (b.kind === 'fragment-cycle') {
    fragments.push(`fragment A on ${on} { ...B }`, `fragment B on ${on} { ...A }`);
    selection = '...A';
  } else if (c.fragment === 'named') {
    fragments.push(`fragment Picked on ${on} { ${selection} }`);
    selection = '...Picked';
  } else if (c.fragment === 'inline') {
    selection = `... on ${on} { ${selection} }`;
  }

  const rootName = b.kind === 'unknown-root' ? 'notASubscription' : root.name;
  const call = `${rootName}${args.length ? `(${args.join(', ')})` : ''}${returnType ? ` { ${selection} }` : ''}`;
  let body = call;
  if (b.kind === 'two-roots') body = b.how === 'aliases' ? `one: ${call} two: ${call}` : `__typename ${call}`;
  const opName = c.operationName || b.kind === 'nul' ? 'Live' : '';
  const head = `subscription${opName ? ` ${opName}` : ''}${defs.length ? `(${defs.join(', ')})` : ''}`;
  let query = `${head} { ${body} }${fragments.length ? `\n${fragments.join('\n')}` : ''}`;

  if (b.kind === 'operation') {
    const trap = gqlString(conversationId);
    query =
      b.op === 'query-me'
        ? 'query { me { id } }'
        : b.op === 'query-cost'
          ? 'query { properties(first: 50) { edges { node { id reviews(first: 50) { edges { node { id } } } } } } }'
          : `mutation { ${Array.from({ length: 31 }, (_, i) => `m${i}: markConversationRead(conversationId: ${trap}) { id }`).join(' ')} }`;
  }

  const payload: Record<string, unknown> = { query };
  if (Object.keys(variables).length) payload.variables = variables;
  if (b.kind === 'variables-type') payload.variables = b.value;
  if (opName) payload.operationName = b.kind === 'nul' && b.where === 'operation-name' ? 'Live\u0000' : opName;
  if (b.kind === 'query-type') {
    const asAst = JSON.parse(JSON.stringify(parse(query, { noLocation: true }))) as unknown;
    const values = { number: 12, null: null, array: [query], object: { query }, ast: asAst, boolean: true };
    if (b.value === 'missing') delete payload.query;
    else payload.query = values[b.value];
  }
  return { payload, conversationId: b.kind === 'operation' ? undefined : convId };
}

// ---------------------------------------------------------------------------------------
// Hostile frames

type Hostile =
  | { kind: 'malformed-json'; text: string }
  | { kind: 'not-an-object'; text: string }
  | { kind: 'unknown-type'; type: unknown }
  | { kind: 'bad-id'; id: unknown }
  | { kind: 'bad-payload'; payload: unknown }
  | { kind: 'bad-complete'; id: unknown }
  | { kind: 'subscribe-before-init' }
  | { kind: 'double-init' }
  | { kind: 'duplicate-id' }
  | { kind: 'complete-unknown'; id: string }
  | { kind: 'pong-unsolicited'; payload: unknown }
  | { kind: 'ping'; payload: unknown; beforeInit: boolean }
  | { kind: 'oversized'; bytes: number; shape: 'subscribe' | 'garbage' }
  | { kind: 'binary'; bytes: number }
  | { kind: 'init-token'; token: 'garbage' | 'basic' | 'number' | 'none' | 'empty' | 'expired' | 'suspended' }
  | { kind: 'init-payload'; payload: unknown }
  | { kind: 'upgrade-header'; value: string }
  | { kind: 'flood-subscribe-complete'; pairs: number; reuse: boolean; thenFill: boolean }
  | { kind: 'flood-live'; n: number };

interface HostileCase {
  kind: 'hostile';
  hostile: Hostile;
  chat: number;
}

const hostileArb: fc.Arbitrary<Hostile> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom('{', '{"type":', '{"type":"subscribe",}', "{'type':'ping'}", 'ping', '', ' ', '\u0000', '}{'),
        fc.string({ maxLength: 60, unit: 'binary' }).filter((s) => frame(s) === undefined),
      )
      .map((text) => ({ kind: 'malformed-json' as const, text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('[]', '12', '"ping"', 'null', 'true', '[{"type":"ping"}]')
      .map((text) => ({ kind: 'not-an-object' as const, text })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom<unknown>(
          'start',
          'stop',
          'connection_terminate',
          'data',
          'ka',
          'connection_error',
          'PING',
          12,
          null,
          {},
        ),
        fc.string({ maxLength: 20 }).filter((s) => !PROTOCOL_TYPES.includes(s)),
      )
      .map((type) => ({ kind: 'unknown-type' as const, type })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<unknown>(undefined, 12, '', null, {}, ['a'], true)
      .map((id) => ({ kind: 'bad-id' as const, id })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<unknown>(undefined, null, 'subscription { x }', 12, [], true)
      .map((payload) => ({ kind: 'bad-payload' as const, payload })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(undefined, 12, '', null).map((id) => ({ kind: 'bad-complete' as const, id })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'subscribe-before-init' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'double-init' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'duplicate-id' as const }) },
  { weight: 1, arbitrary: idArb.map((id) => ({ kind: 'complete-unknown' as const, id })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>(undefined, {}, { a: 1 })
      .map((payload) => ({ kind: 'pong-unsolicited' as const, payload })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ payload: fc.constantFrom<unknown>(undefined, {}, { n: 1 }), beforeInit: fc.boolean() })
      .map((r) => ({ kind: 'ping' as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        bytes: fc.integer({ min: 1024 * 1024 + 1, max: 3 * 1024 * 1024 }),
        shape: fc.constantFrom('subscribe' as const, 'garbage' as const),
      })
      .map((r) => ({ kind: 'oversized' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4096 }).map((bytes) => ({ kind: 'binary' as const, bytes })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        'garbage' as const,
        'basic' as const,
        'number' as const,
        'none' as const,
        'empty' as const,
        'expired' as const,
        'suspended' as const,
      )
      .map((token) => ({ kind: 'init-token' as const, token })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>('Bearer x', [], 12, true)
      .map((payload) => ({ kind: 'init-payload' as const, payload })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('Bearer not-a-token', 'Basic YTpi', 'Bearer ', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')
      .map((value) => ({ kind: 'upgrade-header' as const, value })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ pairs: fc.integer({ min: 10, max: 150 }), reuse: fc.boolean(), thenFill: fc.boolean() })
      .map((r) => ({ kind: 'flood-subscribe-complete' as const, ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: SOCKET_CONTRACT.subscriptionsPerSocket + 1, max: SOCKET_CONTRACT.subscriptionsPerSocket + 15 })
      .map((n) => ({ kind: 'flood-live' as const, n })),
  },
);

type SocketCase = DocumentCase | HostileCase;

const socketCaseArb: fc.Arbitrary<SocketCase> = fc.oneof(
  { weight: 11, arbitrary: documentCaseArb },
  {
    weight: 9,
    arbitrary: fc.record({ kind: fc.constant('hostile' as const), hostile: hostileArb, chat: fc.nat() }),
  },
);

function kindOf(c: SocketCase): string {
  return c.kind === 'document'
    ? `document ${c.breakage.kind === 'operation' ? c.breakage.op : c.breakage.kind}`
    : `frames ${c.hostile.kind}`;
}

function describeCase(c: SocketCase): string {
  return clip(
    JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' ? clip(v, 80) : v)),
    400,
  );
}

// ---------------------------------------------------------------------------------------
// Checks

/** Why a case broke the contract; undefined when it held. */
type Verdict = string | undefined;
/** A probe message was rate limited: the case neither passed nor failed. */
const INCONCLUSIVE = 'inconclusive';

/** A socket that sent a valid connection_init and got its ack; else why not. It joins `socks` either way. */
async function connectAs(
  run: SocketRun,
  socks: Sock[],
  name: string,
  token: string,
  via: 'payload' | 'payload-headers' | 'upgrade' = 'payload',
  address?: string,
): Promise<Sock | string> {
  const bearer = `Bearer ${token}`;
  const opened = await run.open(name, { headers: via === 'upgrade' ? { authorization: bearer } : {}, address });
  if (!(opened instanceof Sock)) {
    return 'refused' in opened
      ? `the upgrade was refused with ${opened.refused}`
      : `could not connect: ${opened.failed}`;
  }
  socks.push(opened);
  opened.send({
    type: 'connection_init',
    ...(via === 'payload'
      ? { payload: { authorization: bearer } }
      : via === 'payload-headers'
        ? { payload: { headers: { Authorization: bearer } } }
        : {}),
  });
  const answer = () => opened.all.find((f) => f.type !== 'ping' && f.type !== 'pong');
  await opened.until(() => Boolean(answer()), 5_000);
  const first = answer();
  if (first?.type !== 'connection_ack') {
    await opened.close();
    return first
      ? `answered ${clip(JSON.stringify(first))} to a valid connection_init`
      : opened.closed
        ? `closed ${opened.closed.code} instead of acknowledging a valid connection_init`
        : 'no connection_ack within 5 s';
  }
  return opened;
}

/** The socket must close with one of `codes` (a server answering something else fails at once). */
async function expectClose(sock: Sock, codes: number[], ms = 3_000): Promise<Verdict> {
  const seen = sock.all.length;
  // Keep-alive pings, and events for subscriptions already live, may come at any time; any
  // other answer means the server chose not to close.
  const answer = () => sock.all.slice(seen).find((f) => f.type !== 'ping' && f.type !== 'pong' && f.type !== 'next');
  await sock.until(() => Boolean(sock.closed) || Boolean(answer()), ms);
  await sock.until(() => Boolean(sock.closed), 50);
  const expected = codes.join(' or ');
  if (!sock.closed) {
    const answered = answer();
    return answered
      ? `answered ${clip(JSON.stringify(answered))} and stayed open; expected close ${expected}`
      : `still open after ${ms} ms; expected close ${expected}`;
  }
  if (!sock.closed.byServer) return undefined;
  return codes.includes(sock.closed.code)
    ? undefined
    : `closed ${sock.closed.code} "${sock.closed.reason}"; expected close ${expected}`;
}

/** Still serving: a ping is answered with a pong. */
async function expectPong(sock: Sock, ms = 5_000): Promise<Verdict> {
  const before = sock.all.filter((f) => f.type === 'pong').length;
  sock.send({ type: 'ping' });
  const ok = await sock.until(() => sock.all.filter((f) => f.type === 'pong').length > before, ms);
  if (ok) return undefined;
  return sock.closed ? `closed ${sock.closed.code} instead of answering ping` : `no pong within ${ms} ms`;
}

/**
 * A refused document: an `error` for its id (its shape is checked as it arrives), or close
 * 4400. Silence is probed: a message posted into the conversation shows whether it went live.
 */
async function expectRefused(
  run: SocketRun,
  sock: Sock,
  id: string,
  chat: Chat | undefined,
  extraCloses: number[] = [],
): Promise<Verdict> {
  const answered = () => Boolean(sock.frameFor(id, ['error', 'next', 'complete']));
  await sock.until(answered, REFUSAL_WAIT_MS);
  let f = sock.frameFor(id, ['error', 'next', 'complete']);
  if (!f && !sock.closed && chat) {
    if (!(await run.probe(chat, 40))) return INCONCLUSIVE;
    await sock.until(answered, DELIVERY_WAIT_MS);
    f = sock.frameFor(id, ['error', 'next', 'complete']);
  }
  if (f?.type === 'error') return undefined;
  if (f?.type === 'next') {
    const size = JSON.stringify(f).length;
    return `accepted: it went live and delivered ${size} bytes for one short message`;
  }
  if (f?.type === 'complete') return 'completed it without an error';
  if (sock.closed) {
    const allowed = [4400, ...extraCloses];
    return allowed.includes(sock.closed.code) || !sock.closed.byServer
      ? undefined
      : `closed ${sock.closed.code} "${sock.closed.reason}"; expected an error message or close 4400`;
  }
  return `neither an error for id ${JSON.stringify(id)} nor close 4400 within ${REFUSAL_WAIT_MS} ms${chat ? ', and a message posted meanwhile was not delivered either' : ''}`;
}

/** Every id receives a probe message: the subscriptions are live. */
async function expectLive(run: SocketRun, sock: Sock, ids: string[], chat: Chat, length: number): Promise<Verdict> {
  const delivered = () => ids.every((id) => sock.frameFor(id, ['next']));
  const refused = () => ids.map((id) => sock.frameFor(id, ['error', 'complete'])).find(Boolean);
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  // Subscribing completes asynchronously: probe until the messages arrive.
  for (let attempt = 0; Date.now() < deadline && !delivered(); attempt++) {
    const bad = refused();
    if (bad) return `refused a valid subscription: ${clip(JSON.stringify(bad))}`;
    if (sock.closed) return `closed ${sock.closed.code} "${sock.closed.reason}" instead of delivering`;
    // A refusal usually comes at once: a short look first spares a probe message.
    if (attempt === 0) await sock.until(() => Boolean(refused()) || Boolean(sock.closed), 30);
    if (!(await run.probe(chat, length))) return INCONCLUSIVE;
    await sock.until(() => delivered() || Boolean(refused()) || Boolean(sock.closed), 300 * (attempt + 1));
  }
  if (delivered()) return undefined;
  const bad = refused();
  if (bad) return `refused a valid subscription: ${clip(JSON.stringify(bad))}`;
  const missing = ids.filter((id) => !sock.frameFor(id, ['next']));
  return `no message delivered within ${DELIVERY_WAIT_MS} ms to ${missing.length} of ${ids.length} valid subscriptions`;
}

function validSubscribe(root: SubscriptionRoot, chat: Chat, id: string) {
  const query = `subscription ($c: ID!) { ${root.name}(conversationId: $c) { ${root.leaves.join(' ')} } }`;
  return { id, type: 'subscribe', payload: { query, variables: { c: chat.id } } };
}

/**
 * The session's own access token with another expiry: every other claim (subject, role,
 * session, issue time) is the server's, so only the expiry decides how it is treated.
 */
async function mintToken(run: SocketRun, session: Session, expiresAt: number): Promise<string> {
  const secret = run.target.t.container.config.jwtSecret;
  if (!secret) throw new Error('the socket fuzzer signs test tokens with JWT_SECRET');
  const header = decodeProtectedHeader(session.accessToken);
  return new SignJWT(decodeJwt(session.accessToken))
    .setProtectedHeader({ ...header, alg: header.alg ?? 'HS256' })
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(new TextEncoder().encode(secret));
}

// ---------------------------------------------------------------------------------------
// Running a case

async function runDocumentCase(
  run: SocketRun,
  c: DocumentCase,
  roots: SubscriptionRoot[],
  socks: Sock[],
): Promise<Verdict> {
  const root = roots[c.root % roots.length]!;
  const expect = expectationOf(c, root);
  const { chats, traps, host, stranger } = run.actors;
  const chat = (expect === 'accept' ? chats : traps)[c.chat % (expect === 'accept' ? chats.length : traps.length)]!;
  const subscriber = c.breakage.kind === 'stranger' ? stranger : c.who === 'host' ? host : chat.guest;
  const sock = await connectAs(run, socks, 'client', run.token(subscriber), c.authVia);
  if (typeof sock === 'string') return sock;
  const built = buildDocument(c, root, chat.id);
  sock.send({ id: c.id, type: 'subscribe', payload: built.payload });
  const probeChat = root.probeable && built.conversationId === chat.id ? chat : undefined;

  let verdict: Verdict;
  if (expect === 'accept') verdict = await expectLive(run, sock, [c.id], chat, c.probeLength);
  else if (expect === 'refuse') verdict = await expectRefused(run, sock, c.id, probeChat, [1009]);
  else {
    // Either answer will do: the frames that come before the pong are checked for shape.
    verdict = await expectPong(sock);
  }
  if (verdict) return verdict;
  if (c.thenComplete && !sock.closed) {
    sock.send({ id: c.id, type: 'complete' });
    return expectPong(sock);
  }
  return undefined;
}

async function runHostileCase(
  run: SocketRun,
  c: HostileCase,
  roots: SubscriptionRoot[],
  socks: Sock[],
): Promise<Verdict> {
  const h = c.hostile;
  const { chats } = run.actors;
  const chat = chats[c.chat % chats.length]!;
  const root = roots.find((r) => r.probeable);
  const token = run.token(chat.guest);

  const ready = async (): Promise<Sock | string> => {
    return connectAs(run, socks, 'client', token);
  };
  const raw = async (headers: Record<string, string> = {}): Promise<Sock | string> => {
    const s = await run.open('client', { headers });
    if (!(s instanceof Sock)) return 'refused' in s ? `upgrade refused with ${s.refused}` : s.failed;
    socks.push(s);
    return s;
  };

  switch (h.kind) {
    case 'malformed-json':
    case 'not-an-object': {
      const s = await ready();
      if (typeof s === 'string') return s;
      s.sendRaw(h.text);
      return expectClose(s, [4400]);
    }
    case 'unknown-type': {
      const s = await ready();
      if (typeof s === 'string') return s;
      s.send({ type: h.type, id: 'u1', payload: {} });
      return expectClose(s, [4400]);
    }
    case 'bad-id': {
      if (!root) return undefined;
      const s = await ready();
      if (typeof s === 'string') return s;
      const { payload } = validSubscribe(root, chat, 'x');
      s.send(h.id === undefined ? { type: 'subscribe', payload } : { type: 'subscribe', id: h.id, payload });
      return expectClose(s, [4400]);
    }
    case 'bad-payload': {
      const s = await ready();
      if (typeof s === 'string') return s;
      s.send(
        h.payload === undefined ? { type: 'subscribe', id: 'p1' } : { type: 'subscribe', id: 'p1', payload: h.payload },
      );
      return expectClose(s, [4400]);
    }
    case 'bad-complete': {
      const s = await ready();
      if (typeof s === 'string') return s;
      s.send(h.id === undefined ? { type: 'complete' } : { type: 'complete', id: h.id });
      return expectClose(s, [4400]);
    }
    case 'subscribe-before-init': {
      if (!root) return undefined;
      const s = await raw();
      if (typeof s === 'string') return s;
      s.send(validSubscribe(root, chat, 'early'));
      return expectClose(s, [4401]);
    }
    case 'double-init': {
      const s = await ready();
      if (typeof s === 'string') return s;
      s.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      return expectClose(s, [4429]);
    }
    case 'duplicate-id': {
      if (!root) return undefined;
      const s = await ready();
      if (typeof s === 'string') return s;
      s.send(validSubscribe(root, chat, 'dup'));
      const live = await expectLive(run, s, ['dup'], chat, 20);
      if (live) return live;
      s.send(validSubscribe(root, chat, 'dup'));
      return expectClose(s, [4409]);
    }
    case 'complete-unknown':
    case 'pong-unsolicited': {
      const s = await ready();
      if (typeof s === 'string') return s;
      if (h.kind === 'complete-unknown') s.send({ type: 'complete', id: h.id });
      else s.send(h.payload === undefined ? { type: 'pong' } : { type: 'pong', payload: h.payload });
      return expectPong(s);
    }
    case 'ping': {
      const s = h.beforeInit ? await raw() : await ready();
      if (typeof s === 'string') return s;
      s.send(h.payload === undefined ? { type: 'ping' } : { type: 'ping', payload: h.payload });
      const ok = await s.until(() => s.all.some((f) => f.type === 'pong'), 5_000);
      return ok ? undefined : s.closed ? `closed ${s.closed.code} instead of answering ping` : 'no pong within 5 s';
    }
    case 'oversized': {
      const s = await ready();
      if (typeof s === 'string') return s;
      if (h.shape === 'garbage') {
        s.sendRaw('x'.repeat(h.bytes));
        return expectClose(s, [1009, 4400], 5_000);
      }
      const filler = 'f'.repeat(h.bytes);
      const query = root ? validSubscribe(root, chat, 'big').payload.query : 'subscription { x }';
      s.send({ id: 'big', type: 'subscribe', payload: { query, variables: { c: chat.id, pad: filler } } });
      return expectRefused(run, s, 'big', undefined, [1009]);
    }
    case 'binary': {
      const s = await ready();
      if (typeof s === 'string') return s;
      const bytes = Buffer.alloc(h.bytes);
      for (let i = 0; i < h.bytes; i++) bytes[i] = (i * 131 + 7) % 256;
      bytes[0] = 0xff;
      s.sendRaw(bytes, true);
      return expectClose(s, [4400]);
    }
    case 'init-token': {
      const s = await raw();
      if (typeof s === 'string') return s;
      if (h.token === 'suspended' && !run.actors.suspended) return undefined;
      const value =
        h.token === 'garbage'
          ? 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'
          : h.token === 'basic'
            ? 'Basic YTpi'
            : h.token === 'number'
              ? 12
              : h.token === 'empty'
                ? ''
                : h.token === 'expired'
                  ? `Bearer ${await mintToken(run, chat.guest, Date.now() - 60_000)}`
                  : h.token === 'suspended'
                    ? `Bearer ${run.actors.suspended}`
                    : undefined;
      s.send({ type: 'connection_init', payload: value === undefined ? {} : { authorization: value } });
      return expectClose(s, h.token === 'expired' || h.token === 'suspended' ? [4401, 4403] : [4401]);
    }
    case 'init-payload': {
      const s = await raw();
      if (typeof s === 'string') return s;
      s.send({ type: 'connection_init', payload: h.payload });
      return expectClose(s, [4400, 4401]);
    }
    case 'upgrade-header': {
      const opened = await run.open('client', { headers: { authorization: h.value } });
      if (!(opened instanceof Sock)) {
        if ('refused' in opened)
          return opened.refused === 401 ? undefined : `upgrade refused with ${opened.refused}, not 401`;
        return opened.failed;
      }
      socks.push(opened);
      opened.send({ type: 'connection_init' });
      return expectClose(opened, [4401]);
    }
    case 'flood-subscribe-complete': {
      if (!root) return undefined;
      const s = await ready();
      if (typeof s === 'string') return s;
      for (let i = 0; i < h.pairs && !s.closed; i++) {
        const id = h.reuse ? 'f' : `f${i}`;
        s.send(validSubscribe(root, chat, id));
        s.send({ id, type: 'complete' });
      }
      // The loop's test narrows `closed`, which the socket's events change meanwhile.
      const closedNow = () => s.closed;
      const early = closedNow();
      if (early) return early.code === 4429 ? undefined : `closed ${early.code} during the flood`;
      const pong = await expectPong(s, 10_000);
      if (pong) return closedNow()?.code === 4429 ? undefined : pong;
      if (!h.thenFill) return undefined;
      // Completed subscriptions free their places: the socket still takes its full quota.
      const ids = Array.from({ length: SOCKET_CONTRACT.subscriptionsPerSocket }, (_, i) => `after${i}`);
      for (const id of ids) s.send(validSubscribe(root, chat, id));
      return expectLive(run, s, ids, chat, 20);
    }
    case 'flood-live': {
      if (!root) return undefined;
      const s = await ready();
      if (typeof s === 'string') return s;
      const limit = SOCKET_CONTRACT.subscriptionsPerSocket;
      const ids = Array.from({ length: h.n }, (_, i) => `l${i}`);
      for (const id of ids) s.send(validSubscribe(root, chat, id));
      // Subscribing is asynchronous: which ones are over the limit depends on the order
      // they complete in, but exactly n - limit must be refused and the rest must be live.
      const refused = () => ids.filter((id) => s.frameFor(id, ['error']));
      await s.until(() => Boolean(s.closed) || refused().length >= h.n - limit, 5_000);
      if (s.closed) {
        return s.closed.code === 4429
          ? undefined
          : `closed ${s.closed.code} "${s.closed.reason}"; expected errors or close 4429 past ${limit} subscriptions`;
      }
      const over = refused();
      if (over.length < h.n - limit) {
        return `${over.length} of ${h.n} subscriptions on one socket refused within 5 s; expected ${h.n - limit} (limit ${limit})`;
      }
      if (over.length > h.n - limit) {
        return `refused ${over.length} of ${h.n} subscriptions on one socket; only ${h.n - limit} are over the limit of ${limit}`;
      }
      return expectLive(
        run,
        s,
        ids.filter((id) => !over.includes(id)),
        chat,
        20,
      );
    }
  }
}

/** Runs one case, records its failure with what was sent and what came back, closes its sockets. */
async function runCase(run: SocketRun, c: SocketCase, index: number, roots: SubscriptionRoot[]): Promise<void> {
  const kind = kindOf(c);
  if (run.kindFailed(kind)) {
    run.report.skipped++;
    return;
  }
  run.report.cases++;
  run.report.byKind.set(kind, (run.report.byKind.get(kind) ?? 0) + 1);
  const socks: Sock[] = [];
  let verdict: Verdict;
  try {
    verdict =
      c.kind === 'document' ? await runDocumentCase(run, c, roots, socks) : await runHostileCase(run, c, roots, socks);
  } catch (err) {
    verdict = `the fuzzer's own step failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  await Promise.all(socks.map((s) => s.close()));
  if (verdict === INCONCLUSIVE) run.report.inconclusive++;
  const problems = [verdict === INCONCLUSIVE ? undefined : verdict, ...frameProblems(socks)].filter(Boolean);
  if (problems.length) run.fail(kind, problems.join('; '), describeCase(c), socks, index);
}

/** What the server sent that breaks the protocol, whatever the case expected. */
function frameProblems(socks: Sock[]): string[] {
  return [...new Set(socks.flatMap((s) => s.violations))].map((v) => `frame check: ${v}`);
}

// ---------------------------------------------------------------------------------------
// Cases that run once: bounds, identity and the init timeout

async function onceInitTimeout(run: SocketRun): Promise<void> {
  const s = await run.open('silent');
  if (!(s instanceof Sock))
    return run.fail('init timeout', `could not connect: ${JSON.stringify(s)}`, 'no connection_init', [], undefined);
  const verdict = await expectClose(s, [4408], SOCKET_CONTRACT.initTimeoutMs + 3_000);
  const describe = `a socket that never sends connection_init (limit ${SOCKET_CONTRACT.initTimeoutMs} ms)`;
  await settle(run, 'init timeout', verdict, describe, [s]);
}

/** Closes a once-case's sockets and records its verdict and any frame that broke the protocol. */
async function settle(run: SocketRun, label: string, verdict: Verdict, describe: string, socks: Sock[]) {
  await Promise.all(socks.map((s) => s.close()));
  const problems = [verdict === INCONCLUSIVE ? undefined : verdict, ...frameProblems(socks)].filter(Boolean);
  if (problems.length) run.fail(label, problems.join('; '), describe, socks, undefined);
}

async function onceTokenExpires(run: SocketRun, root: SubscriptionRoot | undefined): Promise<void> {
  if (!root) return;
  const chat = run.actors.chats[0]!;
  const expiresAt = Date.now() + 3_000;
  const socks: Sock[] = [];
  const s = await connectAs(run, socks, 'expiring', await mintToken(run, chat.guest, expiresAt));
  if (typeof s === 'string') return run.fail('token expiry', s, 'a token valid for 3 s', socks, undefined);
  s.send(validSubscribe(root, chat, 'exp'));
  let verdict = Date.now() < expiresAt - 500 ? await expectLive(run, s, ['exp'], chat, 20) : undefined;
  if (!verdict || verdict === INCONCLUSIVE) {
    await s.until(() => Boolean(s.closed), Math.max(0, expiresAt - Date.now()) + 5_000);
    verdict = s.closed
      ? s.closed.code === 4403
        ? undefined
        : `closed ${s.closed.code}; expected 4403 when the token expires`
      : 'still open 5 s after its token expired';
  }
  await settle(run, 'token expiry', verdict, 'a live subscription whose access token expires after 3 s', socks);
}

async function onceSuspended(run: SocketRun, root: SubscriptionRoot | undefined): Promise<void> {
  if (!root) return;
  const app = run.app;
  const user = await register(app, { firstName: 'Socket', lastName: 'Suspended' });
  const place = (await createProperty(app, run.actors.host)).id;
  const started = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: user.auth,
    payload: { propertyId: place, body: 'Hello' },
  });
  const chat = { id: started.json<{ id: string }>().id, guest: user };
  const socks: Sock[] = [];
  const s = await connectAs(run, socks, 'to be suspended', user.accessToken);
  if (typeof s === 'string') return run.fail('suspension', s, 'a user suspended while subscribed', socks, undefined);
  s.send(validSubscribe(root, chat, 'live'));
  let verdict = await expectLive(run, s, ['live'], chat, 20);
  const suspended = await app.inject({
    method: 'PATCH',
    url: `/v1/admin/users/${user.user.id}`,
    headers: run.actors.admin.auth,
    payload: { status: 'suspended' },
  });
  if (suspended.statusCode !== 200) throw new Error(`suspending answered ${suspended.statusCode}`);
  run.actors.suspended = user.accessToken;
  if (!verdict || verdict === INCONCLUSIVE) {
    await s.until(() => Boolean(s.closed), 5_000);
    if (!s.closed) {
      // Still open: does it still deliver to a suspended account?
      const before = s.all.filter((f) => f.type === 'next').length;
      await run.probe({ id: chat.id, guest: run.actors.host }, 20).catch(() => false);
      await s.until(() => s.all.filter((f) => f.type === 'next').length > before, 1_000);
      const after = s.all.filter((f) => f.type === 'next').length;
      verdict = `still open 5 s after the account was suspended${after > before ? ', and still delivering messages' : ''}`;
    } else if (s.closed.code !== 4403) verdict = `closed ${s.closed.code}; expected 4403 on suspension`;
    else verdict = undefined;
  }
  await settle(run, 'suspension', verdict, 'a live subscription whose account an admin suspends', socks);
}

/** One more socket than the limit allows: the last is refused (HTTP 429 or close 4429), the others keep working. */
async function onceSocketLimit(
  run: SocketRun,
  label: string,
  limit: number,
  tokenOf: (i: number) => string,
  addressOf: (i: number) => string,
): Promise<void> {
  const socks: Sock[] = [];
  let verdict: string | undefined;
  try {
    for (let i = 0; i < limit && !verdict; i++) {
      const s = await connectAs(run, socks, `socket ${i + 1}`, tokenOf(i), 'payload', addressOf(i));
      if (typeof s === 'string') verdict = `socket ${i + 1} of ${limit} allowed: ${s}`;
    }
    if (!verdict) {
      const opened = await run.open(`socket ${limit + 1}`, { address: addressOf(limit) });
      if (!(opened instanceof Sock)) {
        if (!('refused' in opened && opened.refused === 429))
          verdict = `socket ${limit + 1}: ${JSON.stringify(opened)}`;
      } else {
        socks.push(opened);
        opened.send({ type: 'connection_init', payload: { authorization: `Bearer ${tokenOf(limit)}` } });
        const closed = await expectClose(opened, [4429]);
        if (closed) verdict = `socket ${limit + 1} (over the limit of ${limit}): ${closed}`;
      }
    }
    if (!verdict) {
      const first = socks[0]!;
      verdict = (await expectPong(first)) ?? undefined;
    }
  } finally {
    // The transcripts of the first and the last sockets tell the story.
    const told = socks.length > 2 ? [socks[0]!, socks.at(-1)!] : socks;
    await Promise.all(socks.map((s) => s.close()));
    const problems = [verdict, ...frameProblems(socks)].filter(Boolean);
    if (problems.length) run.fail(label, problems.join('; '), `${limit + 1} sockets, ${label}`, told, undefined);
  }
}

// ---------------------------------------------------------------------------------------
// Driver

export interface SocketFuzzOptions {
  /** Frames to send (at least), spread over generated cases. */
  frames: number;
  seed?: number;
}

/** `gc()` when the process can offer it: --expose-gc, or the same flag set at run time. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function settledHeap(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

export async function fuzzSocket(target: FuzzTarget, options: SocketFuzzOptions): Promise<SocketReport> {
  const started = performance.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const run = new SocketRun(target, seed);
  const app = target.app;
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  run.url = `ws://127.0.0.1:${port}/graphql`;
  run.httpUrl = `http://127.0.0.1:${port}`;
  await run.ensureActors();
  const roots = subscriptionRoots(target);
  const probeable = roots.find((r) => r.probeable);

  const gc = collector();
  const heapBefore = await settledHeap(gc);
  const rssBefore = process.memoryUsage().rss;

  try {
    if (roots.length === 0) {
      run.fail('schema', 'the schema has no Subscription type', '-', [], undefined);
      return run.report;
    }
    // Slow by design: they wait on the server's clocks while the generated cases run.
    const inBackground = (label: string, work: Promise<void>) =>
      work.catch((err: unknown) => run.fail(label, `the fuzzer's own step failed: ${String(err)}`, '-', [], undefined));
    const background = [
      inBackground('init timeout', onceInitTimeout(run)),
      inBackground('token expiry', onceTokenExpires(run, probeable)),
    ];

    await onceSuspended(run, probeable);
    const guests = run.actors.chats.map((c) => c.guest);
    const userAddress = run.nextAddress();
    await onceSocketLimit(
      run,
      'sockets per user',
      SOCKET_CONTRACT.socketsPerUser,
      () => guests[5]!.accessToken,
      // Each from its own address: only the per-user limit can refuse them.
      (i) => (i === 0 ? userAddress : run.nextAddress()),
    );
    const shared = run.nextAddress();
    await onceSocketLimit(
      run,
      'sockets per address',
      SOCKET_CONTRACT.socketsPerAddress,
      // Spread over users so that no user reaches its own limit.
      (i) => guests[i % guests.length]!.accessToken,
      () => shared,
    );

    let index = 0;
    for (let chunk = 0; run.report.framesSent < options.frames; chunk++) {
      await run.ensureActors();
      const sentBefore = run.report.framesSent;
      // About 15 frames a case: the last chunk is sized to what is left of the budget.
      const left = Math.ceil((options.frames - run.report.framesSent) / 15);
      const cases = fc.sample(socketCaseArb, {
        seed: seed + chunk,
        numRuns: Math.min(HEALTH_EVERY, Math.max(CONCURRENCY * 2, left)),
      });
      let next = 0;
      const worker = async () => {
        while (next < cases.length) {
          const i = next++;
          await runCase(run, cases[i]!, index + i, roots);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      index += cases.length;
      const health = await fetch(`${run.httpUrl}/healthz`).catch((e: unknown) => e as Error);
      if (health instanceof Error || health.status !== 200) {
        run.fail(
          'health',
          `GET /healthz answered ${health instanceof Error ? health.message : health.status}`,
          `after case #${index}`,
          [],
          undefined,
        );
        break;
      }
      // Every kind skipped after failing: nothing more to learn from this seed.
      if (run.report.framesSent === sentBefore) break;
    }
    await Promise.all(background);
  } finally {
    await Promise.all([...run.openSockets].map((s) => s.close()));
    for (const s of run.openSockets) s.terminate();
  }

  const heapAfter = await settledHeap(gc);
  run.report.heapGrowthBytes = gc ? heapAfter - heapBefore : undefined;
  run.report.rssGrowthBytes = process.memoryUsage().rss - rssBefore;
  if (gc && heapAfter - heapBefore > SOCKET_CONTRACT.maxHeapGrowthBytes) {
    run.fail(
      'memory',
      `heap grew by ${mib(heapAfter - heapBefore)} MiB over the run (bound ${mib(SOCKET_CONTRACT.maxHeapGrowthBytes)} MiB)`,
      `${run.report.cases} cases, ${run.report.framesSent} frames`,
      [],
      undefined,
    );
  }
  run.report.elapsedMs = performance.now() - started;
  return run.report;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function socketSummary(report: SocketReport): string {
  const closes = [...report.closes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const heap =
    report.heapGrowthBytes === undefined
      ? `rss ${signed(report.rssGrowthBytes)} MiB`
      : `heap ${signed(report.heapGrowthBytes)} MiB`;
  const skipped = report.skipped ? `, ${report.skipped} skipped after repeated failures` : '';
  const inconclusive = report.inconclusive ? `, ${report.inconclusive} inconclusive` : '';
  return `WebSocket ${report.framesSent} frames sent, ${report.framesReceived} received, on ${report.sockets} sockets in ${report.cases} cases${skipped}${inconclusive} in ${seconds} s; closes ${closes || 'none'}; ${heap}; failures ${report.failures.length} (seed ${report.seed})`;
}

const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

/** One line per kind of case with how many ran. */
export function socketKindLines(report: SocketReport): string[] {
  return [...report.byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`);
}
