import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderDashboard, scriptJson } from '../../src/dashboard/render.ts';
import { UPLOT_JS, UPLOT_VERSION } from '../../src/dashboard/uplot.generated.ts';
import { allChangePoints } from '../../src/history/changes.ts';
import { bigSeries } from './support.ts';

test('the inlined uPlot is the installed package, unmodified (scripts/vendor-uplot.mjs is fresh)', () => {
  const installed = JSON.parse(readFileSync('node_modules/uplot/package.json', 'utf8')) as { version: string };
  assert.equal(UPLOT_VERSION, installed.version);
  assert.equal(UPLOT_JS, readFileSync('node_modules/uplot/dist/uPlot.iife.min.js', 'utf8').trim());
});

test('the dashboard is one self-contained file: no external reference, untrusted ids stay data', () => {
  const series = bigSeries(40, 12);
  const html = renderDashboard({
    series,
    changePoints: allChangePoints(series),
    title: 'SARK <bench>',
    generatedAt: '2026-12-01T00:00:00Z',
  });
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.match(html, /<title>SARK &#60;bench&#62;<\/title>/);
  // The hostile id appears only JSON-escaped inside the data element.
  assert.equal(html.split('</script><img').length, 1);
  const json = /<script type="application\/json" id="bench-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const data = JSON.parse(json) as { series: Array<{ id: string; changes: unknown[] }> };
  assert.equal(data.series.length, 12);
  assert.ok(data.series.some((s) => s.id.includes('</script><img')));
  assert.equal(scriptJson({ a: '</script>\u2028' }), '{"a":"\\u003c/script>\\u2028"}');
});

test('bench-action dashboard writes the HTML from a series file; bad input exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dash-'));
  writeFileSync(join(dir, 'series.json'), JSON.stringify(bigSeries(30, 5)));
  const out = join(dir, 'out', 'dashboard.html');
  const ok = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'dashboard', dir, '-o', out, '--title', 'SARK'],
    { encoding: 'utf8' },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /5 benchmarks over 30 runs/);
  assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'dashboard', join(dir, 'missing')], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /missing: no such file or directory/);
});

test("the CSP lets only the dashboard's own two scripts run, by their SHA-256, never 'unsafe-inline'", () => {
  const series = bigSeries(5, 3);
  const html = renderDashboard({ series, changePoints: [], title: 't', generatedAt: '2026-12-01T00:00:00Z' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? [];
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), csp);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(scripts.length, 2);
  assert.deepEqual(
    scriptSrc,
    scripts.map((code) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`),
  );
});
