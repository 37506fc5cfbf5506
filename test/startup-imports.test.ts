import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Cold start (`npm start` to the first /healthz answer within 4 s): `serve` loads only what it runs. The clients of Redis, BullMQ and
 * PostgreSQL, the queue dashboard and the SMTP library cost an embedded start several hundred
 * milliseconds of CPU; they are imported (`import()`) in the code paths that use them. This
 * follows the static, value (not type-only) imports from what `serve` loads at start-up.
 */

const SRC = path.resolve(import.meta.dirname, '../src');

/** What `serve` imports before it listens: main.ts, then lifecycle.ts (imported by `serve`). */
const SERVE_ENTRIES = ['composition/main.ts', 'composition/lifecycle.ts'];

const LAZY_PACKAGES = [
  'bullmq',
  'ioredis',
  'pg',
  '@bull-board/api',
  '@bull-board/api/bullMQAdapter',
  '@bull-board/fastify',
  'mqemitter-redis',
  'nodemailer',
  '@zxcvbn-ts/core',
  '@zxcvbn-ts/language-common',
  '@zxcvbn-ts/language-en',
  'sharp',
  '@aws-sdk/client-s3',
];

/** The module specifiers `source` imports or re-exports as values at load time. */
function staticValueImports(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly)) continue;
      out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every package imported statically from the files reached statically from `entries`. */
function packagesLoadedFrom(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticValueImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:') && !packages.has(spec)) packages.set(spec, path.relative(SRC, file));
    }
  };
  for (const entry of entries) visit(path.join(SRC, entry));
  return packages;
}

describe('serve start-up imports', () => {
  it('leave out Redis, BullMQ, PostgreSQL, the queue dashboard, SMTP, the password dictionaries, libvips and the S3 client', () => {
    const loaded = packagesLoadedFrom(SERVE_ENTRIES);
    // The walk does reach the application: the HTTP framework and the embedded database.
    expect(loaded.has('fastify')).toBe(true);
    expect(loaded.has('mercurius')).toBe(true);
    const eager = LAZY_PACKAGES.filter((p) => loaded.has(p)).map((p) => `${p} (from ${loaded.get(p)})`);
    expect(eager).toEqual([]);
  });

  it('counts value imports and re-exports, not type-only ones', () => {
    expect(
      staticValueImports(`
        import type { Redis } from 'ioredis';
        import { type Queue } from 'bullmq';
        import pg from 'pg';
        import { Worker, type Job } from 'bullmq-pro';
        export { createX } from './x.js';
        export type { Y } from './y.js';
        const lazy = () => import('nodemailer');
      `),
    ).toEqual(['pg', 'bullmq-pro', './x.js']);
  });
});
