import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Config } from './config.js';
import type { GraphqlModule } from './graphql/schema.js';
import type { JwtService } from './platform/auth/jwt.js';
import type { Cache } from './platform/cache/cache.js';
import type { CounterStore } from './platform/cache/counters.js';
import type { Clock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import type { ConstraintErrors } from './platform/errors.js';
import type { JobDefinition, Schedule } from './platform/jobs/index.js';
import type { LiveEvents } from './platform/live/live.js';
import type { RequestContext } from './platform/context.js';
import type { Mailer } from './platform/mail/index.js';
import type { Metrics } from './platform/metrics/metrics.js';
import type { SeedRun } from './platform/seeding/run.js';

/**
 * The module contract: each `src/modules/<name>/index.ts` exports one definition, and the
 * container, the app and the seeder loop over the ordered list in `src/modules/index.ts`.
 */

/** What the platform hands every module's service factory. */
export interface PlatformDeps {
  config: Config;
  db: Db;
  cache: Cache;
  /** Security counters: a store no cached data can evict. */
  counters: CounterStore;
  clock: Clock;
  jwt: JwtService;
  metrics: Metrics;
  /** Outgoing e-mail, at most once per de-duplication key. */
  mailer: Mailer;
  /** Live events for GraphQL subscriptions; call it after commit (never throws). */
  publishLive: LiveEvents['publish'];
}

/** A module's seed step reports how many rows of each kind it wrote and a phrase for the summary. */
export interface SeedReport {
  counts: Record<string, number>;
  /** e.g. "200 users (40 hosts)"; the seeder joins them into one line. */
  summary: string;
}

/**
 * One section of a user's personal-data export (GET /v1/me/export): a key of the JSON
 * document and its rows, read lazily page by page (keyset), already mapped to DTOs with no
 * secrets (no password or token hashes).
 */
export interface PersonalDataSection {
  readonly section: string;
  rows(userId: string): AsyncIterable<unknown>;
}

/**
 * A module's part of closing an account (DELETE /v1/me), run inside the closure's one
 * transaction: erase or detach what it holds of the user, or throw an AppError to refuse
 * the closure (everything rolls back). After-commit work joins the transaction through
 * `withTransaction(tx, (tx, scope) => scope.afterCommit(...))`.
 */
export type AccountClosedHook = (userId: string, tx: Db, ctx: RequestContext) => Promise<void>;

/**
 * A module's look at every request, before routing and authentication (a block list,
 * per-address counts). `path` is the URL without its query string.
 */
export interface RequestGuard {
  /** Throws an AppError to refuse the request. */
  admit(ip: string, path: string): void | Promise<void>;
  /** Told each answer's status once it is sent. */
  answered(ip: string, path: string, statusCode: number): void;
}

// ── What a module declares for the app, the schema checks and the configuration ──

/** One tag of the OpenAPI document: the operations of a module's routes are grouped under it. */
export interface OpenapiTag {
  readonly name: string;
  readonly description: string;
}

/**
 * A module's environment variables: `env`, a zod object of them (each with its default,
 * bounds and a `.describe()` line), validated together with the platform's and every other
 * module's; `check`, its cross-checks (`report` adds an issue naming a variable); `read`,
 * the settings its service receives as `deps.settings`.
 */
export interface SettingsFragment<Shape extends z.ZodRawShape = z.ZodRawShape, Settings = unknown> {
  readonly env: z.ZodObject<Shape>;
  check?(
    env: z.output<z.ZodObject<Shape>>,
    platform: { readonly isProduction: boolean },
    report: (variable: keyof Shape & string, message: string) => void,
  ): void;
  read(env: z.output<z.ZodObject<Shape>>): Settings;
}

/** Declares a settings fragment (the identity function exists for inference). */
export function defineSettings<Shape extends z.ZodRawShape, Settings>(
  fragment: SettingsFragment<Shape, Settings>,
): SettingsFragment<Shape, Settings> {
  return fragment;
}

/** `deps.settings` in `createService`, for a module that declares `settings`. */
export type SettingsDeps<Settings> = [Settings] extends [undefined] ? object : { readonly settings: Settings };

/** `constraints` is required of a module with tables. */
export type ConstraintsOf<Tables> = [keyof Tables] extends [never]
  ? object
  : { readonly constraints: ConstraintErrors };

interface ModuleContract<Settings> {
  /** The OpenAPI tags of this module's routes, in the order the document lists them. */
  readonly openapi?: { readonly tags: readonly OpenapiTag[] };
  /**
   * Constraint and unique-index names of this module's tables, each mapped to the domain
   * error a violation answers; required with tables (`{}` when none is mapped). The
   * constraints test checks every name exists in the migrated schema.
   */
  readonly constraints?: ConstraintErrors;
  /** This module's environment variables (`src/modules/<name>/<name>.settings.ts`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly settings?: SettingsFragment<any, Settings>;
}

export interface ModuleDefinition<
  Name extends string,
  Service,
  Deps extends readonly AnyModule[],
  Seeded extends SeedReport,
  Tables extends Readonly<Record<string, PgTable>> = Readonly<Record<string, PgTable>>,
  Settings = unknown,
  Events extends EventMap = NoEvents,
> extends ModuleContract<Settings> {
  readonly name: Name;
  /** Modules whose services (and seeded data) this one uses; they are built first. */
  readonly dependsOn: Deps;
  /** The module's Drizzle tables (drizzle-kit finds them by the `*.table.ts` convention). */
  readonly tables: Tables;
  createService(deps: PlatformDeps & ServicesOf<Deps> & SettingsDeps<Settings> & EventDeps<Events>): Service;
  /** REST routes, registered under the shared validator, serializer and authentication. */
  routes?(service: Service): FastifyPluginAsyncZod;
  /** Runs on every request of the API (see RequestGuard). */
  requestGuard?(service: Service): RequestGuard;
  /** This module's part of the GraphQL schema. */
  graphql?(service: Service, deps: ServicesOf<Deps>): GraphqlModule;
  /** The background jobs this module handles (kinds named `<module>.<job>`). */
  jobs?(service: Service, deps: ServicesOf<Deps>): JobDefinition[];
  /** Recurring jobs (cron patterns in UTC) of kinds this module's `jobs` define. */
  readonly schedules?: readonly Schedule[];
  /** This module's sections of a user's personal-data export. */
  personalData?(service: Service, deps: ServicesOf<Deps>): readonly PersonalDataSection[];
  /** What this module does when a user closes their account (see AccountClosedHook). */
  onAccountClosed?(service: Service, deps: ServicesOf<Deps>): AccountClosedHook;
  /** Demo data: runs after the seed steps of `dependsOn`, whose reports it receives. */
  seed?(run: SeedRun, seeded: SeededOf<Deps>): Promise<Seeded>;
  /** The events this module publishes (see `declareEvents`). */
  readonly events?: EventCatalog<Events>;
  /** This module's handlers of events its dependencies publish (see `Listeners`). */
  listens?(service: Service, deps: ServicesOf<Deps>): Listeners<EventsOf<Deps>>;
}

/** Any module definition: what lists and loops take. */
// An interface (not an alias) so that the definition can refer to itself through `Deps`.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AnyModule extends ModuleDefinition<string, unknown, readonly AnyModule[], SeedReport> {}

/** `{ users: UsersApi, … }` for a list of modules. */
export type ServicesOf<Ms extends readonly AnyModule[]> = {
  [M in Ms[number] as M['name']]: ReturnType<M['createService']>;
};

/** `{ users: <what users' seed step returned>, … }` for a list of modules. */
export type SeededOf<Ms extends readonly AnyModule[]> = {
  [M in Ms[number] as M['name']]: M extends ModuleDefinition<string, unknown, readonly AnyModule[], infer S>
    ? S
    : never;
};

/**
 * Declares a module. The identity function exists for inference: `dependsOn` keeps its
 * tuple type, so `createService` receives exactly the services of the modules it names.
 */
export function defineModule<
  const Name extends string,
  Service,
  const Deps extends readonly AnyModule[] = [],
  Seeded extends SeedReport = SeedReport,
  const Tables extends Readonly<Record<string, PgTable>> = Readonly<Record<string, PgTable>>,
  Settings = undefined,
  Events extends EventMap = NoEvents,
>(
  definition: ModuleDefinition<Name, Service, Deps, Seeded, Tables, Settings, Events> & ConstraintsOf<Tables>,
): ModuleDefinition<Name, Service, Deps, Seeded, Tables, Settings, Events> {
  return definition;
}

/**
 * The modules in dependency order (each after those it names in `dependsOn`), keeping the
 * list's order otherwise. Fails on a dependency missing from the list or a cycle.
 */
export function inDependencyOrder(modules: readonly AnyModule[]): AnyModule[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const ordered: AnyModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: AnyModule, path: string[]) => {
    const seen = state.get(m.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`Module dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn) {
      if (byName.get(dep.name) !== dep) {
        throw new Error(`Module ${m.name} depends on ${dep.name}, which is not in the module list`);
      }
      visit(dep, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of modules) visit(m, []);
  return ordered;
}

// ── Cross-module events ──────────────────────────────────────────────────────────────
// A module declares the events it publishes (`events`, with a payload type per name) and
// publishes them through `deps.publish`; a module that depends on it declares handlers
// (`listens`), which the container wires. Handlers run in order inside the publishing
// transaction: a handler that throws rolls the publisher's change back.

/** Event names and their payload types. */
export type EventMap = { readonly [name: string]: unknown };
/** A module that publishes nothing. */
export type NoEvents = Record<never, never>;

/** A handler: runs inside the transaction `tx` that published the event. */
export type EventHandler<Payload> = (tx: Db, payload: Payload) => Promise<void>;

/** Runs every handler of the event, in order, inside `tx`; the first failure is thrown. */
export type Publish<E extends EventMap> = EventHub<E>['publish'];

/** What a publishing module's `createService` receives besides the platform and its dependencies. */
export interface EventDeps<E extends EventMap> {
  publish: Publish<E>;
}

/** The events a module publishes: their names, and (as a type) their payloads. */
export interface EventCatalog<E extends EventMap> {
  readonly names: readonly string[];
  /** Never set: carries the payload types. */
  readonly payloads?: E;
}

/** Declares the events a module publishes: `declareEvents<{ 'x.done': XDone }>('x.done')`. */
export function declareEvents<E extends EventMap>(...names: (keyof E & string)[]): EventCatalog<E> {
  return { names };
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The events published by a list of modules, by name. */
export type EventsOf<Ms extends readonly AnyModule[]> = UnionToIntersection<
  {
    [I in keyof Ms]: Ms[I] extends { readonly events?: EventCatalog<infer E> } ? Omit<E, never> : never;
  }[number]
>;

/** Handlers by event name: a module handles only what it needs. */
export type Listeners<E> = { readonly [K in keyof E]?: EventHandler<E[K]> };

/** The container's event wiring: one per container, filled once every service is built. */
export interface EventHub<E> {
  readonly publish: <K extends keyof E & string>(tx: Db, name: K, payload: E[K]) => Promise<void>;
  /** Adds a handler after those already registered for the event. */
  listen<K extends keyof E & string>(name: K, handler: EventHandler<E[K]>): void;
}

export function createEventHub<E>(): EventHub<E> {
  const handlers = new Map<string, EventHandler<never>[]>();
  return {
    publish: async (tx, name, payload) => {
      for (const handler of handlers.get(name) ?? []) await (handler as EventHandler<typeof payload>)(tx, payload);
    },
    listen(name, handler) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
    },
  };
}

/** Registers every module's declared handlers on the hub, modules in the order given. */
export function wireListeners(
  hub: EventHub<EventMap>,
  modules: readonly AnyModule[],
  services: Readonly<Record<string, unknown>>,
): void {
  for (const module of modules) {
    const listeners: Readonly<Record<string, EventHandler<unknown> | undefined>> =
      module.listens?.(services[module.name], services) ?? {};
    for (const [name, handler] of Object.entries(listeners)) {
      if (handler) hub.listen(name, handler);
    }
  }
}
