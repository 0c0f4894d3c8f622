/**
 * The pages' weight and speed, in headless Chromium against the runtime with its pages:
 * the gzipped JavaScript and CSS each page loads (aim: at most 150 KB of JavaScript for the
 * guide and apply pages), the charts chunk only the report page loads, and the time to first
 * render of the guide (its first item on screen, cold cache) against a bare `GET /items` from
 * Node, as a ratio of medians in the same run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { buildPages, launchChromium } from '../test/browser/browser';
import { round, type Benchmark, type Row } from './lib';

const JS_AIM_KB = 150;
const RUNS = 9;
const PAGES = [
  { name: 'guide', path: '/portal/', ready: 'ul.items > li', aim: true },
  { name: 'item', path: '/portal/items/ENV-EIA-FORM', ready: 'table.plain', aim: false },
  { name: 'apply', path: '/portal/apply/ENV-EIA-FORM', ready: '#f-materials', aim: true },
  { name: 'progress', path: '/portal/progress', ready: '#p-case', aim: false },
  { name: 'complaint', path: '/portal/complaint', ready: '#c-who', aim: false },
  { name: 'console', path: '/console/', ready: '#signin-title', aim: false },
  { name: 'board', path: '/board/', ready: '#signin-title', aim: false },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const pages: Benchmark = {
  name: 'pages',
  description: `gzipped JS and CSS per page (aim ≤ ${JS_AIM_KB} KB JS for guide and apply); guide first render vs bare GET /items`,
  async run(ctx) {
    buildPages();
    const runtime = await ctx.startRuntime({ pages: true });
    const chromium = await launchChromium();
    ctx.onCleanup(() => chromium.close());

    const rows: Row[] = [];
    for (const p of PAGES) {
      const context = await chromium.context();
      const page = await context.newPage();
      const loaded: { type: string; bytes: number }[] = [];
      page.on('response', (r) => {
        const type = r.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        void r.body().then((b) => loaded.push({ type, bytes: gzipSync(b).length }));
      });
      await page.goto(`${runtime.url}${p.path}`);
      await page.locator(p.ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      const kb = (type: string) =>
        round(loaded.filter((l) => l.type === type).reduce((s, l) => s + l.bytes, 0) / 1024, 1);
      const js = kb('script');
      rows.push({
        page: p.name,
        path: p.path,
        'JS files': loaded.filter((l) => l.type === 'script').length,
        'JS KB gz': js,
        'CSS KB gz': kb('stylesheet'),
      });
      if (p.aim) ctx.figure(`${p.name} page JavaScript, gzipped`, js, { unit: 'KB', aim: { max: JS_AIM_KB } });
      ctx.check(`${p.name} page loads no chart code`, !loaded.some((l) => l.bytes > 150 * 1024));
      await context.close();
    }
    ctx.table('what each page loads (gzipped, as served)', rows);

    const assets = join(__dirname, '..', 'web', 'dist', 'assets');
    const chart = readdirSync(assets).find((f) => f.startsWith('TrendChart-') && f.endsWith('.js'));
    if (chart)
      ctx.figure(
        'charts chunk (ECharts), loaded only when the report page shows a report',
        round(gzipSync(readFileSync(join(assets, chart))).length / 1024, 1),
        { unit: 'KB' },
      );

    // Time to first render of the guide, cold cache, against the bare API call it makes.
    const render: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${runtime.url}/items`);
      await res.json();
      bare.push(performance.now() - t0);
      const context = await chromium.context();
      const page = await context.newPage();
      const t1 = performance.now();
      await page.goto(`${runtime.url}/portal/`);
      await page.locator('ul.items > li').first().waitFor();
      render.push(performance.now() - t1);
      await context.close();
    }
    ctx.table('guide first render vs bare GET /items (ms)', [
      { what: 'guide: navigation to first item on screen', 'p50 ms': round(median(render), 1) },
      { what: 'bare GET /items from Node', 'p50 ms': round(median(bare), 1) },
    ]);
    ctx.ratio('guide first render vs bare GET /items (p50)', median(render), median(bare));
  },
};
