import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that start `staylane` (or another Node) processes and wait on them: seconds of start-up
 * each, mostly spent waiting rather than computing. They are the `e2e` project, run by
 * `npm run test:e2e` and `npm run test:all` (what .ci/run runs); `npm test` is the `main` project.
 */
const E2E_FILES = [
  'test/cli.test.ts',
  'test/embedded-e2e.test.ts',
  'test/embedded-hang.test.ts',
  'test/logging.test.ts',
  'test/serve-workers.test.ts',
  'test/worker-processes.test.ts',
  'test/live-migration.test.ts',
  'test/faults/**/*.test.ts',
  'src/graphql/__tests__/socket-memory.test.ts',
];

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (as mercurius does); Vite would pick the
    // ESM build, and two copies of graphql-js refuse each other's types.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup/watchdog.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One migrated template serves every project (test/global-setup.ts). Options set here are
    // each project's; arrays (include, exclude) would add up, so only the projects set them.
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['src/**/__tests__/**/*.test.ts', 'test/**/*.test.ts'],
          // Headless Chromium: `npm run test:browser` (vitest.browser.config.ts), a step of .ci/run of its own.
          exclude: [...configDefaults.exclude, 'test/browser/**', ...E2E_FILES],
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E_FILES } },
    ],
  },
});
