import cluster, { type Worker } from 'node:cluster';

/**
 * `staylane serve --workers N`: this process forks N API processes that share its port
 * (node:cluster hands each connection to one of them) and watches them. One that dies is
 * replaced a second later. SIGTERM or SIGINT goes to every API process, each of which
 * drains and stops on its own (see `stopOnSignals`); this process exits once they all
 * have: 0 when every one stopped cleanly, else 1.
 */
export function runCluster(count: number, log: (line: string) => void): void {
  let stopping = false;
  let failed = false;
  const live = new Set<Worker>();
  const fork = () => {
    if (!stopping) live.add(cluster.fork());
  };

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      if (live.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    log(`API process ${worker.process.pid} ended (${signal ?? `code ${code}`}); starting another`);
    setTimeout(fork, 1_000).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${live.size} API processes`);
    if (live.size === 0) process.exit(0);
    for (const worker of live) worker.process.kill('SIGTERM');
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
}

/** In an API process forked by `runCluster`. */
export const isClusterWorker = () => cluster.isWorker;
