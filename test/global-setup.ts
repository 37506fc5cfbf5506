import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/platform/db/client.js';

/**
 * Migrates one template database per test run; every test file then gets its own copy
 * (a PGlite data-dir dump, or a PostgreSQL `CREATE DATABASE … TEMPLATE`), so files run in
 * parallel without sharing rows and runs never collide.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `st${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  project.provide('runId', runId);
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `${runId}_template`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${template}"`);
    await admin.end();
    const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), poolMax: 1 });
    await database.migrate();
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteDump', '');
    return async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `${runId}%`,
      ]);
      for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
      await admin.end();
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'staylane-test-'));
  const database = await openDatabase({ kind: 'pglite' });
  await database.migrate();
  const dumpFile = path.join(dir, 'template.tar');
  await writeFile(dumpFile, Buffer.from(await (await database.dump()).arrayBuffer()));
  await database.close();
  project.provide('pgliteDump', dumpFile);
  project.provide('pgTemplate', '');
  return () => rm(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
