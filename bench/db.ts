import pg from 'pg';
import { openDatabase } from '../src/platform/db/client.js';

/** One short-lived connection for set-up and read-back queries, closed whatever happens. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A database of its own at `url`, dropped if it existed, created empty and migrated. */
export async function freshDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const quoted = `"${name.replace(/"/g, '""')}"`;
  await withClient(maintenance.toString(), async (c) => {
    await c.query(`drop database if exists ${quoted} with (force)`);
    await c.query(`create database ${quoted}`);
  });
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}
