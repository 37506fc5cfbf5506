import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { migrationsFolder } from '../../../platform/db/client.js';
import { readMigrations } from '../../../platform/db/migrator.js';
import { properties, propertySearchTerms } from '../properties.table.js';
import { ids, search, uniqueCity } from '#test/factories/properties.js';

/**
 * One-word relevance search reads property_search_terms (each listed place's rank for each of
 * its lexemes, kept by a trigger) instead of ranking every match. These tests check that the
 * table follows every change of a place, that the one-word path is the one taken, and that it
 * pages in exactly the order `ts_rank` gives, on both engines.
 */
const testApp = useTestApp();
let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

const db = () => testApp().container.database.db;

/** A made-up word no other test uses; its English stem is itself (letters only, no suffix). */
const uniqueWord = () =>
  'zq' +
  randomBytes(6)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'bcdfghjkmp'[Number(d)]!) +
  'x';

interface Spec {
  title: string;
  description: string;
  status?: 'listed' | 'draft' | 'unlisted';
  deleted?: boolean;
}

async function insert(specs: Spec[]): Promise<string[]> {
  const city = uniqueCity();
  const rows = await db()
    .insert(properties)
    .values(
      specs.map((s) => ({
        hostId: host.user.id,
        title: s.title,
        description: s.description,
        propertyType: 'apartment' as const,
        addressLine1: '1 Term Street',
        city,
        country: 'PT',
        latitude: 38.7,
        longitude: -9.1,
        timezone: 'Europe/Lisbon',
        currency: 'EUR',
        nightlyPrice: 2_000,
        maxGuests: 2,
        status: s.status ?? 'listed',
        deletedAt: s.deleted ? new Date() : null,
      })),
    )
    .returning({ id: properties.id });
  return ids(rows);
}

/** What the table must hold for these places: every lexeme of each listed one, ranked by ts_rank alone. */
async function expectedTerms(placeIds: string[]) {
  return db()
    .select({
      lexeme: sql<string>`l.lexeme`,
      rank: sql<number>`ts_rank(${properties.searchVector}, property_search_lexeme_query(l.lexeme))`,
      propertyId: properties.id,
    })
    .from(properties)
    .innerJoin(sql`unnest(tsvector_to_array(${properties.searchVector})) as l(lexeme)`, sql`true`)
    .where(
      and(inArray(properties.id, placeIds), eq(properties.status, 'listed'), sql`${properties.deletedAt} is null`),
    );
}

async function storedTerms(placeIds: string[]) {
  return db()
    .select({
      lexeme: propertySearchTerms.lexeme,
      rank: propertySearchTerms.rank,
      propertyId: propertySearchTerms.propertyId,
    })
    .from(propertySearchTerms)
    .where(inArray(propertySearchTerms.propertyId, placeIds));
}

const sortTerms = <T extends { lexeme: string; propertyId: string }>(rows: T[]) =>
  rows
    .map((r) => ({ ...r, rank: Number((r as unknown as { rank: number }).rank) }))
    .sort((a, b) => (a.propertyId + a.lexeme < b.propertyId + b.lexeme ? -1 : 1));

/** The ranked path's order for `q`, from the database's own ts_rank: rank, then id, descending. */
async function tsRankOrder(q: string, placeIds: string[]): Promise<string[]> {
  const tsQuery = sql`websearch_to_tsquery('english', ${q})`;
  const rows = await db()
    .select({ id: properties.id })
    .from(properties)
    .where(
      and(
        inArray(properties.id, placeIds),
        eq(properties.status, 'listed'),
        sql`${properties.deletedAt} is null and ${properties.searchVector} @@ ${tsQuery}`,
      ),
    )
    .orderBy(sql`ts_rank(${properties.searchVector}, ${tsQuery}) desc, ${properties.id} desc`);
  return ids(rows);
}

async function walk(q: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const { res, body } = await search(testApp().app, { q, limit, ...(cursor ? { cursor } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    seen.push(...ids(body.data));
    cursor = body.page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

describe('one-word relevance search from property_search_terms', () => {
  it('pages in exactly the ts_rank order, ties by id, never repeating or skipping a place', async () => {
    const w = uniqueWord();
    // Ranks: in the title (A), the city is not used, in the description (C) once or twice,
    // both; equal variants tie on rank and are ordered by id. Hidden places never show.
    const variants: Spec[] = [
      { title: `A ${w} by the sea`, description: 'Quiet.' },
      { title: 'A house', description: `A ${w} outside.` },
      { title: 'A house', description: `One ${w} inside and one ${w} outside.` },
      { title: `The ${w} house`, description: `The ${w} is lit.` },
      { title: 'A house', description: 'Nothing here.' },
      { title: `A ${w}`, description: 'Draft.', status: 'draft' },
      { title: `A ${w}`, description: 'Unlisted.', status: 'unlisted' },
      { title: `A ${w}`, description: 'Deleted.', deleted: true },
    ];
    const placeIds = await insert([...variants, ...variants, ...variants.slice(0, 4)]);
    const expected = await tsRankOrder(w, placeIds);
    expect(expected).toHaveLength(12);
    for (const limit of [1, 2, 5, 12, 20]) expect(await walk(w, limit), `limit ${limit}`).toEqual(expected);
    // The same word written otherwise is the same one-lexeme query.
    expect(await walk(`the ${w.toUpperCase()}`, 3)).toEqual(expected);
  });

  it('is the path a one-word search takes, and only a one-word search with no other filter', async () => {
    const w = uniqueWord();
    const other = uniqueWord();
    const placeIds = await insert([
      { title: `A ${w}`, description: `And ${other}.` },
      { title: 'A house', description: `A ${w} and ${other}.` },
    ]);
    // Remove one place's row for `w` by hand: a search served from the table no longer finds
    // it, while a two-word search (ranked over the matches) and a filtered one still do.
    await db()
      .delete(propertySearchTerms)
      .where(and(eq(propertySearchTerms.propertyId, placeIds[0]!), eq(propertySearchTerms.lexeme, w)));
    expect(await walk(w, 5)).toEqual([placeIds[1]]);
    expect(new Set(await walk(`${w} ${other}`, 5))).toEqual(new Set(placeIds));
    const { body } = await search(testApp().app, { q: w, country: 'PT', limit: 7 });
    expect(new Set(ids(body.data).filter((id) => placeIds.includes(id)))).toEqual(new Set(placeIds));
  });

  it('follows every change of a place: text, listing, soft and hard deletion', async () => {
    const w = uniqueWord();
    const placeIds = await insert([
      { title: `A ${w} loft`, description: `Bright ${w}.` },
      { title: 'A cabin', description: `Near the ${w}.`, status: 'draft' },
      { title: `A ${w} flat`, description: 'Calm.' },
    ]);
    const check = async () =>
      expect(sortTerms(await storedTerms(placeIds))).toEqual(sortTerms(await expectedTerms(placeIds)));
    await check();
    expect((await storedTerms(placeIds)).filter((r) => r.lexeme === w)).toHaveLength(2);

    const set = (id: string, values: Partial<typeof properties.$inferInsert>) =>
      db().update(properties).set(values).where(eq(properties.id, id));
    await set(placeIds[0]!, { title: 'A plain loft' }); // the rank of w changes (no longer in the title)
    await check();
    await set(placeIds[0]!, { description: 'Bright room.' }); // w gone from it
    await check();
    await set(placeIds[1]!, { status: 'listed' });
    await check();
    await set(placeIds[1]!, { status: 'unlisted' });
    await check();
    await set(placeIds[2]!, { nightlyPrice: 3_000 }); // no text or listing change: untouched
    await check();
    await set(placeIds[2]!, { deletedAt: new Date() });
    await check();
    await set(placeIds[2]!, { deletedAt: null });
    await check();
    expect((await storedTerms(placeIds)).filter((r) => r.lexeme === w).map((r) => r.propertyId)).toEqual([placeIds[2]]);
    await db().delete(properties).where(eq(properties.id, placeIds[2]!));
    expect(await storedTerms([placeIds[2]!])).toEqual([]);
    await check();
  });

  it('is filled for places that existed before its trigger by the backfill migration, batch by batch', async () => {
    const placeIds = await insert([
      { title: 'A quiet loft', description: 'Near the harbour.' },
      { title: 'A cabin', description: 'In the woods.', status: 'unlisted' },
      { title: 'A flat', description: 'By the beach.' },
    ]);
    // As before the trigger: no rows for these places (nor, after this, for any other).
    await db().delete(propertySearchTerms);
    const backfill = (await readMigrations(migrationsFolder)).find((m) => m.tag === '0036_search_terms_backfill')!;
    expect(backfill.transaction).toBe(false);
    for (const statement of backfill.statements) await db().execute(sql.raw(statement));
    expect(sortTerms(await storedTerms(placeIds))).toEqual(sortTerms(await expectedTerms(placeIds)));
    const [{ listed }] = (await db()
      .select({ listed: sql<number>`count(distinct ${propertySearchTerms.propertyId})::int` })
      .from(propertySearchTerms)) as [{ listed: number }];
    const [{ expected }] = (await db()
      .select({ expected: sql<number>`count(*)::int` })
      .from(properties)
      .where(sql`status = 'listed' and deleted_at is null and ${properties.searchVector} <> ''::tsvector`)) as [
      { expected: number },
    ];
    expect(listed).toBe(expected);
    // Run again: nothing changes.
    for (const statement of backfill.statements) await db().execute(sql.raw(statement));
    expect(sortTerms(await storedTerms(placeIds))).toEqual(sortTerms(await expectedTerms(placeIds)));
  });

  it('holds a lexeme with quotes or backslashes as itself', async () => {
    const placeIds = await insert([{ title: `O'Brien's \\ loft`, description: 'It\'s a "quoted" \\\\ text.' }]);
    expect(sortTerms(await storedTerms(placeIds))).toEqual(sortTerms(await expectedTerms(placeIds)));
  });
});
