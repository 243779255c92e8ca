/// <reference lib="dom" />
/**
 * The dashboard in headless Chromium, at the documented cap (1,000 runs x 150
 * benchmarks): it opens from a file with every network request refused, logs
 * no error, draws one chart per benchmark, and filters. UPDATE_SCREENSHOTS=1
 * writes docs/dashboard.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { renderDashboard } from '../../src/dashboard/render.ts';
import { allChangePoints } from '../../src/history/changes.ts';
import { chromiumMissing, launchChromium } from '../support/chromium.ts';
import { bigSeries } from './support.ts';

test(
  'the dashboard opens offline, draws one chart per benchmark and filters',
  { skip: chromiumMissing ?? false, timeout: 300_000 },
  async () => {
    const series = bigSeries(1000, 150);
    const changePoints = allChangePoints(series);
    const html = renderDashboard({
      series,
      changePoints,
      title: 'SARK benchmarks',
      generatedAt: '2026-12-01T19:00:00Z',
    });
    const path = join(mkdtempSync(join(tmpdir(), 'bench-dashboard-')), 'dashboard.html');
    writeFileSync(path, html);
    const url = pathToFileURL(path).href;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn') errors.push(message.text());
      });
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        if (request.url() === url) return void request.continue();
        requests.push(request.url());
        void request.abort();
      });
      await page.setViewport({ width: 1100, height: 900 });
      const started = Date.now();
      // Parsing 3.6 MiB and drawing 150 charts took 22 s on the shared VM under load: puppeteer's 30 s default is too
      // tight.
      page.setDefaultTimeout(150_000);
      await page.goto(url, { waitUntil: 'load', timeout: 150_000 });
      await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
      const loadMs = Date.now() - started;

      const counts = await page.evaluate(() => ({
        cards: document.querySelectorAll('section.card').length,
        canvases: document.querySelectorAll('section.card .chart canvas').length,
        changeLists: document.querySelectorAll('section.card ul.changes').length,
        shown: document.getElementById('shown')?.textContent,
        injected: document.querySelectorAll('img').length,
      }));
      assert.equal(counts.cards, 150);
      assert.equal(counts.canvases, 150, 'one uPlot canvas per benchmark');
      assert.equal(counts.changeLists, new Set(changePoints.map((p) => p.id)).size);
      assert.ok(counts.changeLists >= 15, `the 15 stepped benchmarks carry change points (${counts.changeLists})`);
      assert.equal(counts.shown, '150 of 150 benchmarks');
      assert.equal(counts.injected, 0, 'a hostile id is text, not markup');
      assert.deepEqual(requests, [], 'no network request');
      assert.deepEqual(errors, []);

      await page.type('#search', 'bench_42');
      assert.equal(await page.$eval('#shown', (e) => e.textContent), '1 of 150 benchmarks');
      await page.$eval('#search', (e) => {
        (e as HTMLInputElement).value = '';
        e.dispatchEvent(new Event('input'));
      });
      await page.select('#group', 'group_2');
      assert.equal(await page.$eval('#shown', (e) => e.textContent), '19 of 150 benchmarks');
      await page.select('#group', '');
      await page.click('#only-changes');
      const withChanges = await page.$eval('#shown', (e) => e.textContent);
      assert.equal(withChanges, `${counts.changeLists} of 150 benchmarks`);
      console.log(
        `dashboard: ${(html.length / 1024 / 1024).toFixed(2)} MiB, loaded and drawn in ${loadMs} ms, ${changePoints.length} change points`,
      );

      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: 'docs/dashboard.png' });
      }
    } finally {
      await browser.close();
    }
  },
);

test(
  "a script an escaping slip let into the page does not run; the dashboard's own do",
  { skip: chromiumMissing ?? false, timeout: 120_000 },
  async () => {
    const series = bigSeries(10, 3);
    const html = renderDashboard({ series, changePoints: [], title: 't', generatedAt: '2026-12-01T00:00:00Z' });
    // As if a name had escaped its escaping: an inline script and an inline handler in the body.
    const slipped = html.replace(
      '<main id="charts"></main>',
      '<main id="charts"></main><script>document.body.dataset.slipped = "script"</script><img src="data:," onerror="document.body.dataset.handler = \'ran\'">',
    );
    const path = join(mkdtempSync(join(tmpdir(), 'bench-dashboard-csp-')), 'dashboard.html');
    writeFileSync(path, slipped);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load', timeout: 90_000 });
      await page.waitForSelector('body[data-ready]', { timeout: 90_000 });
      const state = await page.evaluate(() => ({
        slipped: document.body.dataset.slipped ?? null,
        handler: document.body.dataset.handler ?? null,
        canvases: document.querySelectorAll('section.card .chart canvas').length,
      }));
      assert.deepEqual(state, { slipped: null, handler: null, canvases: 3 });
    } finally {
      await browser.close();
    }
  },
);
