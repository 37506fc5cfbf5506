#!/usr/bin/env node
// `npm run lint:migrations`: squawk (.squawk.toml) over every migration from 0021 on, the
// first written with the linter; 0000-0020 are applied everywhere and left as they are.
// Arguments, when given, are the files or folders to lint instead (folders: their NNNN_*.sql
// files from 0021 on). Exits non-zero on any report.
//
// A file whose first line is the no-transaction marker runs outside a transaction
// (src/platform/db/migrator.ts), so squawk lints it without assuming one; a file without it
// that builds an index CONCURRENTLY would fail inside its transaction, and is reported here.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIRST_LINTED = 21;
/** The same marker as NO_TRANSACTION_MARKER in src/platform/db/migrator.ts. */
const NO_TRANSACTION_MARKER = '-- staylane:no-transaction';

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : [path.join(root, 'src/platform/db/migrations')]).flatMap((target) =>
  statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((name) => /^\d{4}_.*\.sql$/.test(name) && Number(name.slice(0, 4)) >= FIRST_LINTED)
        .sort()
        .map((name) => path.join(target, name))
    : [target],
);

const text = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
const outsideTransaction = files.filter((file) => text.get(file).split('\n', 1)[0].trim() === NO_TRANSACTION_MARKER);
const inTransaction = files.filter((file) => !outsideTransaction.includes(file));

let failed = false;
for (const file of inTransaction) {
  const code = text.get(file).replace(/--[^\n]*/g, '');
  if (/\bconcurrently\b/i.test(code)) {
    console.error(
      `${path.relative(process.cwd(), file)}: CONCURRENTLY cannot run in a transaction: make "${NO_TRANSACTION_MARKER}" the file's first line`,
    );
    failed = true;
  }
}

const squawk = createRequire(import.meta.url).resolve('squawk-cli/js/bin/squawk');
const config = path.join(root, '.squawk.toml');
for (const [group, extra] of [
  [inTransaction, []],
  [outsideTransaction, ['--no-assume-in-transaction']],
]) {
  if (group.length === 0) continue;
  const run = spawnSync(process.execPath, [squawk, '--config', config, ...extra, ...group], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
