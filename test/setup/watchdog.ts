import { Worker } from 'node:worker_threads';
import { beforeEach, expect } from 'vitest';

/**
 * A blocked event loop is the one hang vitest's own timeouts cannot end: its timers run on
 * that loop. The embedded database (PGlite) runs in WebAssembly on the test's thread and
 * has, rarely, spun forever inside a query. This watchdog runs on a second thread, sees the
 * test thread's heartbeat stop, names the file and test on stderr, appends the file to
 * `STAYLANE_HUNG_LOG` when set, and kills the test process, so the run fails (or .ci/run
 * reruns that file) instead of waiting forever.
 */
const BLOCKED_LIMIT_SECONDS = Number(process.env.STAYLANE_WATCHDOG_SECONDS ?? 120);

const state = globalThis as { __staylaneWatchdog?: { heartbeat: Int32Array; name: Uint8Array } };
if (!state.__staylaneWatchdog && BLOCKED_LIMIT_SECONDS > 0) {
  const heartbeat = new Int32Array(new SharedArrayBuffer(8));
  const name = new Uint8Array(new SharedArrayBuffer(1024));
  state.__staylaneWatchdog = { heartbeat, name };
  const beat = () => Atomics.store(heartbeat, 0, Math.floor(Date.now() / 1000));
  beat();
  setInterval(beat, 1000).unref();
  const worker = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    const { appendFileSync, writeSync } = require('node:fs');
    const { heartbeat, name, limit, log, pid } = workerData;
    setInterval(() => {
      const blocked = Math.floor(Date.now() / 1000) - Atomics.load(heartbeat, 0);
      if (blocked < limit) return;
      const end = name.indexOf(0);
      const current = new TextDecoder().decode(name.slice(0, end < 0 ? name.length : end));
      const file = current.split(' > ')[0];
      writeSync(2, '\\n[watchdog] event loop blocked for ' + blocked + ' s in ' + current + '; killing test process ' + pid + '\\n');
      if (log) appendFileSync(log, file + '\\n');
      process.kill(pid, 'SIGKILL');
    }, 2000);
    `,
    {
      eval: true,
      workerData: {
        heartbeat,
        name,
        limit: BLOCKED_LIMIT_SECONDS,
        log: process.env.STAYLANE_HUNG_LOG ?? '',
        pid: process.pid,
      },
    },
  );
  worker.unref();
}

/** Records what is running, for the watchdog's message: the file, then each test in turn. */
function running(what: string) {
  const watchdog = state.__staylaneWatchdog;
  if (!watchdog) return;
  const bytes = new TextEncoder().encode(what).subarray(0, watchdog.name.length - 1);
  watchdog.name.fill(0);
  watchdog.name.set(bytes);
}

running(`${expect.getState().testPath ?? 'unknown file'} > (set-up)`);
beforeEach((ctx) => running(`${ctx.task.file.filepath} > ${ctx.task.name}`));
