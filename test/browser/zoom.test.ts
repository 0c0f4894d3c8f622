/**
 * Text zoomed to 200% without loss (WCAG 1.4.4 and 1.4.10): every page in a window of 1280 × 960
 * at 200% zoom, which is what Chromium lays out as a 640 × 480 CSS-pixel viewport at a device
 * scale factor of 2. No page may scroll sideways, and every heading and control of the page's
 * main part must lie within the window's width; axe-core runs on each page as zoomed too.
 */
import type { Page } from 'playwright-core';
import { fullSubmission } from '../support/fixtures';
import { browserSession, type ContextOptions } from './session';

const ZOOM_200: ContextOptions = { viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 };
const MATERIALS = [
  'APPLICATION',
  'EIA-REPORT-FORM',
  'EIA-FORM-PUBLIC',
  'PROJECT-APPROVAL',
  'BUSINESS-LICENCE',
  'POWER-OF-ATTORNEY',
];

interface Layout {
  sideways: number;
  cut: string[];
}

/** How far the page scrolls sideways, and which visible headings and controls of main reach past the window. */
async function layout(page: Page): Promise<Layout> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const cut = [];
    for (const el of document.querySelectorAll('main h1, main h2, main button, main input, main select, main textarea, main a, main [role=img]')) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden for screen readers only
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.table-wrap')) { // a wide table scrolls inside its own box
        const box = el.closest('.table-wrap').getBoundingClientRect();
        if (box.right <= width + 1 && box.left >= -1) continue;
      }
      if (r.left < -1 || r.right > width + 1) cut.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 40) + '" ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    return { sideways: document.documentElement.scrollWidth - width, cut };
  })()`);
}

describe('every page at 200% zoom', () => {
  const s = browserSession('2026-09-28T09:00:00+08:00');
  let caseNo: string;

  beforeAll(async () => {
    await s.start();
    // Arrange: an accepted case for the case, receipt and progress pages
    const window = await s.token('env-a1', 'window', 'ENV');
    caseNo = (await s.api('/cases', { method: 'POST', body: fullSubmission('ENV-EIA-FORM', MATERIALS) })).caseNo;
    await s.api(`/cases/${caseNo}/accept`, { method: 'POST', body: {}, token: window });
  }, 300_000);
  afterEach(() => s.closeContexts());
  afterAll(() => s.stop(), 60_000);

  const visit = async (page: Page, path: string, name: string) => {
    await page.goto(`${s.url()}${path}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const found = await layout(page);
    await s.check(page, `zoom-${name}`);
    return { page: name, ...found };
  };
  const fits = (name: string) => ({ page: name, sideways: 0, cut: [] });

  it('keeps the portal within the window at 200% zoom', async () => {
    // Arrange
    const page = await (await s.context(ZOOM_200)).newPage();
    const pages: [string, string][] = [
      ['/portal/', 'guide'],
      ['/portal/items/ENV-EIA-FORM', 'item'],
      ['/portal/apply/ENV-EIA-FORM', 'apply'],
      [`/portal/receipt/${caseNo}`, 'receipt'],
      ['/portal/progress', 'progress'],
      ['/portal/complaint', 'complaint'],
    ];
    for (const [path, name] of pages) {
      // Act
      const found = await visit(page, path, name);
      // Assert
      expect(found).toEqual(fits(name));
    }
  }, 180_000);

  it('keeps the staff console within the window at 200% zoom', async () => {
    // Arrange
    const page = await s.signedIn('env-a1|window', '/console/', ZOOM_200);
    const pages: [string, string][] = [
      ['/console/', 'worklist'],
      [`/console/cases/${caseNo}`, 'case'],
      ['/console/walk-in', 'walk-in'],
      ['/console/posts', 'posts'],
      ['/console/inquiries', 'inquiries'],
      ['/console/feedback', 'feedback'],
    ];
    for (const [path, name] of pages) {
      // Act
      const found = await visit(page, path, name);
      // Assert
      expect(found).toEqual(fits(name));
    }
  }, 180_000);

  it('keeps the supervision board and the report within the window at 200% zoom', async () => {
    // Arrange
    const page = await s.signedIn('sup-1|supervisor', '/board/', ZOOM_200);
    for (const [path, name] of [
      ['/board/', 'board'],
      ['/board/report', 'report'],
      ['/console/feedback', 'feedback-supervisor'],
    ]) {
      // Act
      const found = await visit(page, path, name);
      // Assert
      expect(found).toEqual(fits(name));
    }
  }, 180_000);
});
