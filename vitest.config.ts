import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (as mercurius does); Vite would pick the
    // ESM build, and two copies of graphql-js refuse each other's types.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['src/**/__tests__/**/*.test.ts', 'test/**/*.test.ts'],
    // Headless Chromium: `npm run test:browser` (vitest.browser.config.ts), a step of .ci/run of its own.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup/watchdog.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
