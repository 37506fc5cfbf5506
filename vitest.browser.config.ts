import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:browser`: the tests under test/browser/, which drive headless Chromium
 * (test/kit/browser.ts), with the main config's set-up. One file at a time: the browser
 * and the app already share the machine.
 */
// The main config's projects (main, e2e) would replace this run's own file list.
const { projects: _projects, ...shared } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...shared,
    include: ['test/browser/**/*.test.ts'],
    exclude: configDefaults.exclude,
    maxWorkers: 1,
  },
});
