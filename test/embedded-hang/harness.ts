import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/platform/db/client.js';

/**
 * Runs walks.ts (or another script printing a line per round) in child processes, one
 * after another, each with a watchdog: a child that prints nothing for STALL seconds is
 * hung and is killed. Prints each run, then hangs / runs and the rounds completed. The
 * children share one migrated data directory, made once here. STAYLANE_WALKS_SETUP (see
 * walks.ts) passes on to them.
 *
 *   tsx test/embedded-hang/harness.ts RUNS ROUNDS [STALL_SECONDS] [SCRIPT]
 */
const runs = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 50);
const stallSeconds = Number(process.argv[4] ?? 30);
const script = process.argv[5] ?? fileURLToPath(new URL('./walks.ts', import.meta.url));

const dir = await mkdtemp(path.join(tmpdir(), 'pglite-hang-'));
const dump = path.join(dir, 'migrated.tar');
const template = await openDatabase({ kind: 'pglite' });
await template.migrate();
await writeFile(dump, Buffer.from(await (await template.dump()).arrayBuffer()));
await template.close();

let hangs = 0;
let totalRounds = 0;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const outcome = await new Promise<{ hung: boolean; rounds: number; code: number | null; err: string; last: string }>(
    (resolve) => {
      // Node itself with tsx's loader (not the tsx wrapper), so the kill reaches the spinning process.
      const child = spawn(process.execPath, ['--import', 'tsx', script, String(rounds), dump], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let done = 0;
      let err = '';
      let hung = false;
      // Starting (tsx, the modules, the data directory) may take longer than a round on a busy machine.
      let timer = setTimeout(stalled, Math.max(stallSeconds, 60) * 1000);
      function stalled() {
        hung = true;
        child.kill('SIGKILL');
      }
      let last = '';
      child.stdout.on('data', (chunk: Buffer) => {
        done += (chunk.toString().match(/^round /gm) ?? []).length;
        last = chunk.toString().trim().split('\n').at(-1) ?? last;
        clearTimeout(timer);
        timer = setTimeout(stalled, stallSeconds * 1000);
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()).slice(-2000));
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ hung, rounds: done, code, err: err.slice(-600), last });
      });
    },
  );
  totalRounds += outcome.rounds;
  if (outcome.hung) hangs++;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `run ${run}: ${outcome.hung ? `HUNG at "${outcome.last}"` : `exit ${outcome.code}`} after ${outcome.rounds} rounds, ${seconds} s` +
      (outcome.code && !outcome.hung ? `\n${outcome.err}` : ''),
  );
}
console.log(`hangs ${hangs} / runs ${runs}; rounds completed ${totalRounds}`);
await rm(dir, { recursive: true, force: true });
