import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AuditService } from '../audit/index.js';
import { bumpGeneration, cached, type Cache } from '../../platform/cache/cache.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { PropertiesApi, PropertyDeletedEvent } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { createIcalImports, type IcalImportsApi } from './ical.imports.js';
import { deleteImportsOfPlace } from './ical.imports.repository.js';
import type { IcalJobHandlers } from './ical.jobs.js';
import type { IcalSettings } from './ical.settings.js';
import { createIcalSync } from './ical.sync.js';
import { feedNotFound } from './ical.errors.js';
import { FEED_DAYS_AHEAD, renderFeed } from './ical.feed.js';
import * as repo from './ical.repository.js';
import { TOKEN_PATTERN, type IcalLink } from './ical.schemas.js';

export interface IcalServiceDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
  audit: AuditService;
  properties: PropertiesApi;
  users: Pick<UsersApi, 'getContacts'>;
  mailer: Mailer;
  publicUrl: string;
  settings: IcalSettings;
  /** Per fetch of an imported feed (tests shorten it). */
  fetchTimeoutMs?: number;
}

/**
 * A rendered feed: its body gzipped (a year or two of one-night stays renders to some
 * 200 kB, about 22 kB gzipped, which the shared cache holds and most calendar clients take
 * as it is) and the ETag of the uncompressed body.
 */
export interface Feed {
  gzipped: Buffer;
  etag: string;
}

interface CachedFeed {
  gz: string;
  etag: string;
}

export interface IcalApi extends IcalImportsApi, IcalJobHandlers {
  /** The place's export link for its host (made on the first call). 404 invisible, 403 not the owner. */
  getExportLink(propertyId: string, ctx: RequestContext): Promise<IcalLink>;
  /** A new secret for the place's link: the old URL answers 404 from the commit on. Audited. */
  rotateExportToken(propertyId: string, ctx: RequestContext): Promise<IcalLink>;
  /**
   * The links of these places for the caller where they are its host, null elsewhere and
   * where none was made (GraphQL `Property.icalUrl`, batch-loaded: one query at most).
   */
  exportLinksFor(places: readonly { id: string; hostId: string }[], ctx: RequestContext): Promise<(string | null)[]>;
  /** The feed of the file name `<token>.ics`; not found for a malformed, unknown or rotated token. */
  feed(file: string): Promise<Feed>;
  /** In the delete's transaction: the link and the imported calendars go with the place. */
  onPropertyDeleted(tx: Db, event: PropertyDeletedEvent): Promise<void>;
}

const FEED_TTL_MS = 15 * 60_000;
const TOKEN_TTL_MS = 10 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: sha256(token) };
};
const tokenGeneration = (tokenHash: string) => `ical-token-gen:${tokenHash}`;

export function createIcalService(deps: IcalServiceDeps): IcalApi {
  const { db, cache, clock, audit, properties, publicUrl } = deps;
  const sync = createIcalSync({
    db,
    clock,
    mailer: deps.mailer,
    properties,
    users: deps.users,
    publicUrl,
    syncMinutes: deps.settings.syncMinutes,
    allowPrivate: deps.settings.allowPrivate,
    timeoutMs: deps.fetchTimeoutMs,
  });
  const host = new URL(publicUrl).hostname;
  const urlOf = (token: string) => `${publicUrl}/ical/${token}.ics`;

  // token hash → place, cached until the token is rotated (the generation is bumped after
  // commit, so a fill that raced the rotation is never served).
  const placeOfToken = cached<[string], string>(
    { cache, name: 'ical-token', ttlMs: TOKEN_TTL_MS, key: (h) => `ical-token:${h}`, generationKey: tokenGeneration },
    (tokenHash) => repo.findPropertyIdByTokenHash(db, tokenHash),
  );

  async function render(propertyId: string): Promise<Feed | undefined> {
    // Read the generation before the calendar: a feed read before a change is stored under
    // the old generation and never served after it.
    const generation = await properties.calendarGeneration(propertyId).catch(() => undefined);
    const utcDay = clock.now().toISOString().slice(0, 10);
    const key = generation === undefined ? undefined : `ical-feed:${propertyId}:${generation}:${utcDay}`;
    if (key) {
      const hit = await cache.get(key).catch(() => undefined);
      if (hit !== undefined) {
        const cachedFeed = JSON.parse(hit) as CachedFeed;
        return { gzipped: Buffer.from(cachedFeed.gz, 'base64'), etag: cachedFeed.etag };
      }
    }
    const now = clock.now();
    const calendar = await properties.calendarForExport(propertyId, FEED_DAYS_AHEAD);
    if (!calendar) return undefined;
    const { ranges } = calendar;
    const body = renderFeed({ host, propertyId, ranges, stamp: now });
    const feed: Feed = { gzipped: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    if (key) {
      const value: CachedFeed = { gz: feed.gzipped.toString('base64'), etag: feed.etag };
      await cache.set(key, JSON.stringify(value), FEED_TTL_MS).catch(() => undefined);
    }
    return feed;
  }

  return {
    ...createIcalImports({ db, clock, properties }),
    syncFeed: (importId) => sync.syncFeed(importId),
    enqueueDueSyncs: (now) => sync.enqueueDueSyncs(now),
    sendConflictEmail: (conflictId) => sync.sendConflictEmail(conflictId),

    async getExportLink(propertyId, ctx) {
      await properties.getOwnedProperty(propertyId, ctx);
      const existing = await repo.findExport(db, propertyId);
      if (existing) return { url: urlOf(existing.token) };
      const row = await repo.insertExportIfAbsent(db, { propertyId, ...newToken() });
      return { url: urlOf(row.token) };
    },

    async rotateExportToken(propertyId, ctx) {
      await properties.getOwnedProperty(propertyId, ctx);
      const next = newToken();
      await withTransaction(db, async (tx, { afterCommit }) => {
        const previous = await repo.replaceToken(tx, { propertyId, ...next });
        await audit.record(ctx, { action: 'ical.token_rotated', entity: 'property', entityId: propertyId }, tx);
        if (previous) afterCommit(() => bumpGeneration(cache, tokenGeneration(previous)));
      });
      return { url: urlOf(next.token) };
    },

    async exportLinksFor(places, ctx) {
      const callerId = ctx.actor?.id;
      const own = places.filter((p) => callerId !== undefined && p.hostId === callerId).map((p) => p.id);
      const tokens = await repo.findTokens(db, [...new Set(own)]);
      return places.map((p) => {
        const token = p.hostId === callerId ? tokens.get(p.id) : undefined;
        return token ? urlOf(token) : null;
      });
    },

    async feed(file) {
      const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
      // Checked before any look-up: a malformed token costs no query.
      if (!TOKEN_PATTERN.test(token)) throw feedNotFound();
      const propertyId = await placeOfToken(sha256(token));
      if (!propertyId) throw feedNotFound();
      const feed = await render(propertyId);
      if (!feed) throw feedNotFound();
      return feed;
    },

    async onPropertyDeleted(tx, event) {
      await withTransaction(tx, async (tx, { afterCommit }) => {
        await deleteImportsOfPlace(tx, event.propertyId);
        const previous = await repo.deleteExport(tx, event.propertyId);
        if (previous) afterCommit(() => bumpGeneration(cache, tokenGeneration(previous)));
      });
    },
  };
}
