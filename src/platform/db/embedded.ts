import { openDatabase, type Database } from './client.js';
import { lockDataDir } from './data-dir-lock.js';
import { copyTemplateInto } from './template.js';

export interface EmbeddedDatabase {
  database: Database;
  unlock(): Promise<void>;
  /** Whether the data directory started as a copy of the migrated template. */
  fromTemplate: boolean;
  openMs: number;
}

/**
 * Locks `dataDir` to this process, fills a new one from the migrated template when one
 * matches, and opens PGlite on it. Needs only the database layer, so `serve` can start it
 * while the rest of the application is still loading.
 */
export async function openEmbeddedDatabase(dataDir: string, command: string): Promise<EmbeddedDatabase> {
  const started = performance.now();
  const unlock = await lockDataDir(dataDir, command);
  try {
    const fromTemplate = await copyTemplateInto(`${dataDir}/pg`);
    const database = await openDatabase({ kind: 'pglite', dataDir: `${dataDir}/pg` });
    return { database, unlock, fromTemplate, openMs: Math.round(performance.now() - started) };
  } catch (e) {
    await unlock();
    throw e;
  }
}
