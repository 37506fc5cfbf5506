import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase } from '../client.js';
import { buildTemplate, copyTemplateInto, templateKey } from '../template.js';

// The migrated template is what makes a fresh `npm start` fast: it must hold exactly what
// migrating a new database gives, and never be applied where it does not belong.
let scratch: string;
let cacheDir: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'staylane-template-'));
  cacheDir = path.join(scratch, 'cache');
  // A template of an older migration set, which the build must remove.
  await mkdir(path.join(cacheDir, 'pglite-template-old'), { recursive: true });
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('embedded database template', () => {
  it('is built once for the current migrations, replacing older ones', async () => {
    const first = await buildTemplate(cacheDir);
    expect(first.created).toBe(true);
    expect(path.basename(first.dir)).toBe(await templateKey());
    const again = await buildTemplate(cacheDir);
    expect(again).toEqual({ dir: first.dir, created: false });
    expect(await readdir(cacheDir)).toEqual([path.basename(first.dir)]);
  }, 120_000);

  it('fills a data directory that does not exist with every migration applied', async () => {
    const pgDir = path.join(scratch, 'fresh', 'pg');
    expect(await copyTemplateInto(pgDir, cacheDir)).toBe(true);
    const database = await openDatabase({ kind: 'pglite', dataDir: pgDir });
    try {
      const journal = (await import(path.join(migrationsFolder, 'meta', '_journal.json'), { with: { type: 'json' } }))
        .default as { entries: unknown[] };
      const applied = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect((applied as { rows: { n: number }[] }).rows[0]!.n).toBe(journal.entries.length);
      // The migrator finds nothing left to do, and the schema is usable.
      await database.migrate();
      await database.db.execute(sql`select count(*) from users`);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('copies the template file for file: every directory (empty ones too) and every byte', async () => {
    const template = path.join(cacheDir, await templateKey());
    const pgDir = path.join(scratch, 'copied', 'pg');
    expect(await copyTemplateInto(pgDir, cacheDir)).toBe(true);
    const tree = async (dir: string) => {
      const entries = await readdir(dir, { withFileTypes: true, recursive: true });
      return entries
        .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))}${e.isDirectory() ? '/' : ''}`)
        .sort();
    };
    const names = await tree(template);
    expect(names.some((n) => n.endsWith('/') && n.split('/').length > 2)).toBe(true);
    expect(await tree(pgDir)).toEqual(names);
    for (const name of names.filter((n) => !n.endsWith('/'))) {
      expect((await readFile(path.join(pgDir, name))).equals(await readFile(path.join(template, name))), name).toBe(
        true,
      );
    }
    // No half copy (pg.partial) is left beside the data directory.
    expect(await readdir(path.dirname(pgDir))).toEqual(['pg']);
  });

  it('leaves an existing data directory alone, even an empty one', async () => {
    const pgDir = path.join(scratch, 'existing', 'pg');
    await mkdir(pgDir, { recursive: true });
    await writeFile(path.join(pgDir, 'marker'), 'kept');
    expect(await copyTemplateInto(pgDir, cacheDir)).toBe(false);
    expect(await readdir(pgDir)).toEqual(['marker']);
    const empty = path.join(scratch, 'empty', 'pg');
    await mkdir(empty, { recursive: true });
    expect(await copyTemplateInto(empty, cacheDir)).toBe(false);
    expect(await readdir(empty)).toEqual([]);
  });

  it('is not used when no template matches the migrations', async () => {
    const otherCache = path.join(scratch, 'other-cache');
    await mkdir(path.join(otherCache, 'pglite-template-000000000000000000000000'), { recursive: true });
    const pgDir = path.join(scratch, 'unmatched', 'pg');
    expect(await copyTemplateInto(pgDir, otherCache)).toBe(false);
    await expect(readdir(pgDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
