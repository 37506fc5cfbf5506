import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../platform/auth/hashing.js';
import { createRandom, deriveSeed, timeline, type Random } from '../../platform/seeding/random.js';
import { DAY_MS, writeInBatches, type SeedRun } from '../../platform/seeding/run.js';
import type { Db } from '../../platform/db/types.js';
import {
  analyzeUsers,
  countUsersWithEmailSuffix,
  findContactsByIds,
  insertUserIfAbsent,
  insertUsersBulk,
  type NewUserRow,
} from './users.repository.js';
import { FIRST_NAMES, LAST_NAMES } from './users.seed-data.js';

/**
 * Every seeded account signs in with this password. It is published (the `seed` command
 * prints it), so seeded data is for demos and development only; it passes the same
 * strength check as a password a user chooses.
 */
export const SEED_PASSWORD = 'staylane-seed-1';
/** Seeded accounts are recognisable by their e-mail domain (reserved, so no mail leaves). */
export const SEED_EMAIL_DOMAIN = 'seed.example.com';
/** The demo's admin: created by the first demo seed, found by later ones. */
export const SEED_ADMIN_EMAIL = `admin@${SEED_EMAIL_DOMAIN}`;

const HISTORY_MS = 730 * DAY_MS;
const HOST_SHARE = 0.2;

/** A seeded host, for the modules whose seeded rows need an owner. */
export interface SeededHost {
  id: string;
  createdAtMs: number;
}

export interface UsersSeeded {
  counts: { users: number; hosts: number; admins?: number };
  summary: string;
  /** A demo seed's admin account (new or found). */
  admin?: string;
  /** In creation order. */
  hosts: SeededHost[];
  /** Every account (hosts too: a host is also a guest), in creation order: who books stays. */
  accounts: SeededHost[];
}

type SeedUserRow = NewUserRow & { id: string; createdAt: Date };

const number = new Intl.NumberFormat('en-US');

/**
 * Writes `run.counts.users` accounts (a fifth of them hosts) in multi-row batches. Rows come
 * from an async generator, so memory stays flat; only the hosts are kept, for the listings.
 * Each batch commits on its own: an interrupted run leaves what it wrote.
 */
export async function seedUsers(run: SeedRun): Promise<UsersSeeded> {
  const total = run.counts.users ?? 0;
  if (!Number.isInteger(total) || total < 0) throw new RangeError('users must be a non-negative integer');
  // Argon2 is slow by design; one hash serves every seeded account.
  const passwordHash = await hashPassword(SEED_PASSWORD);
  // Earlier runs' accounts: a new run numbers after them, so seeding again adds rather than collides.
  const emailOffset = await countUsersWithEmailSuffix(run.db, `@${SEED_EMAIL_DOMAIN}`);

  const hosts: SeededHost[] = [];
  const accounts: SeededHost[] = [];
  let done = 0;
  run.progress({ phase: 'users', done: 0, total });
  await writeInBatches(
    generateUsers(run, total, passwordHash, emailOffset),
    run.batchSize,
    run.concurrency,
    async (batch) => {
      await insertUsersBulk(run.db, batch);
      for (const u of batch) {
        const account = { id: u.id, createdAtMs: u.createdAt.getTime() };
        accounts.push(account);
        if (u.role === 'host') hosts.push(account);
      }
      done += batch.length;
      run.progress({ phase: 'users', done, total });
    },
  );
  // Concurrent batches may finish out of order; host look-ups need creation order.
  hosts.sort((a, b) => a.createdAtMs - b.createdAtMs);
  accounts.sort((a, b) => a.createdAtMs - b.createdAtMs);
  await analyzeUsers(run.db);
  const summary = `${number.format(total)} users (${number.format(hosts.length)} hosts)`;
  if (!run.demo) return { counts: { users: total, hosts: hosts.length }, summary, hosts, accounts };
  const created = await insertUserIfAbsent(run.db, {
    id: randomUUID(),
    email: SEED_ADMIN_EMAIL,
    passwordHash,
    firstName: 'Demo',
    lastName: 'Admin',
    role: 'admin',
    status: 'active',
    emailVerified: true,
  });
  return {
    counts: { users: total, hosts: hosts.length, admins: created ? 1 : 0 },
    summary: `${summary}${created ? ' and an admin' : ''}`,
    hosts,
    accounts,
    admin: SEED_ADMIN_EMAIL,
  };
}

/** The e-mail addresses of seeded accounts, by id: the `seed` command prints a few to try. */
export async function seededEmails(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await findContactsByIds(db, ids)).map((u) => [u.id, u.email]));
}

async function* generateUsers(
  run: SeedRun,
  count: number,
  passwordHash: string,
  emailOffset: number,
): AsyncGenerator<SeedUserRow> {
  const rng = createRandom(deriveSeed(run.seed, 1));
  // Accounts predate the listings window by half a year, so the first hosts exist before any place.
  const from = run.nowMs - HISTORY_MS - 180 * DAY_MS;
  let i = 0;
  for (const createdAtMs of timeline(rng, count, from, run.nowMs - DAY_MS)) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const n = emailOffset + i + 1;
    const createdAt = new Date(createdAtMs);
    yield {
      id: randomUUID(),
      email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${n}@${SEED_EMAIL_DOMAIN}`,
      passwordHash,
      firstName,
      lastName,
      phone: rng.chance(0.7) ? fictionalPhone(rng) : null,
      // The first account always hosts, so every property has an owner older than itself.
      role: i === 0 || rng.chance(HOST_SHARE) ? 'host' : 'guest',
      status: 'active',
      emailVerified: rng.chance(0.85),
      createdAt,
      updatedAt: createdAt,
    };
    i++;
  }
}

function asciiSlug(name: string): string {
  return name
    .replace(/ı/g, 'i')
    .replace(/ø/gi, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// Numbers from ranges reserved for fiction, so no real person is ever called.
function fictionalPhone(rng: Random): string {
  switch (rng.int(0, 2)) {
    case 0:
      return `+1 555 01${rng.int(0, 99).toString().padStart(2, '0')}`;
    case 1:
      return `+44 7700 900${rng.int(0, 999).toString().padStart(3, '0')}`;
    default:
      return `+61 491 570 ${rng.int(0, 999).toString().padStart(3, '0')}`;
  }
}
