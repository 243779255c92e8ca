import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { noiseSinceChange } from '../../src/history/changes.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import { appendCharts, mermaidLineChart, mermaidText, trendCharts } from '../../src/report/charts.ts';
import type { Results } from '../../src/schema/types.ts';
import { history } from '../history/support.ts';

/** 150 benchmarks whose base history is 30 quiet runs; the head slows every `every`-th by 20%. */
function scenario(benchmarks: number, every: number) {
  const specs = Array.from({ length: benchmarks }, (_, i) => ({
    id: `group_${i % 9}/bench_${i}/param_${'x'.repeat(i % 30)}`,
    median: 100 * (1 + i),
    logSd: 0.01,
  }));
  const runs = history(31, specs, 17);
  const base = runs[29]!;
  const head: Results = {
    ...runs[30]!,
    benchmarks: runs[30]!.benchmarks.map((b, i) =>
      i % every === 0
        ? { ...b, estimates: { ...b.estimates, median: b.estimates.median * 1.2, mean: b.estimates.mean * 1.2 } }
        : b,
    ),
  };
  return { runs: runs.slice(0, 30), base, head };
}

test('mermaidText leaves only characters that cannot leave a title or the fence', () => {
  const hostile = 'a"b]`\n```\n}%%{init: {"theme":"dark"}}%%<script>@x';
  const text = mermaidText(hostile);
  assert.doesNotMatch(text, /["`\]\n<>{}@]/);
  const chart = mermaidLineChart(hostile, [{ label: 'head', value: 1 }], 'ns');
  assert.equal(chart.split('```').length, 3, 'exactly one fence opened and closed');
});

test('mermaidText keeps no mention or issue reference', () => {
  const text = mermaidText('@user @org/team #1 GH-1 gh-2 owner/repo#1');
  assert.doesNotMatch(text, /[@#]|GH-\d/i, text);
});

test('charts come for regressions, improvements and inconclusive rows only, each ending at the head', () => {
  const { runs, base, head } = scenario(12, 4);
  const series = seriesFromRuns(runs);
  const terms = noiseSinceChange(series, 30);
  const analysis = analyze({ base, head, threshold: 0.1, noise: terms.noise, baseRuns: terms.baseRuns, series });
  const moved = analysis.comparison!.rows.filter((r) =>
    ['regression', 'improvement', 'inconclusive'].includes(r.verdict),
  );
  assert.ok(moved.length >= 3);
  const charts = trendCharts(analysis.comparison!.rows, series);
  assert.deepEqual(charts.map((c) => c.id).sort(), moved.map((r) => r.id).sort());
  for (const chart of charts) {
    assert.match(chart.text, /^```mermaid\n---\nconfig:\n[\s\S]*plotColorPalette: "#[0-9a-f]{6}"\n---\nxychart-beta\n/);
    assert.match(chart.text, /x-axis \["-19", "-18", ("-\d+", ){17}"base", "head"\]/);
    assert.match(chart.text, /y-axis "(ns|µs|ms|s)" [\d.]+ --> [\d.]+/);
  }
  assert.match(
    analysis.markdown,
    /<details><summary>Trends: the base branch's last 20 runs, then this head<\/summary>/,
  );
  assert.equal(analysis.markdown.match(/```mermaid/g)?.length, charts.length);
});

test('with 150 benchmarks moved the comment stays under 65,536 characters, charts first to go', () => {
  const { runs, base, head } = scenario(150, 1);
  const series = seriesFromRuns(runs);
  const analysis = analyze({ base, head, threshold: 0.1, series });
  assert.ok(analysis.markdown.length < 65_536, `${analysis.markdown.length}`);
  const without = analyze({ base, head, threshold: 0.1 });
  // Everything the report had without charts is still there, whole.
  assert.ok(analysis.markdown.startsWith(without.markdown));
  const charts = analysis.markdown.match(/```mermaid/g)?.length ?? 0;
  assert.ok(charts < 150);
  if (charts > 0)
    assert.match(analysis.markdown, new RegExp(`${150 - charts} more charts left out to fit the comment size limit`));
  // A report with room gets every chart.
  const few = scenario(150, 50);
  const roomy = analyze({ base: few.base, head: few.head, threshold: 0.1, series: seriesFromRuns(few.runs) });
  assert.equal(roomy.markdown.match(/```mermaid/g)?.length, 3);
  assert.ok(roomy.markdown.length < 65_536);
});

test('appendCharts adds nothing when no chart fits or there are none', () => {
  const chart = { id: 'x', text: mermaidLineChart('x', [{ label: 'head', value: 1 }], 'ns') };
  assert.equal(appendCharts('report\n', [], 1000), 'report\n');
  assert.equal(appendCharts('report\n', [chart], 50), 'report\n');
});

test('compare --history prints the charts in its markdown', () => {
  const { runs, base, head } = scenario(6, 3);
  const dir = mkdtempSync(join(tmpdir(), 'bench-charts-'));
  runs
    .slice(0, 29)
    .forEach((run, i) => writeFileSync(join(dir, `run-${String(i).padStart(2, '0')}.json`), JSON.stringify(run)));
  writeFileSync(join(dir, '..', `${dir.split('/').pop()}-base.json`), JSON.stringify(base));
  const baseFile = join(dir, '..', `${dir.split('/').pop()}-base.json`);
  const headFile = join(dir, '..', `${dir.split('/').pop()}-head.json`);
  writeFileSync(headFile, JSON.stringify(head));
  const outcome = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'compare', baseFile, headFile, '--history', dir, '--no-fail'],
    { encoding: 'utf8' },
  );
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.equal(outcome.stdout.match(/xychart-beta/g)?.length, 2);
});

test('a charted benchmark with a step on the base branch names that change point under its chart', () => {
  const runs = history(
    31,
    [{ id: 'cache_get_warm/sark_cache', median: 250, logSd: 0.01, step: { at: 20, factor: 1.12 } }],
    3,
  );
  const head: Results = {
    ...runs[30]!,
    benchmarks: runs[30]!.benchmarks.map((b) => ({
      ...b,
      estimates: { ...b.estimates, median: b.estimates.median * 1.3 },
    })),
  };
  const series = seriesFromRuns(runs.slice(0, 30));
  const analysis = analyze({ base: runs[29]!, head, threshold: 0.1, series });
  assert.match(
    analysis.markdown,
    /Base-branch change points: cache\\_get\\_warm\/sark\\_cache: \+1\d% at `[0-9a-f]{7}` \(\d+ runs ago\)/,
  );
});

test('a base-branch median past the double range leaves that chart out: no Infinity or NaN on an axis', () => {
  const { runs, base, head } = scenario(12, 4);
  const series = seriesFromRuns(runs);
  const terms = noiseSinceChange(series, 30);
  const analysis = analyze({ base, head, threshold: 0.1, noise: terms.noise, baseRuns: terms.baseRuns, series });
  const rows = analysis.comparison!.rows;
  const charted = trendCharts(rows, series).map((c) => c.id);
  assert.ok(charted.length >= 2, 'the scenario must chart at least two rows');
  // A run whose median overflowed (1e999 in its JSON reads as Infinity) sits in one charted benchmark's history.
  const poisoned = charted[0]!;
  const line = series.series.find((s) => s.id === poisoned)!;
  line.median[line.median.length - 3] = Infinity;
  const charts = trendCharts(rows, series);
  assert.deepEqual(
    charts.map((c) => c.id),
    charted.slice(1),
  );
  for (const chart of charts) assert.doesNotMatch(chart.text, /Infinity|NaN/);
});
