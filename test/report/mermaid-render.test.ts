/// <reference lib="dom" />
/**
 * The Mermaid the report emits is valid: rendered with the real `mermaid`
 * package in headless Chromium, each chart becomes an SVG with one line plot
 * and one x label per point. UPDATE_SCREENSHOTS=1 writes docs/trend-charts.png.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { noiseSinceChange } from '../../src/history/changes.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import { mermaidLineChart } from '../../src/report/charts.ts';
import type { Results } from '../../src/schema/types.ts';
import { history } from '../history/support.ts';
import { chromiumMissing, launchChromium } from '../support/chromium.ts';

const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

function reportCharts(): string[] {
  const specs = [
    { id: 'cache_get_warm/sark_cache', median: 250, logSd: 0.01 },
    { id: 'policy_eval/complex', median: 48_000, logSd: 0.01 },
    { id: 'cache_scaling_set/moka/100000', median: 2_400_000, logSd: 0.06 },
    { id: 'weird "id" with `ticks` & <tags>/x', median: 900, logSd: 0.01 },
  ];
  const runs = history(31, specs, 5);
  const factors = [1.25, 0.8, 1.12, 1.3];
  const head: Results = {
    ...runs[30]!,
    benchmarks: runs[30]!.benchmarks.map((b, i) => ({
      ...b,
      estimates: { ...b.estimates, median: b.estimates.median * factors[i]! },
    })),
  };
  const series = seriesFromRuns(runs.slice(0, 30));
  const terms = noiseSinceChange(series, 30);
  const analysis = analyze({
    base: runs[29]!,
    head,
    threshold: 0.1,
    noise: terms.noise,
    baseRuns: terms.baseRuns,
    series,
  });
  return [...analysis.markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

test(
  'the report’s Mermaid charts render with the real mermaid library in headless Chromium',
  { skip: chromiumMissing ?? false, timeout: 120_000 },
  async () => {
    const charts = reportCharts();
    assert.ok(charts.length >= 3, `${charts.length} charts`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.setViewport({ width: 900, height: 600 });
      await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body></html>');
      await page.addScriptTag({ path: mermaidScript });
      const rendered = await page.evaluate(async (texts: string[]) => {
        const m = (
          window as unknown as {
            mermaid: { initialize(c: object): void; render(id: string, text: string): Promise<{ svg: string }> };
          }
        ).mermaid;
        m.initialize({ startOnLoad: false, securityLevel: 'strict' });
        const out: Array<{ ok: boolean; error?: string; lines: number; labels: number }> = [];
        for (const [i, text] of texts.entries()) {
          try {
            const { svg } = await m.render(`chart${i}`, text);
            const holder = document.createElement('div');
            holder.style.width = '860px';
            holder.style.marginBottom = '16px';
            holder.innerHTML = svg;
            document.body.appendChild(holder);
            out.push({
              ok: true,
              lines: holder.querySelectorAll('.line-plot-0 path').length,
              labels: holder.querySelectorAll('.bottom-axis .label text').length,
            });
          } catch (error) {
            out.push({ ok: false, error: String(error), lines: 0, labels: 0 });
          }
        }
        return out;
      }, charts);
      for (const [i, r] of rendered.entries()) {
        assert.ok(r.ok, `chart ${i} failed: ${r.error}\n${charts[i]}`);
        assert.equal(r.lines, 1, `chart ${i}: one line plot`);
        assert.equal(r.labels, 21, `chart ${i}: 20 base runs and the head`);
      }
      assert.deepEqual(errors, []);
      const out = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/trend-charts.png' : join(tmpdir(), 'trend-charts.png');
      await page.screenshot({ path: out as `${string}.png`, fullPage: true });
      // The harness does catch invalid Mermaid: a broken chart is rejected.
      const broken = mermaidLineChart('x', [{ label: 'head', value: 1 }], 'ns').replace('line [', 'line ((');
      const rejected = await page.evaluate(async (text: string) => {
        const m = (window as unknown as { mermaid: { render(id: string, text: string): Promise<unknown> } }).mermaid;
        try {
          await m.render('broken', text.replace(/^```mermaid\n|```$/g, ''));
          return false;
        } catch {
          return true;
        }
      }, broken);
      assert.ok(rejected, 'invalid Mermaid must be rejected');
    } finally {
      await browser.close();
    }
  },
);
