/**
 * What the browser suites share: the local runtime started as `npm start` starts it on a free
 * port, Chromium, signing in through the console's OpenID Connect flow as a person of the staff
 * directory, waiting for text, axe-core with a screenshot per page, and the API for arranging.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { localSecrets, signStaffToken } from '../../infra/local/keys';
import { startLikeNpmStart, type Started } from '../support/process';
import { buildPages, launchChromium, screenshot, seriousViolations, type Chromium } from './browser';

export type ContextOptions = Parameters<Chromium['context']>[0] & { deviceScaleFactor?: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });
}

export interface BrowserSession {
  url(): string;
  context(options?: ContextOptions): Promise<BrowserContext>;
  /** A page signed in as the directory's choice ("env-a1|window"), on `path` once signed in. */
  signedIn(choice: string, path?: string, options?: ContextOptions): Promise<Page>;
  /** No serious or critical axe-core violation on the page as it is now; a screenshot of it. */
  check(page: Page, name: string): Promise<void>;
  /** A staff token signed with the runtime's local key, for arranging over the API. */
  token(sub: string, role: string, dept: string): Promise<string>;
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<any>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Closes the contexts opened since the last call. */
  closeContexts(): Promise<void>;
}

/** Waits until the locator shows the text (pages load and refresh asynchronously), then returns what it shows. */
export async function shown(locator: Locator, text: string | RegExp, timeout = 15_000): Promise<string> {
  const match = locator.filter({ hasText: text }).first();
  await match.waitFor({ timeout });
  return ((await match.textContent()) ?? '').trim();
}

export function browserSession(clock: string): BrowserSession {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-browser-'));
  let runtime: Started | undefined;
  let chromium: Chromium | undefined;
  const opened: BrowserContext[] = [];

  const self: BrowserSession = {
    url: () => runtime!.url,
    async context(options) {
      const c = await chromium!.context(options);
      opened.push(c);
      return c;
    },
    async signedIn(choice, path = '/console/', options) {
      const page = await (await self.context(options)).newPage();
      await page.goto(`${runtime!.url}${path}`);
      await page.getByRole('button', { name: '统一身份认证登录' }).click();
      await page.waitForURL(/\/oidc\/interaction\//);
      await page.locator(`[data-choice="${choice}"]`).click();
      await page.waitForURL(new RegExp(`${path.replace(/\//g, '\\/')}$`));
      return page;
    },
    async check(page, name) {
      await screenshot(page, name);
      expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
    },
    async token(sub, role, dept) {
      return signStaffToken(await localSecrets(dataDir), { sub, role, dept });
    },
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      const response = await fetch(`${runtime!.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return response.json();
    },
    async start() {
      buildPages();
      const port = await freePort();
      runtime = await startLikeNpmStart({ ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_CLOCK: clock, PORT: String(port) });
      chromium = await launchChromium();
    },
    async closeContexts() {
      await Promise.all(opened.splice(0).map((c) => c.close()));
    },
    async stop() {
      // Either may be missing when start failed half-way.
      await chromium?.close();
      await runtime?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
