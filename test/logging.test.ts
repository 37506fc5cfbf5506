import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logDestination, resolveLogFormat } from '../src/platform/logging.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'staylane.js');

/** `staylane serve`'s stdout up to its "listening" line, then SIGTERM. */
async function startupLines(env: Record<string, string>): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-log-'));
  const server = spawn(process.execPath, [cli, 'serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', ...env },
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 45_000);
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Staylane listening on')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('log format', () => {
  it('is pretty on a terminal outside production, JSON in production and when piped, LOG_FORMAT first', () => {
    expect(resolveLogFormat(undefined, false, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false, false)).toBe('json');
    expect(resolveLogFormat(undefined, true, true)).toBe('json');
    expect(resolveLogFormat(undefined, true, false)).toBe('json');
    expect(resolveLogFormat('json', false, true)).toBe('json');
    expect(resolveLogFormat('pretty', true, false)).toBe('pretty');
    // One stream of each format per process, shared by every logger.
    expect(logDestination('json')).toBe(logDestination('json'));
    expect(logDestination('pretty')).toBe(logDestination('pretty'));
    expect(logDestination('json')).not.toBe(logDestination('pretty'));
  });

  it('writes JSON lines when stdout is a pipe, and readable lines with LOG_FORMAT=pretty', async () => {
    const [json, pretty] = await Promise.all([startupLines({}), startupLines({ LOG_FORMAT: 'pretty' })]);
    const line = json.split('\n').find((l) => l.includes('Staylane listening on'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, msg: expect.stringMatching(/^Staylane listening on /) });

    const readable = pretty.split('\n').find((l) => l.includes('Staylane listening on'))!;
    expect(readable).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: Staylane listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(pretty).not.toMatch(/^\{"level"/m);
    // Piped, so no colour codes.
    expect(pretty).not.toContain('\u001b[');
  }, 120_000);

  it('refuses a LOG_FORMAT it does not know, naming the variable', async () => {
    const { loadConfig } = await import('../src/composition/config.js');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(loadConfig({ LOG_FORMAT: '' }).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });
});
