import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';

/**
 * Headless Chromium for the browser tests (test/browser/), driven by playwright-core: the
 * Debian package's binary, never a browser Playwright downloads. Without it the tests are
 * skipped, saying why, unless STAYLANE_BROWSER_TESTS=1 (set by .ci/run, which installs the
 * package), where a missing browser fails them.
 */
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const browserMissing: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} not found (Debian: apt-get install chromium)`;

/** Whether a missing browser is a failure rather than a reason to skip. */
export const browserRequired = process.env.STAYLANE_BROWSER_TESTS === '1';

export function launchChromium(): Promise<Browser> {
  if (browserMissing) throw new Error(`the browser tests need Chromium: ${browserMissing}`);
  // Playwright passes --no-sandbox (chromiumSandbox is off by default): CI runs as root.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30_000 });
}

export interface TestPage {
  page: Page;
  /** Uncaught exceptions in the page's scripts, in order. */
  errors: string[];
  /** Every request the page made, as `METHOD url`, in order. */
  requests: string[];
}

/**
 * A page in a fresh context (no storage shared between tests) that fails fast (10 s per
 * action) and records its errors and requests. When the test fails, a screenshot of the page
 * is saved under the temporary directory and its path printed; the context closes after it.
 */
export async function openPage(browser: Browser, name: string): Promise<TestPage> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const file = path.join(tmpdir(), `staylane-browser-${name}-${Date.now()}.png`);
      const saved = await page.screenshot({ path: file, fullPage: true }).then(
        () => `screenshot: ${file}`,
        (e: unknown) => `no screenshot: ${(e as Error).message}`,
      );
      console.error(`browser test "${name}" failed at ${page.url()}; ${saved}`);
    }
    await context.close();
  });
  return { page, errors, requests };
}
