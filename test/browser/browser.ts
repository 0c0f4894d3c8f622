/**
 * Browser tests' support: builds the pages (web/build.ts, a no-op when they are up to date),
 * starts Debian's headless Chromium through playwright-core with a fresh profile, runs axe-core
 * in a page, and writes screenshots to test/browser/screenshots/ (the README shows them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(__dirname, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function buildPages(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'web', 'build.ts')],
    {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: 300_000,
    },
  );
}

export interface Chromium {
  browser: Browser;
  context(options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Chromium as this machine's CI runs it: no sandbox (root), no GPU, no background networking. */
export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'onewindow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The pages drop their transitions for it (theme.css), so axe never measures a colour mid-fade.
    reducedMotion: 'reduce',
    // axe-core is injected as an inline script, which the pages' CSP rightly refuses.
    bypassCSP: true,
  });
  const browser = context.browser();
  return {
    browser: browser!,
    // A persistent context is one profile; pages that must not share sign-in use fresh contexts of the same browser.
    context: async (options) =>
      browser
        ? browser.newContext({
            locale: 'zh-CN',
            timezoneId: 'Asia/Shanghai',
            bypassCSP: true,
            reducedMotion: 'reduce',
            ...options,
          })
        : context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core on the page as it is now: the serious and critical violations (none is the aim). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  // Runs in the page (a string, so the test's Node typings need no DOM).
  const violations: AxeViolation[] = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' + n.html.slice(0, 160) + ' ' + (n.failureSummary || '').slice(0, 200)),
    }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
