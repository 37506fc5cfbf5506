#!/usr/bin/env node
// Run by `npm install` (postinstall): builds the migrated embedded-database template that
// makes the first `npm start` on a new data directory fast (src/platform/db/template.ts).
// Never fails the install: without a template, the first start creates the database itself.
import { existsSync } from 'node:fs';

const started = performance.now();
try {
  const compiled = new URL('../dist/platform/db/template.js', import.meta.url);
  let mod;
  if (existsSync(compiled)) {
    mod = await import(compiled.href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    mod = await import(new URL('../src/platform/db/template.ts', import.meta.url).href);
  }
  const { dir, created } = await mod.buildTemplate();
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`staylane: embedded database template ${created ? `built in ${took} s` : 'up to date'} (${dir})`);
} catch (e) {
  console.warn(
    `staylane: no embedded database template (${e instanceof Error ? e.message : String(e)}); ` +
      'the first start will create the database itself',
  );
}
