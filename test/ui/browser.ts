import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser as Chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import type { SandboxOptions } from '../../src/sandbox.js';

/** Debian's Chromium, never a downloaded browser build; .ci/run installs it. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots of every browser test land here (gitignored) for a person to look at after a run. */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
/** Launching a browser and loading the page takes seconds, not the 20 s budget of an HTTP test. */
export const BROWSER_TIMEOUT = 60_000;

/** The window a test gets unless it asks for another. */
const VIEWPORT = { width: 1440, height: 900 };
const ZONE = 'UTC';

/** How a window looks at the page: its size and the time zone the browser believes it is in. */
export interface WindowOptions {
  viewport?: { width: number; height: number };
  timezoneId?: string;
}

export interface Browser {
  /** A new window; close it before its sandbox, whose close waits for connections still in use. */
  newPage(options?: WindowOptions): Promise<Page>;
  /** Close every page opened so far and forget their cookies and permissions. */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with `extraArgs` after ours; fails (never skips) when it is missing. */
export async function launchChromium(who: string, extraArgs: string[] = []): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${who} drive Debian's Chromium at ${CHROMIUM}, which is not installed. Install it with: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
}

/**
 * Headless Chromium; fails (never skips) when the browser is missing. Playwright starts it with a
 * fresh temporary profile (user-data dir) of its own, removed when the browser closes.
 *
 * The pages of one time zone share a context for the whole file: a new context and the renderer its
 * first page starts cost about as much as loading the dashboard. In the default zone, which nearly
 * every test uses, an idle blank page holds the context's renderers warm while the tests' pages come
 * and go. Each test's sandbox has a port of its own, so no page reaches another test's world; cookies
 * and permissions, which ports do not keep apart, are cleared with the pages.
 */
export async function openBrowser(): Promise<Browser> {
  const browser = await launchChromium("The dashboard's browser tests");
  const contexts = new Map<string, Promise<BrowserContext>>();
  const pages = new Set<Page>();
  const contextFor = (timezoneId: string) => {
    let context = contexts.get(timezoneId);
    if (!context) {
      context = (async () => {
        const c = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, timezoneId });
        c.setDefaultTimeout(10_000);
        if (timezoneId === ZONE) await c.newPage();
        return c;
      })();
      contexts.set(timezoneId, context);
    }
    return context;
  };
  return {
    async newPage({ viewport = VIEWPORT, timezoneId = ZONE }: WindowOptions = {}) {
      const page = await (await contextFor(timezoneId)).newPage();
      pages.add(page);
      if (viewport.width !== VIEWPORT.width || viewport.height !== VIEWPORT.height) await page.setViewportSize(viewport);
      return page;
    },
    async closePages() {
      await Promise.all([...pages].map((p) => p.close()));
      pages.clear();
      for (const context of await Promise.all(contexts.values())) await Promise.all([context.clearCookies(), context.clearPermissions()]);
    },
    async close() {
      await browser.close();
    },
  };
}

export interface Dashboard {
  page: Page;
  /** Uncaught errors and console errors (a CSP violation shows up here): every test expects none. */
  errors: string[];
}

/** Open the dashboard at `url` and wait until it has loaded its data and its event stream is live. */
export async function openDashboard(browser: Browser, url: string, options?: WindowOptions): Promise<Dashboard> {
  const page = await browser.newPage(options);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.locator('#live', { hasText: /^live$/ }).waitFor();
  return { page, errors };
}

/** The text of every cell of a table's body, row by row, as a person sees it. */
export function rows(page: Page, table: string): Promise<string[][]> {
  return page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => (td.textContent ?? '').trim())));
}

/** Wait until a table's rows, as text, satisfy `ok` (the page updates from the event stream, not at once). */
export async function waitForRows(page: Page, table: string, ok: (rows: string[][]) => boolean, what: string): Promise<string[][]> {
  const deadline = Date.now() + 8000;
  let last: string[][] = [];
  while (Date.now() < deadline) {
    last = await rows(page, table);
    if (ok(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`${table}: ${what} did not happen; rows were ${JSON.stringify(last)}`);
}

/**
 * A PNG of the window (or of the whole page) for a person to look at after the run. Taken through the
 * DevTools protocol with Chromium's faster PNG encoding: the same pixels in about half the time of
 * Playwright's screenshot, which also restyles the page to hide the caret first.
 */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  const cdp = await page.context().newCDPSession(page);
  try {
    let whole = {};
    if (fullPage) {
      const { cssContentSize: size } = await cdp.send('Page.getLayoutMetrics');
      whole = { clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 }, captureBeyondViewport: true };
    }
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', optimizeForSpeed: true, ...whole });
    await writeFile(path, Buffer.from(data, 'base64'));
  } finally {
    await cdp.detach();
  }
  return path;
}

/**
 * The lifecycle every dashboard test file shares: one browser per file, a fresh sandbox per test,
 * pages closed before the sandbox. `bind` hands the current pair to the file's own variables.
 */
export function useDashboardSuite(bind: (t: TestSandbox, browser: Browser) => void, options: SandboxOptions = {}): void {
  let browser: Browser;
  let t: TestSandbox;
  beforeAll(async () => {
    browser = await openBrowser();
  }, BROWSER_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await startTestSandbox(options);
    bind(t, browser);
  });
  afterEach(async () => {
    await browser?.closePages();
    await t.close();
  });
}
