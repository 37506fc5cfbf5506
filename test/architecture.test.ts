import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { inDependencyOrder } from '../src/module.js';
import { MODULES } from '../src/modules/index.js';

/**
 * The layering rules, checked on resolved paths of every import in src (tests aside):
 * no import cycle; a module reaches another only through its index.ts; every import runs
 * down the layers, from composition to modules to the module contract to the transport
 * kits to platform. eslint.config.js flags the same boundaries in the editor.
 */

const SRC = path.resolve(import.meta.dirname, '../src');

export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' || entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports (static, type-only, re-exports and dynamic) of each file, resolved to files under src. */
export function importGraph(files: readonly string[], read: (file: string) => string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(read(file), true, true);
    graph.set(
      file,
      importedFiles
        .map((i) => i.fileName)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts')),
    );
  }
  return graph;
}

/** Every import cycle, each as the path of files that closes it. */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

const moduleOf = (file: string) => /^modules\/([^/]+)\//.exec(path.relative(SRC, file))?.[1];
const isPlatform = (file: string) => path.relative(SRC, file).startsWith('platform/');

/**
 * The layers, bottom first. A file imports files of its own layer or lower ones; src holds
 * no file outside them.
 */
export const LAYERS = [
  { name: 'platform', holds: (rel: string) => rel.startsWith('platform/') },
  {
    name: 'transport kits',
    holds: (rel: string) => rel === 'config.ts' || rel.startsWith('http/') || rel.startsWith('graphql/'),
  },
  { name: 'module contract', holds: (rel: string) => rel === 'module.ts' },
  { name: 'modules', holds: (rel: string) => rel.startsWith('modules/') },
  { name: 'composition', holds: (rel: string) => rel.startsWith('composition/') },
] as const;

/** The layer index of a file under src, or -1 when it is in none. */
export const layerOf = (file: string) => {
  const rel = path.relative(SRC, file);
  return LAYERS.findIndex((layer) => layer.holds(rel));
};

/** Imports that run from a lower layer to a higher one, as "from → to". */
export function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (layerOf(to) > layerOf(from)) out.push(`${path.relative(SRC, from)} → ${path.relative(SRC, to)}`);
    }
  }
  return out;
}

/** Imports that break the module or platform boundary, as "from → to". */
export function boundaryViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const fromModule = moduleOf(from);
      const toModule = moduleOf(to);
      const crossesModule =
        fromModule !== undefined &&
        toModule !== undefined &&
        fromModule !== toModule &&
        path.basename(to) !== 'index.ts';
      const leavesPlatform = isPlatform(from) && !isPlatform(to);
      if (crossesModule || leavesPlatform) out.push(`${path.relative(SRC, from)} → ${path.relative(SRC, to)}`);
    }
  }
  return out;
}

const files = sourceFiles(SRC);
const graph = importGraph(files, (file) => readFileSync(file, 'utf8'));

describe('architecture', () => {
  it('has no import cycle in src', () => {
    expect(findCycles(graph).map((cycle) => cycle.map((f) => path.relative(SRC, f)).join(' → '))).toEqual([]);
  });

  it('keeps modules behind their index.ts and platform free of modules and transports', () => {
    expect(boundaryViolations(graph)).toEqual([]);
  });

  it('imports only down the layers: composition, modules, module contract, transport kits, platform', () => {
    expect(files.filter((file) => layerOf(file) < 0).map((file) => path.relative(SRC, file))).toEqual([]);
    expect(layerViolations(graph)).toEqual([]);
  });

  it('finds an import that runs up the layers', () => {
    const at = (rel: string) => path.join(SRC, rel);
    const bad: ImportGraph = new Map([
      [at('http/problem.ts'), [at('platform/errors.ts')]],
      [at('graphql/gate.ts'), [at('module.ts')]],
      [at('module.ts'), [at('graphql/schema.ts')]],
      [at('modules/a/a.service.ts'), [at('composition/container.ts')]],
      [at('composition/app.ts'), [at('modules/index.ts')]],
    ]);
    expect(layerViolations(bad)).toEqual([
      'graphql/gate.ts → module.ts',
      'modules/a/a.service.ts → composition/container.ts',
    ]);
  });

  it('finds a cycle and both kinds of boundary breach when they exist', () => {
    const at = (rel: string) => path.join(SRC, rel);
    const bad: ImportGraph = new Map([
      [at('modules/a/a.service.ts'), [at('modules/b/b.repository.ts'), at('modules/b/index.ts')]],
      [at('modules/b/index.ts'), [at('modules/a/index.ts')]],
      [at('modules/a/index.ts'), [at('modules/a/a.service.ts')]],
      [at('modules/b/b.repository.ts'), []],
      [at('platform/db/client.ts'), [at('modules/a/index.ts')]],
    ]);
    expect(findCycles(bad)).toHaveLength(1);
    expect(boundaryViolations(bad)).toEqual([
      'modules/a/a.service.ts → modules/b/b.repository.ts',
      'platform/db/client.ts → modules/a/index.ts',
    ]);
  });

  it('lists every module, with its dependencies, and their tables under <name>.table.ts', async () => {
    // Derived from MODULES: every module kept once, each after everything it depends on.
    const ordered = inDependencyOrder(MODULES).map((m) => m.name);
    expect([...ordered].sort()).toEqual(MODULES.map((m) => m.name).sort());
    expect(new Set(ordered).size).toBe(MODULES.length);
    for (const module of MODULES) {
      for (const dep of module.dependsOn) {
        expect(
          MODULES.map((m) => m.name),
          `${module.name} depends on ${dep.name}`,
        ).toContain(dep.name);
        expect(ordered.indexOf(dep.name), `${dep.name} before ${module.name}`).toBeLessThan(
          ordered.indexOf(module.name),
        );
      }
    }
    for (const module of MODULES) {
      // drizzle-kit reads src/modules/*/*.table.ts: the definition must list exactly those tables.
      const file = path.join(SRC, 'modules', module.name, `${module.name}.table.ts`);
      // A module without tables (notifications) has no table file for drizzle-kit to miss.
      if (Object.keys(module.tables).length === 0 && !existsSync(file)) continue;
      const url = pathToFileURL(file).href;
      const tableFile = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      const declared = Object.values(tableFile).filter((v) => is(v, PgTable));
      expect(new Set(declared)).toEqual(new Set(Object.values(module.tables)));
    }
  });
});
