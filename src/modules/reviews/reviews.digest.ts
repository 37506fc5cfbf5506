import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi } from '../properties/index.js';
import { digestLine } from './reviews.policy.js';
import * as repo from './reviews.repository.js';

/** A window of the host digest: `[from, to)`. */
export interface DigestRange {
  from: Date;
  to: Date;
}

/** How many reviews one host's digest lists; `count` still says how many there were. */
const MAX_LINES = 20;

/**
 * The reviews part of the host digest: which hosts had reviews of their places published in a window (a
 * keyset walk over host ids, on reviews_host_published_idx), and one plain-text line per
 * review for a host. The digest's template escapes the lines.
 */
export function createReviewsDigestSection(deps: { db: Db; properties: Pick<PropertiesApi, 'getPropertiesByIds'> }) {
  const { db, properties } = deps;
  return {
    name: 'Reviews' as const,

    /** Ascending ids of hosts with reviews of their places published in the range, after `afterHostId`, at most `limit`. */
    hostsWithActivity(range: DigestRange, afterHostId: string | null, limit: number): Promise<string[]> {
      return repo.findHostsWithReviews(db, { from: range.from, to: range.to, afterHostId, limit });
    },

    /** The reviews of the host's places published in the range: how many, and a line for each (oldest first, at most 20). */
    async activityFor(hostId: string, range: DigestRange): Promise<{ count: number; lines: string[] }> {
      const { rows, count } = await repo.findHostReviews(db, {
        hostId,
        from: range.from,
        to: range.to,
        limit: MAX_LINES,
      });
      // As the host sees their own places: drafts and unlisted ones too.
      const places = await properties.getPropertiesByIds([...new Set(rows.map((r) => r.propertyId))], {
        actor: { id: hostId, role: 'host' },
      });
      const lines = rows.map((r) => digestLine(r.rating, places.get(r.propertyId)?.title ?? 'your place', r.comment));
      return { count, lines };
    },
  };
}

export type ReviewsDigestSection = ReturnType<typeof createReviewsDigestSection>;
