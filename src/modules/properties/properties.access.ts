import { randomUUID } from 'node:crypto';
import { bumpGeneration, cached, currentGeneration, type Cache } from '../../platform/cache/cache.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { AuditService } from '../audit/index.js';
import { notPropertyOwner, propertyNotFound } from './properties.errors.js';
import { canView, isOwner, locationAccess, redactLocation } from './properties.policy.js';
import * as repo from './properties.repository.js';
import { findRevealedPropertyIds } from './properties.calendar.repository.js';
import { toPropertyDto, type ExactProperty, type Property } from './properties.schemas.js';

export interface PropertiesServiceDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
  audit: AuditService;
  onCacheLookup?: (cache: string, hit: boolean) => void;
  /** How long a search page may be served from cache (writes also invalidate it). */
  searchTtlMs?: number;
}

const DETAIL_TTL_MS = 10 * 60_000;
const SEARCH_GENERATION_KEY = 'properties:search-generation';

/** What every use case of the module shares: the cached detail, its invalidation, and who sees what. */
export type PropertyAccess = ReturnType<typeof createPropertyAccess>;

export function createPropertyAccess(deps: PropertiesServiceDeps) {
  const { db, cache, onCacheLookup } = deps;
  const detailKey = (id: string) => `property:${id}`;
  const detailGeneration = (id: string) => `property-gen:${id}`;

  // Property detail is cached until a write changes it; search pages for a short while.
  // Both are keyed by generations that every write bumps after commit, so a fill that
  // raced a write can never be served.
  const loadProperty = cached<[string], ExactProperty>(
    {
      cache,
      name: 'property',
      ttlMs: DETAIL_TTL_MS,
      key: detailKey,
      generationKey: detailGeneration,
      onLookup: onCacheLookup,
    },
    async (id) => {
      const row = await repo.findPropertyById(db, id);
      return row && toPropertyDto(row);
    },
  );

  /** The place if the caller may see it, else not found (a draft does not exist for others). */
  async function visibleProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const property = await loadProperty(id);
    if (!property || !canView(property, ctx.actor)) throw propertyNotFound();
    return property;
  }

  // Every write bumps the search generation; read once per search, it keys both the page
  // and the city names it resolves (a write can list the first place of a city).
  // Without a cache (Redis down), a one-off generation: the search runs uncached.
  async function searchGeneration(): Promise<string> {
    try {
      return await currentGeneration(cache, SEARCH_GENERATION_KEY, await cache.get(SEARCH_GENERATION_KEY));
    } catch {
      return randomUUID();
    }
  }

  /** Ends the cached detail of the property and every cached search page. Call it after commit. */
  async function invalidateProperty(id: string): Promise<void> {
    await Promise.all([bumpGeneration(cache, detailGeneration(id)), bumpGeneration(cache, SEARCH_GENERATION_KEY)]);
  }

  /** A calendar change shows in dated searches only: the detail does not carry the calendar. */
  async function invalidateCalendar(): Promise<void> {
    await bumpGeneration(cache, SEARCH_GENERATION_KEY);
  }

  /**
   * The places as the caller may see them: exact or with the location redacted (see
   * `locationAccess`). Anonymous callers, hosts and admins cost no query; anyone else one
   * query for the whole list, whatever its length. Callers pass the shared, exact DTOs
   * (cached for everyone) and get new objects: nothing cached is changed.
   */
  async function withLocationPrivacy(list: ExactProperty[], ctx: RequestContext): Promise<Property[]> {
    const access = list.map((p) => locationAccess(p, ctx));
    const asking = [...new Set(list.filter((_, i) => access[i] === 'calendar').map((p) => p.id))];
    const revealed =
      asking.length > 0 && ctx.actor ? await findRevealedPropertyIds(db, ctx.actor.id, asking) : new Set<string>();
    return list.map((p, i) =>
      access[i] === 'exact' || (access[i] === 'calendar' && revealed.has(p.id)) ? p : redactLocation(p),
    );
  }

  /** The place for a write by its host: 404 when invisible, 403 when visible but not theirs. */
  async function ownedProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const actor = requireActor(ctx);
    const property = await visibleProperty(id, ctx);
    if (!isOwner(property, actor)) throw notPropertyOwner();
    return property;
  }

  return {
    deps,
    searchGeneration,
    invalidateProperty,
    invalidateCalendar,
    withLocationPrivacy,
    visibleProperty,
    ownedProperty,
  };
}
