#!/usr/bin/env node
// `npm run client:generate`: the typed client's types (clients/ts/schema.ts) from the
// committed openapi.json, with openapi-typescript, formatted like the rest of the code.
// `--check` (npm run client:check, a CI step) writes nothing and fails when the file is not
// what openapi.json gives, so the two cannot drift apart.
//
// Fields that have a default stay optional (`defaultNonNullable: false`): a default is what
// the server fills in when a request leaves the field out, not a promise that an answer
// always carries it (answers list their fields as required where they always do).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const root = new URL('..', import.meta.url);
const documentUrl = new URL('openapi.json', root);
const target = fileURLToPath(new URL('clients/ts/schema.ts', root));

const HEADER = `/**
 * The Staylane REST API's types, generated from openapi.json by \`npm run client:generate\`
 * (openapi-typescript). Do not edit: change the routes, regenerate openapi.json, then this.
 */

`;

const ast = await openapiTS(documentUrl, { defaultNonNullable: false, alphabetize: false });
const options = (await prettier.resolveConfig(target)) ?? {};
const generated = await prettier.format(HEADER + astToString(ast), { ...options, filepath: target });

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // Missing: reported below like any difference.
  }
  if (current !== generated) {
    console.error(`${target} is not up to date with openapi.json: run \`npm run client:generate\`.`);
    process.exit(1);
  }
  console.log('clients/ts/schema.ts is up to date with openapi.json.');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
