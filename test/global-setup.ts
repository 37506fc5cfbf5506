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
 * parallel without sharing rows and runs never collide. Vitest runs a global setup once per
 * project (vitest.config.ts has several, and the root config counts as one); they all share
 * the one template, made by the first and removed after the last.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    runId: string;
  }
}

interface Template {
  runId: string;
  pgTemplate: string;
  pgliteDump: string;
  teardown(): Promise<void>;
}

/** Kept on globalThis: each project loads this file as a module of its own. */
const shared = globalThis as { __staylaneTestTemplate?: { template: Promise<Template>; users: number } };

export default async function setup(project: TestProject) {
  const entry = (shared.__staylaneTestTemplate ??= { template: createTemplate(), users: 0 });
  entry.users++;
  const { runId, pgTemplate, pgliteDump, teardown } = await entry.template;
  project.provide('runId', runId);
  project.provide('pgTemplate', pgTemplate);
  project.provide('pgliteDump', pgliteDump);
  return async () => {
    if (--entry.users > 0) return;
    shared.__staylaneTestTemplate = undefined;
    await teardown();
  };
}

async function createTemplate(): Promise<Template> {
  const runId = `st${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
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
    const teardown = async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `${runId}%`,
      ]);
      for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
      await admin.end();
    };
    return { runId, pgTemplate: template, pgliteDump: '', teardown };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'staylane-test-'));
  const database = await openDatabase({ kind: 'pglite' });
  await database.migrate();
  const dumpFile = path.join(dir, 'template.tar');
  await writeFile(dumpFile, Buffer.from(await (await database.dump()).arrayBuffer()));
  await database.close();
  const teardown = () => rm(dir, { recursive: true, force: true });
  return { runId, pgTemplate: '', pgliteDump: dumpFile, teardown };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
