import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import * as repo from './messages.repository.js';

/** Conversations listed in a host's digest; the rest are counted in the total. */
const DIGEST_LINES = 20;

export interface DigestRange {
  from: Date;
  to: Date;
}

/** The messages part of the host digest (a section of the notifications module). */
export interface MessagesDigestSection {
  name: 'Messages';
  /** Ascending ids of hosts who received guest messages in [from, to), after `afterHostId`. */
  hostsWithActivity(range: DigestRange, afterHostId: string | null, limit: number): Promise<string[]>;
  /** How many guest messages the host received in the range, and a line per busiest conversation. */
  activityFor(hostId: string, range: DigestRange): Promise<{ count: number; lines: string[] }>;
}

export interface MessagesDigestDeps {
  db: Db;
  users: Pick<UsersApi, 'getPublicProfiles'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
}

export function createMessagesDigestSection(deps: MessagesDigestDeps): MessagesDigestSection {
  const { db, users, properties } = deps;
  return {
    name: 'Messages',
    hostsWithActivity: (range, afterHostId, limit) =>
      repo.findHostsWithGuestMessages(db, { from: range.from, to: range.to, afterHostId, limit }),

    async activityFor(hostId, range) {
      const count = await repo.countGuestMessagesTo(db, { hostId, ...range });
      if (count === 0) return { count, lines: [] };
      const busiest = await repo.countGuestMessagesFor(db, { hostId, ...range, limit: DIGEST_LINES });
      const conversations = await repo.findConversationsByIds(
        db,
        busiest.map((b) => b.conversationId),
      );
      const byId = new Map(conversations.map((c) => [c.id, c]));
      const guests = await users.getPublicProfiles([...new Set(conversations.map((c) => c.guestId))]);
      const places = await properties.getPropertiesByIds([...new Set(conversations.map((c) => c.propertyId))], {
        actor: { id: hostId, role: 'host' },
      });
      const lines = busiest.map((b) => {
        const c = byId.get(b.conversationId);
        const guest = (c && guests.get(c.guestId)?.firstName) ?? 'A guest';
        const place = c && places.get(c.propertyId);
        const n = b.count === 1 ? '1 message' : `${b.count} messages`;
        return `${n} from ${guest}${place ? ` about ${place.title}` : ''}.`;
      });
      return { count, lines };
    },
  };
}
