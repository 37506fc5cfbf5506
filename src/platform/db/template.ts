import { createHash } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsFolder, openDatabase } from './client.js';

/**
 * Creating an embedded database (initdb inside PGlite, then every migration) takes several
 * seconds; copying a data directory that already went through both takes a fraction of one.
 * `npm install` builds such a template once (bin/prepare-template.js); the first start on a
 * data directory that does not exist yet copies it instead of creating the database.
 *
 * The template is named by a hash of everything that shapes its files: the PGlite release
 * (its PostgreSQL and on-disk format) and every migration file. A migration added, edited or
 * renumbered changes the name, so a stale template is never used: the start falls back to
 * initdb and migrating, exactly as without a template.
 */

const packageRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Where templates are kept: the conventional cache folder under node_modules. */
export const defaultTemplateCache = path.join(packageRoot, 'node_modules', '.cache', 'staylane');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function pgliteVersion(): Promise<string> {
  // The package's exports hide its package.json: walk up from its entry point instead.
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('@electric-sql/pglite: package.json not found');
    dir = parent;
  }
  return (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The template's name for the installed PGlite and the migrations of this checkout. */
export async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`pglite ${await pgliteVersion()}\n`);
  for (const file of await filesUnder(migrationsFolder)) {
    hash.update(`${file}\n`);
    hash.update(await readFile(path.join(migrationsFolder, file)));
  }
  return `pglite-template-${hash.digest('hex').slice(0, 24)}`;
}

/**
 * Builds the template for the current migrations unless it exists; older templates are
 * removed. Built beside its final place and renamed, so a reader never sees half of one.
 */
export async function buildTemplate(cacheDir = defaultTemplateCache): Promise<{ dir: string; created: boolean }> {
  const name = await templateKey();
  const dir = path.join(cacheDir, name);
  if (existsSync(dir)) return { dir, created: false };
  await mkdir(cacheDir, { recursive: true });
  const building = path.join(cacheDir, `.${name}.${process.pid}`);
  await rm(building, { recursive: true, force: true });
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: building });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    await rename(building, dir);
  } catch (e) {
    await rm(building, { recursive: true, force: true });
    // Another install built the same template meanwhile: theirs is as good as ours.
    if (existsSync(dir)) return { dir, created: false };
    throw e;
  }
  for (const entry of await readdir(cacheDir)) {
    if (entry.startsWith('pglite-template-') && entry !== name) {
      await rm(path.join(cacheDir, entry), { recursive: true, force: true });
    }
  }
  return { dir, created: true };
}

/** Files copied at once: enough to keep the thread pool busy, few enough to leave it room. */
const COPY_CONCURRENCY = 8;

/**
 * Copies the tree under `from` (directories and regular files only: a data directory has
 * nothing else) to `to`, which must not exist. Each file is one `copyFile` on the thread pool
 * (a clone where the file system can, such as btrfs, XFS or APFS). On the 40 MB, ~1,100-file
 * template `fs.cp` took about twice the CPU, and 4-5 times as much of it on the main thread
 * (~100 ms against ~20), which the modules loading beside it are waiting for.
 */
async function copyTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true, recursive: true });
  const target = (e: { parentPath: string; name: string }) =>
    path.join(to, path.relative(from, path.join(e.parentPath, e.name)));
  await mkdir(to);
  // Parents before children: a shorter path never sorts after a longer one it prefixes.
  for (const dir of entries
    .filter((e) => e.isDirectory())
    .map(target)
    .sort())
    await mkdir(dir);
  const files = entries.filter((e) => e.isFile());
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await copyFile(path.join(file.parentPath, file.name), target(file), constants.COPYFILE_FICLONE);
    }
  };
  await Promise.all(Array.from({ length: COPY_CONCURRENCY }, worker));
}

/**
 * Fills `pgDir` from the matching template when `pgDir` does not exist yet. An existing
 * directory, even an empty one, is never touched. Returns whether a template was copied;
 * false means the caller creates the database as usual.
 */
export async function copyTemplateInto(pgDir: string, cacheDir = defaultTemplateCache): Promise<boolean> {
  try {
    await stat(pgDir);
    return false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const template = path.join(cacheDir, await templateKey());
  if (!existsSync(template)) return false;
  // Copied under another name and renamed: a start killed mid-copy leaves no half database.
  const partial = `${pgDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(path.dirname(pgDir), { recursive: true });
  await copyTree(template, partial);
  await rename(partial, pgDir);
  return true;
}
