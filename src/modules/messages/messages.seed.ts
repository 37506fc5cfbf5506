import { randomUUID } from 'node:crypto';
import type { BookingsSeeded, SeededStay } from '../bookings/index.js';
import { createRandom, deriveSeed, type Random } from '../../platform/seeding/random.js';
import type { SeedRun } from '../../platform/seeding/run.js';
import { insertConversationsBulk } from './messages.repository.js';
import type { conversations, messages } from './messages.table.js';

export interface MessagesSeeded {
  counts: { conversations?: number; messages?: number };
  summary: string;
}

type ConversationInsert = typeof conversations.$inferInsert;
type MessageInsert = typeof messages.$inferInsert;

/** Share of sampled stays whose guest wrote to the host (the showcase accounts' stays more often). */
const WRITTEN_SHARE = 0.3;
const SHOWCASE_SHARE = 0.7;
/** Share of conversations whose last message is still unread. */
const UNREAD_SHARE = 0.35;
const MINUTE_MS = 60_000;

/** Guest and host take turns, the guest first; a conversation is a prefix of one of these. */
const BEFORE_STAY: readonly (readonly string[])[] = [
  [
    'Hi! We are looking forward to our stay. Is an early check-in possible?',
    'Hello! The place is ready from 1 pm, so feel free to come early.',
    'Perfect, thank you!',
    'You are welcome. The key box code arrives the day before.',
  ],
  [
    'Hello, is there somewhere to park nearby?',
    'There is a public garage two streets away, about 15 a day.',
    'Great, thanks for the tip.',
  ],
  [
    'Could we bring a baby cot, or is there one?',
    'We have a travel cot; I will set it up before you arrive.',
    'That is so kind, thank you!',
    'My pleasure. Let me know if you need anything else.',
  ],
  [
    'What is the best way to get there from the station?',
    'Tram 4 stops right outside; it takes about ten minutes.',
    'Thanks, see you soon!',
    'Safe travels!',
  ],
];
const AFTER_STAY: readonly string[] = [
  'Thanks for a lovely stay! I think I left a phone charger in the bedroom.',
  'Found it! I can post it to you; just send me your address.',
  'Thank you, sending it now.',
];
const CANCELED: readonly string[] = [
  'Sorry, our plans changed and we had to cancel.',
  'No problem at all. I hope to host you another time.',
];

const number = new Intl.NumberFormat('en-US');

/**
 * A demo's conversations: guests who wrote to their host about a sampled stay (each of the
 * showcase guest's places, most of the showcase host's), a few turns each, read except
 * sometimes the last, with the unread counters and last message the service would have
 * kept. One conversation per guest and place. Off outside a demo.
 */
export async function seedMessages(run: SeedRun, seeded: { bookings: BookingsSeeded }): Promise<MessagesSeeded> {
  if (!run.demo) return { counts: {}, summary: '' };
  const { showcase, stays = [] } = seeded.bookings;
  const rng = createRandom(deriveSeed(run.seed, 6));
  const threads: ConversationInsert[] = [];
  const lines: MessageInsert[] = [];
  const opened = new Set<string>();
  for (const stay of stays) {
    if (stay.status === 'pending' || stay.status === 'expired') continue;
    const key = `${stay.guestId}:${stay.propertyId}`;
    if (opened.has(key)) continue;
    const share =
      stay.guestId === showcase?.guestId ? 1 : stay.hostId === showcase?.hostId ? SHOWCASE_SHARE : WRITTEN_SHARE;
    if (!rng.chance(share)) continue;
    opened.add(key);
    const thread = writeThread(rng, stay, run.nowMs);
    threads.push(thread.conversation);
    lines.push(...thread.messages);
  }
  run.progress({ phase: 'messages', done: 0, total: lines.length });
  await insertConversationsBulk(run.db, threads, lines, run.batchSize);
  run.progress({ phase: 'messages', done: lines.length, total: lines.length });
  return {
    counts: { conversations: threads.length, messages: lines.length },
    summary: `${number.format(threads.length)} conversations (${number.format(lines.length)} messages)`,
  };
}

function writeThread(
  rng: Random,
  stay: SeededStay,
  nowMs: number,
): { conversation: ConversationInsert; messages: MessageInsert[] } {
  const script =
    stay.status === 'canceled'
      ? CANCELED
      : stay.status === 'completed' && rng.chance(0.4)
        ? AFTER_STAY
        : rng.pick(BEFORE_STAY);
  const wanted = rng.int(Math.min(2, script.length), script.length);
  // After stays start at check-out; the others a little after booking. Never in the future.
  const start = script === AFTER_STAY ? stay.checkOutMs + rng.int(60, 600) * MINUTE_MS : stay.createdAtMs;
  let at = Math.min(start + rng.int(5, 24 * 60) * MINUTE_MS, nowMs - wanted * MINUTE_MS);
  const id = randomUUID();
  const out: MessageInsert[] = [];
  for (let i = 0; i < wanted; i++) {
    const fromGuest = i % 2 === 0;
    out.push({
      id: randomUUID(),
      conversationId: id,
      senderId: fromGuest ? stay.guestId : stay.hostId,
      recipientId: fromGuest ? stay.hostId : stay.guestId,
      senderSide: fromGuest ? 'guest' : 'host',
      body: script[i]!,
      createdAt: new Date(at),
    });
    const next = Math.min(at + rng.int(10, 12 * 60) * MINUTE_MS, nowMs - (wanted - i - 1) * MINUTE_MS);
    at = Math.max(next, at + 1000);
  }
  // Each message was read before the answer to it; the last one is sometimes still unread.
  const lastUnread = rng.chance(UNREAD_SHARE);
  out.forEach((m, i) => {
    const sent = (m.createdAt as Date).getTime();
    const answered = out[i + 1]?.createdAt;
    if (!answered && lastUnread) return;
    const readAt = Math.min(sent + rng.int(1, 120) * MINUTE_MS, answered?.getTime() ?? nowMs, nowMs);
    m.readAt = new Date(Math.max(readAt, sent));
  });
  const last = out.at(-1)!;
  const unread = last.readAt ? 0 : 1;
  return {
    conversation: {
      id,
      propertyId: stay.propertyId,
      guestId: stay.guestId,
      hostId: stay.hostId,
      bookingId: stay.id,
      lastMessageAt: last.createdAt!,
      lastMessageId: last.id!,
      guestUnread: last.senderSide === 'host' ? unread : 0,
      hostUnread: last.senderSide === 'guest' ? unread : 0,
      createdAt: out[0]!.createdAt!,
    },
    messages: out,
  };
}
