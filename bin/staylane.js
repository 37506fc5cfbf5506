#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` or `npm run build`) when it is at least
// as new as every source file, else the TypeScript sources through tsx: an edited checkout
// never runs stale code, and an untouched one skips transpiling at start-up.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/composition/main.js', root);

/**
 * The newest modification time under `dir`, directories included (an added or removed file
 * changes its directory's).
 * @param {string} dir
 */
function newestUnder(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const at = statSync(`${entry.parentPath}/${entry.name}`).mtimeMs;
    if (at > newest) newest = at;
  }
  return newest;
}

function compiledIsCurrent() {
  if (!existsSync(compiled)) return false;
  const sources = fileURLToPath(new URL('src', root));
  // A deployment ships dist/ without the sources.
  if (!existsSync(sources)) return true;
  const stamp = new URL('dist/.built', root);
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestUnder(sources);
}

if (compiledIsCurrent()) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/composition/main.ts', root).href);
}
