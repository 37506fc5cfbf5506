import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, type ChildServer } from './child-servers.js';

/**
 * The peers of section (a): other stacks answering GET /v1/properties/{id} over the same rows.
 * Today one, bench/peers/nestjs: NestJS on its default platform (Express) with TypeORM, a
 * package of its own (its own package.json, lock file and tsc build), so the project's
 * install, type check and lint never need its dependencies. The bench installs it on demand
 * (`npm ci --prefix bench/peers/nestjs` when its node_modules is missing), compiles it with
 * its own tsc (Nest's injection needs the decorator metadata that tsx and esbuild do not
 * emit) and starts `node dist/main.js` with NODE_ENV=production. When the install or the
 * build fails (no registry, say), `startNestPeer` returns the reason instead of a server
 * and the section reports the peer as skipped.
 */

const NEST_DIR = path.resolve(import.meta.dirname, 'peers', 'nestjs');
const TEN_MINUTES = 10 * 60_000;

/** Runs a command with its output on stderr (stdout is the report); the reason on failure. */
function run(command: string, args: string[], cwd: string): string | undefined {
  const done = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2], timeout: TEN_MINUTES });
  if (done.error) return done.error.message;
  return done.status === 0 ? undefined : `${path.basename(command)} ${args[0] ?? ''} exited with ${done.status}`;
}

/** Installs (when needed) and compiles the NestJS peer; the reason it cannot run, if any. */
function prepareNestPeer(log: (line: string) => void): string | undefined {
  // npm writes node_modules/.package-lock.json last: without it an install is missing or was cut short.
  if (!existsSync(path.join(NEST_DIR, 'node_modules', '.package-lock.json'))) {
    log(`installing the NestJS peer's dependencies (npm ci --prefix ${path.relative(process.cwd(), NEST_DIR)})`);
    const failed = run('npm', ['ci', '--prefix', NEST_DIR, '--no-audit', '--no-fund'], NEST_DIR);
    if (failed) return `npm ci failed: ${failed}`;
  }
  log('building the NestJS peer (its own tsc, to bench/peers/nestjs/dist)');
  const failed = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], NEST_DIR);
  return failed ? `build failed: ${failed}` : undefined;
}

/** The NestJS peer, started and answering `readyPath`, or why it was skipped. */
export async function startNestPeer(options: {
  databaseUrl: string;
  port: number;
  readyPath: string;
  log: (line: string) => void;
}): Promise<ChildServer | string> {
  const unprepared = prepareNestPeer(options.log);
  if (unprepared) {
    options.log(`NestJS peer skipped: ${unprepared}`);
    return unprepared;
  }
  try {
    return await startServer({
      name: 'NestJS',
      cwd: NEST_DIR,
      script: 'dist/main.js',
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: options.databaseUrl,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        POOL_MAX: '10',
      },
      port: options.port,
      readyPath: options.readyPath,
    });
  } catch (error) {
    const reason = `did not start: ${(error as Error).message}`;
    options.log(`NestJS peer skipped: ${reason}`);
    return reason;
  }
}
