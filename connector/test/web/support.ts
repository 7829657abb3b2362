/**
 * The admin page's browser tests: a real connector (startConnector: port 0 on 127.0.0.1, fresh
 * database) serving the built page, driven by Debian's headless Chromium through playwright-core.
 * Nothing is downloaded: the browser is /usr/bin/chromium (CHROMIUM_PATH overrides it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startConnector, TEST_ADMIN_TOKEN, type TestConnector } from '../support/connector.js';
import { closeAll, startAll } from '../support/teardown.js';

export { TEST_ADMIN_TOKEN };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const webDir = join(root, 'connector/web');
const distIndex = join(webDir, 'dist/index.html');
const lockDir = join(webDir, '.build-lock');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this closed network needs: no background calls home (they are refused and slow everything down). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** What the bundle is built from: its sources, its HTML and config, and the contract values it imports. */
const sources = () => [
  join(webDir, 'src'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(root, 'contract/enums.ts'),
  join(root, 'contract/trigger-tables.ts'),
];

const isStale = () => !existsSync(distIndex) || statSync(distIndex).mtimeMs < Math.max(...sources().map(newestChange));

/**
 * Builds the page (npm run build:web) when it is missing or older than its sources. Test files
 * run in parallel workers: a lock directory lets one build while the others wait, then look again.
 */
export async function ensureAdminPageBuilt(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // a stale lock (a killed run) is taken over after a minute
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 60_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('waited two minutes for another test worker to build the admin page');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (isStale()) execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH. Browsers are never downloaded.`);
  }
  // playwright gives every launch a fresh temporary profile (user data dir) and removes it at close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

export interface WebTest {
  connector: TestConnector;
  browser: Browser;
  /** The admin page's address on the test connector. */
  url: string;
  /** A fresh browser context (own sessionStorage, clipboard allowed) and page at this size. */
  newPage(viewport?: { width: number; height: number }, options?: { isMobile?: boolean }): Promise<Page>;
  /** A page already signed in with the admin token, showing the Zapier accounts. */
  signedIn(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** One connector and one browser for a test file; when either fails to start, the other is closed. */
export async function startWebTest(env: Record<string, string> = {}, options: { seed?: boolean } = {}): Promise<WebTest> {
  await ensureAdminPageBuilt();
  const [connector, browser] = await startAll([startConnector(env, options), launchChromium()]);
  const url = `${connector.baseUrl}/admin/`;
  const contexts: BrowserContext[] = [];
  const test: WebTest = {
    connector,
    browser,
    url,
    async newPage(viewport = DESKTOP, { isMobile = false } = {}) {
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: 1,
        isMobile,
        hasTouch: isMobile,
        locale: 'en-GB',
        timezoneId: 'Asia/Hong_Kong',
        reducedMotion: 'reduce',
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: connector.baseUrl });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async signedIn(viewport = DESKTOP) {
      const page = await test.newPage(viewport, { isMobile: viewport.width < 500 });
      await page.goto(url);
      await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
      return page;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await closeAll(() => browser.close().catch(() => undefined), connector);
    },
  };
  return test;
}

/** The toast with this text (in the page's live region, or an open dialog's). */
export const toast = (page: Page, text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text });

/** Horizontal overflow of the whole page: 0 when nothing sticks out sideways. */
export const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
