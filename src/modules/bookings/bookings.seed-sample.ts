import { createRandom, deriveSeed } from '../../platform/seeding/random.js';
import { DAY_MS, type SeedRun } from '../../platform/seeding/run.js';
import type { BookingBulkRow } from './bookings.seed.repository.js';

/** A seeded stay, as the reviews and messages seed steps of a demo need it. */
export interface SeededStay {
  id: string;
  propertyId: string;
  guestId: string;
  hostId: string;
  status: BookingBulkRow['status'];
  createdAtMs: number;
  /** Midnight UTC of the check-in and check-out dates. */
  checkInMs: number;
  checkOutMs: number;
}

/** The accounts a demo suggests signing in as: a guest with stays of every kind, a busy host. */
export interface Showcase {
  guestId: string;
  hostId: string;
}

/**
 * A demo's reviews and conversations are written on a sample of its stays, at most this
 * many: every stay of a demo-sized seed, and a bounded share of a large one, so that memory
 * stays flat whatever `--bookings` asks for.
 */
export const DEMO_SAMPLE_LIMIT = 5_000;

/**
 * Keeps a uniform sample of the stays it is offered (reservoir sampling with the run's seed:
 * the same seed and counts keep the same stays).
 */
export function createStaySampler(run: SeedRun, limit = DEMO_SAMPLE_LIMIT) {
  const rng = createRandom(deriveSeed(run.seed, 4));
  const kept: SeededStay[] = [];
  let seen = 0;
  return {
    offer(b: BookingBulkRow): void {
      seen++;
      const at = kept.length < limit ? kept.length : Math.floor(rng.next() * seen);
      if (at >= limit) return;
      kept[at] = {
        id: b.id,
        propertyId: b.propertyId,
        guestId: b.guestId,
        hostId: b.hostId,
        status: b.status,
        createdAtMs: b.createdAt.getTime(),
        checkInMs: Date.parse(`${b.checkIn}T00:00:00Z`),
        checkOutMs: Date.parse(`${b.checkOut}T00:00:00Z`),
      };
    },
    /** The sample in booking order. */
    stays: (): SeededStay[] => [...kept].sort((a, b) => a.createdAtMs - b.createdAtMs),
  };
}

/**
 * The guest whose stays show the most kinds (completed, upcoming, canceled), then the most
 * stays; the host of the most stays who is not that guest. Undefined without stays.
 */
export function pickShowcase(stays: readonly SeededStay[], nowMs: number): Showcase | undefined {
  const guests = new Map<string, { kinds: Set<string>; stays: number }>();
  const hosts = new Map<string, number>();
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  for (const s of stays) {
    const kind =
      s.status === 'completed' || s.status === 'canceled'
        ? s.status
        : s.status === 'confirmed' && s.checkInMs > today
          ? 'upcoming'
          : undefined;
    const guest = guests.get(s.guestId) ?? { kinds: new Set<string>(), stays: 0 };
    if (kind) guest.kinds.add(kind);
    guest.stays++;
    guests.set(s.guestId, guest);
    hosts.set(s.hostId, (hosts.get(s.hostId) ?? 0) + 1);
  }
  let guestId: string | undefined;
  let best = -1;
  for (const [id, g] of guests) {
    const score = g.kinds.size * 1_000_000 + g.stays;
    if (score > best) [guestId, best] = [id, score];
  }
  let hostId: string | undefined;
  let most = -1;
  for (const [id, n] of hosts) {
    if (id !== guestId && n > most) [hostId, most] = [id, n];
  }
  return guestId && hostId ? { guestId, hostId } : undefined;
}
