/**
 * The pages as the AWS China distribution serves them: CloudFront there cannot route page paths to
 * index.html, so the uploaded index.html carries data-router="hash" (infra/aws/web-hosting.ts,
 * hashRoutedIndex) and the pages route after a hash. Here the runtime's index.html is replaced
 * by that one on its way to Chromium, and the portal is walked from / alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashRoutedIndex, PAGES_DIST } from '../../infra/aws/web-hosting';
import { browserSession, shown } from './session';

describe('the pages routed after a hash (the AWS China distribution)', () => {
  const s = browserSession('2026-09-28T09:00:00+08:00');

  beforeAll(() => s.start(), 300_000);
  afterEach(() => s.closeContexts());
  afterAll(() => s.stop(), 60_000);

  it('opens the guide at /, goes to an item and to its apply page with every address after the hash, and a reload stays there', async () => {
    // Arrange: every document request answered with the China index.html, as CloudFront there serves / and /index.html only
    const context = await s.context();
    const index = readFileSync(join(PAGES_DIST, 'index.html'), 'utf8');
    const documents: string[] = [];
    await context.route(
      (url) => url.pathname === '/' || url.pathname === '/index.html',
      async (route) => {
        documents.push(new URL(route.request().url()).pathname);
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hashRoutedIndex(index) });
      },
    );
    const page = await context.newPage();
    // Act
    await page.goto(`${s.url()}/`);
    await page.getByRole('heading', { name: '办事指南' }).waitFor();
    await page.getByLabel('搜索事项').fill('报告表');
    await page.getByRole('link', { name: '建设项目环境影响报告表审批' }).first().click();
    await page.getByRole('heading', { name: '申报材料（6 项）' }).waitFor();
    const itemUrl = page.url();
    await page.reload();
    await shown(page.getByRole('heading', { name: /申报材料/ }), '申报材料');
    await page.getByRole('link', { name: '网上申报' }).click();
    await page.getByRole('heading', { name: /网上申报：/ }).waitFor();
    // Assert
    expect(new URL(itemUrl).pathname).toBe('/');
    expect(new URL(itemUrl).hash).toBe('#/portal/items/ENV-EIA-FORM');
    expect(new URL(page.url()).hash).toBe('#/portal/apply/ENV-EIA-FORM');
    expect(new Set(documents)).toEqual(new Set(['/']));
    await s.check(page, 'hash-routes-apply');
  }, 120_000);
});
