import type { Actor } from '../../platform/context.js';
import type { UnavailableRange } from './properties.schemas.js';

/** Pure rules of the listings domain: visibility, ownership, calendars. */

export const isOwner = (property: { hostId: string }, actor: Actor | undefined) => actor?.id === property.hostId;

/** Listed places are public; drafts and unlisted ones only to their host and admins. */
export const canView = (property: { hostId: string; status: string }, actor: Actor | undefined) =>
  property.status === 'listed' || isOwner(property, actor) || actor?.role === 'admin';

/**
 * Sorted, non-overlapping unavailable ranges inside [from, to): each range is clipped to
 * the window, and touching or overlapping ranges of the same reason become one.
 */
export function mergeUnavailable(ranges: UnavailableRange[], from: string, to: string): UnavailableRange[] {
  const clipped = ranges
    .map((r) => ({ ...r, start: r.start < from ? from : r.start, end: r.end > to ? to : r.end }))
    .filter((r) => r.start < r.end)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.reason < b.reason ? -1 : 1));
  const out: UnavailableRange[] = [];
  for (const r of clipped) {
    const last = out.at(-1);
    if (last && last.reason === r.reason && r.start <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}
