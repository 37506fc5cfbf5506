import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/platform/db/client.js';
import { properties } from '../../src/modules/properties/properties.table.js';
import { users } from '../../src/modules/users/users.table.js';
import { findCityNames, searchProperties } from '../../src/modules/properties/properties.search.repository.js';

/**
 * The pagination tests' database work without the app: on the embedded database (PGlite),
 * each round inserts up to 24 random places into a new city (ties, drafts, unlisted and
 * deleted rows, as src/modules/properties/__tests__/pagination.test.ts makes them), resolves
 * the city's name and walks its pages under every sort with the search's own queries.
 * Prints `round N` after each round, so a parent process sees progress stop when PGlite
 * spins inside its WebAssembly (which blocks this process's event loop: only another
 * process can tell).
 *
 *   tsx test/embedded-hang/walks.ts ROUNDS [DUMP|-] [SECONDS]
 *
 * DUMP is a migrated data-dir tarball (else the migrations run first); SECONDS stops early
 * once that long has passed after the database is open. STAYLANE_WALKS_SETUP, when set, is SQL run once before the
 * rounds, statements apart as in a migration (`--> statement-breakpoint`), e.g. to put back
 * an index that was withdrawn and compare.
 */
const rounds = Number(process.argv[2] ?? 50);
const dumpFile = process.argv[3] && process.argv[3] !== '-' ? process.argv[3] : undefined;
const database = dumpFile
  ? await openDatabase({ kind: 'pglite', loadDataDir: new Blob([await readFile(dumpFile)]) })
  : await openDatabase({ kind: 'pglite' });
if (!dumpFile) await database.migrate();
const db = database.db;
for (const statement of (process.env.STAYLANE_WALKS_SETUP ?? '').split('--> statement-breakpoint')) {
  if (statement.trim()) await db.execute(sql.raw(statement));
}
process.stdout.write('ready\n');
const deadline = Date.now() + Number(process.argv[4] ?? Infinity) * 1000;

/** Written synchronously, so the last step before a hang is out before the loop blocks. */
const step = (what: string) => writeSync(1, `step ${what}\n`);

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const TERM = 'lantern';
const TEXTS = [
  { title: `A ${TERM} by the door`, description: 'Quiet street.' },
  { title: 'A house by the door', description: `There is a ${TERM} outside.` },
  { title: 'A house by the door', description: `One ${TERM} inside and one ${TERM} outside.` },
  { title: `A ${TERM} by the door`, description: `The ${TERM} is lit at night.` },
  { title: 'A house by the door', description: 'Nothing to see.' },
];
const SORTS = ['newest', 'price_asc', 'price_desc', 'rating', 'relevance'] as const;
const BASE = Date.parse('2026-03-01T08:00:00.000Z');

const [host] = await db
  .insert(users)
  .values({ email: `host-${process.pid}@example.test`, passwordHash: 'x', firstName: 'H', lastName: 'H', role: 'host' })
  .returning({ id: users.id });

for (let round = 1; round <= rounds && Date.now() < deadline; round++) {
  const city = `Walkton ${process.pid} ${round} ${Math.random().toString(36).slice(2, 8)}`;
  const count = Math.floor(Math.random() * 25);
  if (count > 0) {
    step(`insert ${count}`);
    await db.insert(properties).values(
      Array.from({ length: count }, () => {
        const ratingCount = Math.floor(Math.random() * 3);
        return {
          hostId: host!.id,
          ...pick(TEXTS),
          propertyType: 'apartment' as const,
          addressLine1: '1 Walk Street',
          city,
          country: 'PT',
          latitude: 38.7,
          longitude: -9.1,
          timezone: 'Europe/Lisbon',
          currency: 'EUR',
          nightlyPrice: pick([1_000, 2_000, 2_000, 3_000, 5_000]),
          maxGuests: 2,
          status: pick(['listed', 'listed', 'listed', 'listed', 'draft', 'unlisted'] as const),
          ratingSum: ratingCount + Math.floor(Math.random() * (4 * ratingCount + 1)),
          ratingCount,
          createdAt: new Date(BASE + Math.floor(Math.random() * 4) * 1000),
          deletedAt: pick([null, null, null, new Date()]),
        };
      }),
    );
    await db.execute(sql`select count(*) from ${properties} where ${properties.city} = ${city}`);
  }
  step('city look-up');
  const cities = await findCityNames(db, city);
  for (const sort of SORTS) {
    const limit = 1 + Math.floor(Math.random() * 5);
    let after: [number | string, string] | undefined;
    for (let page = 0; page < 30; page++) {
      step(`${sort} page ${page + 1}`);
      const rows = await searchProperties(
        db,
        { cities, ...(sort === 'relevance' ? { q: TERM } : {}) },
        sort,
        limit + 1,
        after,
      );
      if (rows.length <= limit) break;
      const last = rows[limit - 1]!;
      const key =
        sort === 'newest'
          ? last.createdAt.toISOString()
          : sort === 'rating'
            ? String(last.sortKey)
            : Number(last.sortKey);
      after = [key, last.id];
    }
  }
  process.stdout.write(`round ${round}\n`);
}
await database.close();
process.stdout.write('done\n');
