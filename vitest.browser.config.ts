import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:browser`: the tests under test/browser/, which drive headless Chromium
 * (test/kit/browser.ts), with the main config's set-up. One file at a time: the browser
 * and the app already share the machine.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: configDefaults.exclude,
    maxWorkers: 1,
  },
});
