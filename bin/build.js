#!/usr/bin/env node
// `npm run build` (and `npm install`, through bin/postinstall.js): TypeScript to dist/, the SQL
// migrations beside the compiled code, then dist/.built, whose time tells bin/staylane.js
// that dist/ is at least as new as the sources. `--no-check` emits without type-checking.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const noCheck = process.argv.includes('--no-check');
// An old stamp must not vouch for a half-written dist/.
rmSync(`${root}dist/.built`, { force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...(noCheck ? ['--noCheck'] : [])], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(`${root}src/platform/db/migrations`, `${root}dist/platform/db/migrations`, { recursive: true });
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
