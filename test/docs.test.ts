import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../src/modules/index.js';

/**
 * The front door stays short and true: the README fits on a few screens, the architecture
 * page's module table is the list the code runs, no file cites numbered sections of an
 * outside document, and every relative link in the docs leads somewhere.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Tracked files under the given paths (as git lists them, relative to the root). */
const tracked = (...paths: string[]) =>
  execFileSync('git', ['ls-files', '-z', '--', ...paths], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(ROOT, file)));

const markdownFiles = () => tracked('README.md', 'docs').filter((file) => file.endsWith('.md'));

/** Cells of the Markdown table rows that follow `heading`, header and separator rows left out. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return [];
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (line.startsWith('|')) {
      inTable = true;
      rows.push(
        line
          .slice(1, line.lastIndexOf('|'))
          .split('|')
          .map((cell) => cell.trim()),
      );
    } else if (inTable) break;
  }
  return rows.slice(2);
}

const names = (cell: string) =>
  cell === '—' || cell === ''
    ? []
    : cell
        .split(',')
        .map((name) => name.trim())
        .sort();

describe('docs', () => {
  it('keeps README.md within 200 lines', () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  it("lists every module of MODULES in docs/architecture.md's table, in order, with its dependencies", () => {
    const rows = tableAfter(read('docs/architecture.md'), '## The modules');
    const documented = rows.map(([module = '', dependsOn = '']) => ({ module, dependsOn: names(dependsOn) }));
    const actual = MODULES.map((m) => ({ module: m.name, dependsOn: m.dependsOn.map((d) => d.name).sort() }));
    expect(documented).toEqual(actual);
  });

  it('cites no numbered section of an outside document', () => {
    const citation = new RegExp('SPEC(\\.md)?\\s*\\u00a7|\\u00a7\\s*\\d');
    const text = /\.(md|ts|tsx|js|mjs|cjs|json|sql|graphql|yml|yaml)$/;
    const offenders = tracked('README.md', 'docs', 'src', 'test', 'bench')
      .filter((file) => text.test(file))
      .flatMap((file) =>
        read(file)
          .split('\n')
          .flatMap((line, i) => (citation.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('has every relative link in README.md and docs/ point at an existing file', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const prose = read(file)
        .replace(/^```[\s\S]*?^```/gm, '')
        .replace(/`[^`\n]*`/g, '');
      for (const [, target = ''] of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const filePart = decodeURIComponent(target.split('#')[0] ?? '');
        if (!existsSync(path.resolve(ROOT, path.dirname(file), filePart))) broken.push(`${file} → ${target}`);
      }
    }
    expect(markdownFiles()).toContain('docs/architecture.md');
    expect(broken).toEqual([]);
  });
});
