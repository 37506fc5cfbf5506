import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * PGlite belongs to one process. Every command that opens an embedded data directory
 * takes this lock first; a second process is refused with a clear message instead of
 * corrupting the database. A lock left by a dead process is taken over.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'staylane.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }), {
        flag: 'wx',
      });
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirLockedError(
          `The embedded database in ${dataDir} is in use by process ${holder.pid} (staylane ${holder.command}). ` +
            'Stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share.',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}.`);
}

export class DataDirLockedError extends Error {}

async function readHolder(file: string): Promise<{ pid: number; command: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; command?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, command: String(parsed.command) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
