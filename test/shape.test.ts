import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The size and shape rules, checked with the TypeScript parser on every source file under src
 * (tests and migrations aside): no file over 400 lines (seed data files, `*.seed-data.ts`,
 * excepted); no function over 150 lines, arrow functions and closures included (a factory
 * closure is one function: split it into several factories); and thin module faces: every
 * name a module's index.ts exports is imported by some file outside the module's folder.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 150;

/** The `.ts` files under `dir`, skipping the folders `skip` names. */
function tsFiles(dir: string, skip: ReadonlySet<string>): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : tsFiles(full, skip);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const isTest = (file: string) => file.endsWith('.test.ts');

const parse = (file: string, text: string) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** Lines of a text as an editor numbers them: a final newline ends the last line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** Files over the limit, as "file: N lines"; `*.seed-data.ts` files are exempt. */
export function longFiles(files: ReadonlyMap<string, string>, max = MAX_FILE_LINES): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    if (file.endsWith('.seed-data.ts')) continue;
    const lines = lineCount(text);
    if (lines > max) out.push(`${path.relative(ROOT, file)}: ${lines} lines`);
  }
  return out;
}

function functionName(node: ts.SignatureDeclaration): string {
  if (node.name && !ts.isComputedPropertyName(node.name)) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText();
  if (ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '(anonymous)';
}

/**
 * Every function with a body (declarations, methods, accessors, constructors, function
 * expressions, arrow functions) spanning more than `max` lines, from its first token to its
 * closing brace, as "file:line name: N lines".
 */
export function longFunctions(files: ReadonlyMap<string, string>, max = MAX_FUNCTION_LINES): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const source = parse(file, text);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const span = last - first + 1;
        if (span > max) out.push(`${path.relative(ROOT, file)}:${first + 1} ${functionName(node)}: ${span} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

/** Every name a file exports (declarations, export lists, re-exports, `export *` followed). */
export function exportedNames(
  file: string,
  files: ReadonlyMap<string, string>,
  seen: Set<string> = new Set(),
): Set<string> {
  const names = new Set<string>();
  const text = files.get(file);
  if (text === undefined || seen.has(file)) return names;
  seen.add(file);
  const source = parse(file, text);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (!clause) {
        const target = resolve(file, statement.moduleSpecifier, files);
        if (target) for (const name of exportedNames(target, files, seen)) names.add(name);
      } else if (ts.isNamespaceExport(clause)) {
        names.add(clause.name.text);
      } else {
        for (const element of clause.elements) names.add(element.name.text);
      }
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      names.add('default');
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      names.add('default');
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, names);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name &&
      ts.isIdentifier(statement.name)
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

/**
 * The file an import specifier names: relative paths and the `#test/*` alias, `.js` read as
 * `.ts`, a folder as its index.ts. Packages resolve to nothing.
 */
export function resolveImport(from: string, spec: string, files: ReadonlyMap<string, string>) {
  let base: string;
  if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else if (spec.startsWith('#test/')) base = path.join(ROOT, 'test', spec.slice('#test/'.length));
  else return undefined;
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts'), base];
  return candidates.find((candidate) => files.has(candidate));
}

function resolve(from: string, specifier: ts.Expression | undefined, files: ReadonlyMap<string, string>) {
  return specifier && ts.isStringLiteralLike(specifier) ? resolveImport(from, specifier.text, files) : undefined;
}

/** All names of a module, for a use that may read any of them (`export *`, a namespace passed on). */
const ALL = '*';

/**
 * The names each file imports from each other file: static imports (type-only included),
 * re-exports, `import('…')` types, and dynamic imports read by property or destructuring;
 * a namespace import counts the names read from it, or all of them when it is used whole.
 */
export function importedNames(files: ReadonlyMap<string, string>): Map<string, Map<string, Set<string>>> {
  const result = new Map<string, Map<string, Set<string>>>();
  for (const [file, text] of files) {
    const byTarget = new Map<string, Set<string>>();
    const add = (target: string | undefined, name: string) => {
      if (!target) return;
      const set = byTarget.get(target) ?? new Set<string>();
      set.add(name);
      byTarget.set(target, set);
    };
    const source = parse(file, text);
    const namespaces = new Map<string, string>();
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node)) {
        const target = resolve(file, node.moduleSpecifier, files);
        const clause = node.importClause;
        if (clause?.name) add(target, 'default');
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
          if (target) namespaces.set(bindings.name.text, target);
        } else if (bindings) {
          for (const element of bindings.elements) add(target, (element.propertyName ?? element.name).text);
        }
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
        const target = resolve(file, node.moduleSpecifier, files);
        const clause = node.exportClause;
        if (!clause || ts.isNamespaceExport(clause)) add(target, ALL);
        else for (const element of clause.elements) add(target, (element.propertyName ?? element.name).text);
      } else if (ts.isImportTypeNode(node)) {
        const target = ts.isLiteralTypeNode(node.argument) ? resolve(file, node.argument.literal, files) : undefined;
        const qualifier = node.qualifier;
        if (!qualifier) add(target, ALL);
        else add(target, ts.isIdentifier(qualifier) ? qualifier.text : leftmost(qualifier));
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const target = resolve(file, node.arguments[0], files);
        for (const name of dynamicUse(node)) add(target, name);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (namespaces.size > 0) {
      const read = (node: ts.Node) => {
        if (ts.isIdentifier(node) && namespaces.has(node.text) && !ts.isNamespaceImport(node.parent)) {
          const target = namespaces.get(node.text);
          const parent = node.parent;
          if (ts.isPropertyAccessExpression(parent) && parent.expression === node) add(target, parent.name.text);
          else if (ts.isQualifiedName(parent) && parent.left === node) add(target, parent.right.text);
          else add(target, ALL);
        }
        ts.forEachChild(node, read);
      };
      read(source);
    }
    result.set(file, byTarget);
  }
  return result;
}

function leftmost(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmost(name.left);
}

/** The names read from `import('…')`: `(await import(x)).a`, `const { a, b } = await import(x)`. */
function dynamicUse(call: ts.CallExpression): string[] {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return [parent.name.text];
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    const names: string[] = [];
    for (const element of parent.name.elements) {
      if (element.dotDotDotToken) return [ALL];
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key)) return [ALL];
      names.push(key.text);
    }
    return names;
  }
  return [ALL];
}

/** The module folder of a file under src/modules (`src/modules/<name>/`), else undefined. */
function moduleFolder(file: string): string | undefined {
  const match = /^src\/modules\/([^/]+)\//.exec(path.relative(ROOT, file).split(path.sep).join('/'));
  return match ? path.join(SRC, 'modules', match[1]!) : undefined;
}

/**
 * Names a module's index.ts exports that no file outside the module's folder imports, as
 * "src/modules/<name>/index.ts: name". `files` holds every file that may import (src, test,
 * bench, tests included); a module's own files, its __tests__ too, are inside.
 */
export function unusedFaceNames(files: ReadonlyMap<string, string>): string[] {
  const imports = importedNames(files);
  const out: string[] = [];
  const faces = [...files.keys()].filter((file) => /^src\/modules\/[^/]+\/index\.ts$/.test(path.relative(ROOT, file)));
  for (const face of faces.sort()) {
    const folder = moduleFolder(face)!;
    const used = new Set<string>();
    for (const [file, byTarget] of imports) {
      if (file.startsWith(folder + path.sep)) continue;
      for (const name of byTarget.get(face) ?? []) used.add(name);
    }
    if (used.has(ALL)) continue;
    for (const name of [...exportedNames(face, files)].sort()) {
      if (!used.has(name)) out.push(`${path.relative(ROOT, face)}: ${name}`);
    }
  }
  return out;
}

const read = (list: readonly string[]) => new Map(list.map((file) => [file, readFileSync(file, 'utf8')]));

/** The source files the size rules apply to: src, tests and migrations aside. */
const sources = read(tsFiles(SRC, new Set(['__tests__', 'migrations'])).filter((file) => !isTest(file)));
/** Every file that may import a module's face. */
const importers = read(
  ['src', 'test', 'bench'].flatMap((dir) => tsFiles(path.join(ROOT, dir), new Set(['node_modules']))),
);

describe('shape', () => {
  it(`has no source file over ${MAX_FILE_LINES} lines (seed data aside)`, () => {
    expect(longFiles(sources)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(longFunctions(sources)).toEqual([]);
  });

  it('exports from a module index.ts only what something outside the module imports', () => {
    expect(unusedFaceNames(importers)).toEqual([]);
  });

  it('finds a file over the line limit, except seed data', () => {
    const long = 'const a = 1;\n'.repeat(MAX_FILE_LINES + 1);
    const exact = 'const a = 1;\n'.repeat(MAX_FILE_LINES);
    const files = new Map([
      [path.join(SRC, 'http/long.ts'), long],
      [path.join(SRC, 'http/exact.ts'), exact],
      [path.join(SRC, 'modules/a/a.seed-data.ts'), long],
    ]);
    expect(longFiles(files)).toEqual([`src/http/long.ts: ${MAX_FILE_LINES + 1} lines`]);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\nb\n')).toBe(2);
  });

  it('finds a long function, method, arrow function or closure, with its line and length', () => {
    const body = (n: number) => '  x++;\n'.repeat(n);
    const text = [
      '// header',
      `export function short() {\n${body(MAX_FUNCTION_LINES - 2)}}`,
      `export function outer() {\n  const inner = () => {\n${body(MAX_FUNCTION_LINES)}  };\n  return inner;\n}`,
      `class A {\n  method() {\n${body(MAX_FUNCTION_LINES - 1)}  }\n}`,
      'declare function signature(): void;',
      '',
    ].join('\n');
    const file = path.join(SRC, 'graphql/x.ts');
    expect(longFunctions(new Map([[file, text]]))).toEqual([
      `src/graphql/x.ts:${2 + MAX_FUNCTION_LINES} outer: ${MAX_FUNCTION_LINES + 5} lines`,
      `src/graphql/x.ts:${2 + MAX_FUNCTION_LINES + 1} inner: ${MAX_FUNCTION_LINES + 2} lines`,
      `src/graphql/x.ts:${2 + MAX_FUNCTION_LINES + 5 + MAX_FUNCTION_LINES + 1} method: ${MAX_FUNCTION_LINES + 1} lines`,
    ]);
  });

  it('finds a name a module index.ts exports that nothing outside the module imports', () => {
    const at = (rel: string) => path.join(ROOT, rel);
    const files = new Map([
      [
        at('src/modules/a/index.ts'),
        [
          "export { used, type UsedType, onlyInside } from './a.service.js';",
          "export * from './a.more.js';",
          'export const viaNamespace = 1;',
          'export const viaDynamic = 2;',
          'export interface Unused {}',
          'export const aModule = 3;',
        ].join('\n'),
      ],
      [at('src/modules/a/a.service.ts'), 'export const used = 1, onlyInside = 2;\nexport type UsedType = 1;'],
      [at('src/modules/a/a.more.ts'), 'export const fromStar = 1;\nexport function starUnused() {}'],
      [at('src/modules/a/__tests__/a.test.ts'), "import { onlyInside, starUnused } from '../index.js';"],
      [at('src/modules/index.ts'), "import { aModule } from './a/index.js';\nexport const MODULES = [aModule];"],
      [at('src/modules/b/b.service.ts'), "import { used, type UsedType } from '../a/index.js';"],
      [at('test/ns.ts'), "import * as a from '../src/modules/a/index.js';\nexport const x = a.viaNamespace;"],
      [at('test/helpers.ts'), "export { fromStar } from '../src/modules/a/index.js';"],
      [at('test/t.test.ts'), "import { fromStar } from '#test/helpers.js';"],
      [at('bench/run.ts'), "const n = (await import('../src/modules/a/index.js')).viaDynamic;"],
    ]);
    expect(resolveImport(at('test/t.test.ts'), '#test/helpers.js', files)).toBe(at('test/helpers.ts'));
    expect(resolveImport(at('src/modules/b/b.service.ts'), '../a/index.js', files)).toBe(at('src/modules/a/index.ts'));
    expect(unusedFaceNames(files)).toEqual([
      'src/modules/a/index.ts: Unused',
      'src/modules/a/index.ts: onlyInside',
      'src/modules/a/index.ts: starUnused',
    ]);
  });
});
