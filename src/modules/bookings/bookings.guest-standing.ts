import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { GuestRating, UserContact, UsersApi } from '../users/index.js';
import * as repo from './bookings.repository.js';

/**
 * What a host is told of the guest of a booking of their place: the guest's rating (the
 * published reviews hosts wrote of their stays), read through the users module. Hosts see
 * it on the booking and in the request e-mail; the guest and admins are not shown it here.
 */
export function createGuestStanding({ db, users }: { db: Db; users: Pick<UsersApi, 'getPublicProfiles'> }) {
  return {
    /**
     * The guest's rating of each of these bookings whose place `ctx`'s caller hosts; other
     * bookings are left out (one query for the bookings, one for their guests).
     */
    async guestRatingsForHost(bookingIds: readonly string[], ctx: RequestContext): Promise<Map<string, GuestRating>> {
      const viewerId = ctx.actor?.id;
      if (!viewerId || bookingIds.length === 0) return new Map();
      const hosted = (await repo.findBookingsByIds(db, bookingIds)).filter((b) => b.hostId === viewerId);
      if (hosted.length === 0) return new Map();
      const profiles = await users.getPublicProfiles([...new Set(hosted.map((b) => b.guestId))]);
      return new Map(
        hosted.flatMap((b) => {
          const profile = profiles.get(b.guestId);
          return profile ? [[b.id, profile.guestRating] as const] : [];
        }),
      );
    },
  };
}

export type GuestStanding = ReturnType<typeof createGuestStanding>;

/** The request e-mail's line on the guest: their rating as hosts rated them, or that there is none yet. */
export function guestStandingLines(guest: UserContact | undefined): string[] {
  if (!guest) return [];
  const { average, count } = guest.guestRating;
  if (count === 0 || average === null) return [`Guest rating: no reviews yet (${guest.firstName} is new to hosts).`];
  const reviews = count === 1 ? '1 review' : `${count} reviews`;
  return [`Guest rating: ${average.toFixed(2)} out of 5 from hosts (${reviews}).`];
}
