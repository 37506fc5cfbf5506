import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRANSACTION_MARKER } from '../src/platform/db/migrator.js';

/**
 * `npm run lint:migrations` (bin/lint-migrations.js, squawk with .squawk.toml) fails the
 * build on a migration that would block writes on a live database, passes the ones that
 * follow the rules, and lints a no-transaction file as running outside a transaction.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'staylane-lint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(files: Record<string, string>) {
  const paths = await Promise.all(
    Object.entries(files).map(async ([name, sql]) => {
      const file = path.join(dir, name);
      await writeFile(file, sql);
      return file;
    }),
  );
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/lint-migrations.js'), ...paths], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the migration lint', () => {
  it('passes the migrations from 0021 on', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/lint-migrations.js')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('reports an index built in the transaction and a constraint validated under its lock', async () => {
    const { status, output } = await lint({
      'bad.sql': [
        'CREATE INDEX "mail_deliveries_job_idx" ON "mail_deliveries" ("job_id");',
        'ALTER TABLE "reviews" ADD CONSTRAINT "reviews_rating_check" CHECK ("rating" BETWEEN 1 AND 5);',
      ].join('\n--> statement-breakpoint\n'),
    });
    expect(status).toBe(1);
    expect(output).toContain('require-concurrent-index-creation');
    expect(output).toContain('constraint-missing-not-valid');
  });

  it('passes the same changes made the live way', async () => {
    const { status, output } = await lint({
      'good-expand.sql':
        'ALTER TABLE "reviews" ADD CONSTRAINT "reviews_rating_check" CHECK ("rating" BETWEEN 1 AND 5) NOT VALID;',
      'good-concurrent.sql': [
        NO_TRANSACTION_MARKER,
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS "mail_deliveries_job_idx" ON "mail_deliveries" ("job_id");',
        '--> statement-breakpoint',
        // squawk cannot tell that validating twice is harmless.
        '-- squawk-ignore prefer-robust-stmts',
        'ALTER TABLE "reviews" VALIDATE CONSTRAINT "reviews_rating_check";',
      ].join('\n'),
    });
    expect(status, output).toBe(0);
  });

  it('reports a concurrent build without the no-transaction marker, and one that cannot be run again', async () => {
    const unmarked = await lint({
      'unmarked.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "i" ON "mail_deliveries" ("job_id");',
    });
    expect(unmarked.status).toBe(1);
    expect(unmarked.output).toContain(NO_TRANSACTION_MARKER);
    const fragile = await lint({
      'fragile.sql': `${NO_TRANSACTION_MARKER}\nCREATE INDEX CONCURRENTLY "i" ON "mail_deliveries" ("job_id");`,
    });
    expect(fragile.status).toBe(1);
    expect(fragile.output).toContain('prefer-robust-stmts');
  });
});
