import { spawn } from 'node:child_process';
import { appendFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject as provided, it } from 'vitest';
import { usingPostgres } from '#test/helpers.js';

/**
 * The embedded database (PGlite) has, now and then, spun forever inside its WebAssembly
 * while the search pagination tests ran; a spinning query blocks the event loop of its
 * process, so no timer there can end it. This runs the pagination tests' database work
 * (embedded-hang/walks.ts: random places in a new city, the city's name resolved, its pages
 * walked under every sort) in a child process for a few seconds, and fails if the child
 * stops reporting rounds: a hang becomes a failure in bounded time, not a stuck run.
 * `tsx test/embedded-hang/harness.ts RUNS ROUNDS` runs the same work many times.
 */
const WALKS = fileURLToPath(new URL('./embedded-hang/walks.ts', import.meta.url));
const ROUND_SECONDS = 6;
/** Loading tsx, the modules and the data directory: seconds on a busy machine. */
const START_MS = 45_000;
/** Rounds take milliseconds; one that takes this long is stuck. */
const STALL_MS = 15_000;

function runWalks(): Promise<{ hung: boolean; started: boolean; rounds: number; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WALKS, '1000', provided('pgliteDump'), String(ROUND_SECONDS)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let rounds = 0;
    let started = false;
    let hung = false;
    let stderr = '';
    const stalled = () => {
      hung = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(stalled, START_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      started ||= /^ready$/m.test(text);
      rounds += (text.match(/^round /gm) ?? []).length;
      clearTimeout(timer);
      timer = setTimeout(stalled, STALL_MS);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ hung, started, rounds, code, stderr });
    });
  });
}

describe.skipIf(usingPostgres)('embedded database under the pagination workload', () => {
  it('keeps answering: inserts, city look-ups and keyset walks, rounds after rounds', async () => {
    const outcome = await runWalks();
    if (outcome.hung && outcome.started && process.env.STAYLANE_HUNG_LOG) {
      // A hang is what the watchdog ends, and .ci/run reruns such files once (they must pass
      // then): this file is recorded and its process ended the same way.
      writeSync(
        2,
        `\n[embedded-hang] PGlite stopped answering after ${outcome.rounds} rounds; ending ${process.pid}\n`,
      );
      appendFileSync(process.env.STAYLANE_HUNG_LOG, `${fileURLToPath(import.meta.url)}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    expect(outcome.started, `the walks did not start: ${outcome.stderr}`).toBe(true);
    expect(outcome.hung, `PGlite stopped answering after ${outcome.rounds} rounds`).toBe(false);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.rounds).toBeGreaterThan(0);
  }, 90_000);
});
