#!/usr/bin/env node
// Run by `npm install`. Prepares what makes the first `npm start` fast, and never fails the
// install (each step falls back to what `npm start` does without it):
//  1. dist/ compiled from src/ (bin/build.js --no-check), so the start skips tsx;
//  2. the migrated embedded-database template (src/platform/db/template.ts), so a new data
//     directory starts as a copy instead of initdb plus every migration.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const warn = (what, why) => console.warn(`staylane: ${what} skipped (${why}); npm start will do without it`);

function compile() {
  if (!existsSync(new URL('src', root))) return;
  try {
    createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return warn('compiling dist/', 'typescript is not installed');
  }
  const started = performance.now();
  const built = spawnSync(process.execPath, [new URL('bin/build.js', root).pathname, '--no-check'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) return warn('compiling dist/', `the build exited with ${built.status}`);
  console.log(`staylane: dist/ compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function template() {
  const started = performance.now();
  try {
    const compiled = new URL('dist/platform/db/template.js', root);
    /** @type {unknown} */
    let loaded;
    if (existsSync(new URL('dist/.built', root)) || !existsSync(new URL('src', root))) {
      loaded = await import(compiled.href);
    } else {
      const { register } = await import('tsx/esm/api');
      register();
      loaded = await import(new URL('src/platform/db/template.ts', root).href);
    }
    const mod = /** @type {{ buildTemplate(): Promise<{ dir: string; created: boolean }> }} */ (loaded);
    const { dir, created } = await mod.buildTemplate();
    const took = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`staylane: embedded database template ${created ? `built in ${took} s` : 'up to date'} (${dir})`);
  } catch (e) {
    warn('the embedded database template', e instanceof Error ? e.message : String(e));
  }
}

compile();
await template();
