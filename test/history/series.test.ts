import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyTerms } from '../../src/compare/noise.ts';
import { noiseSinceChange } from '../../src/history/changes.ts';
import { appendRun, seriesFromRuns, validateSeries, type SeriesFile } from '../../src/history/series.ts';
import { history } from './support.ts';

const specs = [
  { id: 'cache_get/a', median: 100, logSd: 0.02 },
  { id: 'cache_set/b', median: 2_000, logSd: 0.03 },
];

test('appending runs keeps time order, stamps and parallel arrays', () => {
  const runs = history(5, specs, 1);
  const file = seriesFromRuns([...runs].reverse());
  assert.equal(file.seriesVersion, 1);
  assert.deepEqual(
    file.runs.map((r) => r.commit),
    runs.map((r) => r.run.commit),
  );
  assert.equal(file.runs[0]!.runner, 'test-runner');
  const a = file.series.find((s) => s.id === 'cache_get/a')!;
  assert.equal(a.metric, 'time');
  assert.deepEqual(a.run, [0, 1, 2, 3, 4]);
  assert.equal(a.median.length, 5);
  assert.ok(Math.abs(a.median[2]! / runs[2]!.benchmarks[0]!.estimates.median - 1) < 1e-4);
  assert.ok(a.lower[0]! < a.median[0]! && a.upper[0]! > a.median[0]!);
  assert.ok(validateSeries(JSON.parse(JSON.stringify(file))).ok);
});

test('a re-run of the newest run replaces it; older runs already in the series are not added twice', () => {
  const runs = history(4, specs, 2);
  const file = seriesFromRuns(runs);
  const again = appendRun(file, runs[3]!);
  assert.equal(again.runs.length, 4);
  assert.equal(again.series[0]!.median.length, 4);
  assert.equal(seriesFromRuns(runs, file).runs.length, 4);
});

test('the series is capped at maxRuns: the oldest runs go and indexes are renumbered', () => {
  const runs = history(12, specs, 3);
  let file: SeriesFile | null = null;
  for (const run of runs) file = appendRun(file, run, 10);
  assert.equal(file!.runs.length, 10);
  assert.equal(file!.runs[0]!.commit, runs[2]!.run.commit);
  for (const s of file!.series) assert.deepEqual(s.run, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(validateSeries(file).ok);
});

test('a benchmark that disappears keeps its points until they age out; one that changes unit starts afresh', () => {
  const runs = history(3, specs, 4);
  const dropped = { ...runs[2]!, benchmarks: runs[2]!.benchmarks.filter((b) => b.id !== 'cache_set/b') };
  const file = seriesFromRuns([runs[0]!, runs[1]!, dropped]);
  assert.deepEqual(file.series.find((s) => s.id === 'cache_set/b')!.run, [0, 1]);
  const capped = appendRun(appendRun(file, history(5, specs, 5)[3]!, 2), history(5, specs, 5)[4]!, 2);
  assert.equal(capped.series.find((s) => s.id === 'cache_set/b')!.run.length, 2);
  const bytes = { ...runs[2]!, benchmarks: runs[2]!.benchmarks.map((b) => ({ ...b, unit: 'B' })) };
  const changed = seriesFromRuns([runs[0]!, runs[1]!, bytes]);
  assert.deepEqual(changed.series.find((s) => s.id === 'cache_get/a')!.run, [2]);
});

test('validateSeries rejects a damaged series with a reason', () => {
  const file = seriesFromRuns(history(3, specs, 6));
  const bad = JSON.parse(JSON.stringify(file)) as SeriesFile;
  bad.series[0]!.median.pop();
  const outcome = validateSeries(bad);
  assert.equal(outcome.ok, false);
  if (!outcome.ok) assert.match(outcome.issue, /different lengths/);
  const wrongVersion = validateSeries({ ...file, seriesVersion: 2 });
  assert.equal(wrongVersion.ok, false);
  const outOfRange = JSON.parse(JSON.stringify(file)) as SeriesFile;
  outOfRange.series[0]!.run[2] = 7;
  assert.equal(validateSeries(outOfRange).ok, false);
});

test('the noise window starts at the last change point, so an old step no longer inflates the spread', () => {
  const runs = history(30, [{ id: 'stepped', median: 100, logSd: 0.02, step: { at: 12, factor: 1.2 } }], 8);
  const all = historyTerms(runs).noise.get('stepped')!;
  const window = noiseSinceChange(seriesFromRuns(runs), 30);
  const since = window.noise.get('stepped')!;
  assert.ok(window.cut.has('stepped'));
  assert.ok(Math.abs(window.cut.get('stepped')! - 18) <= 3);
  // A 20% step inside the window triples the estimate; after the cut it is back near 2% (x sqrt 2 x t factor).
  assert.ok(all > 2 * since, `all ${all}, since ${since}`);
  assert.ok(since < 0.02 * Math.SQRT2 * 1.6, `since ${since}`);
  assert.ok(window.baseRuns.get('stepped')!.every((m) => m > 110));
});

test('without a change point the window is the newest maxRuns runs', () => {
  const runs = history(30, [{ id: 'flat', median: 100, logSd: 0.02 }], 9);
  const window = noiseSinceChange(seriesFromRuns(runs), 10);
  assert.equal(window.cut.size, 0);
  assert.equal(window.baseRuns.get('flat')!.length, 10);
});

test('runs given together are all kept even when stamped alike', () => {
  const [run] = history(1, specs, 10);
  const file = seriesFromRuns([run!, run!, run!]);
  assert.equal(file.runs.length, 3);
  assert.equal(file.series[0]!.median.length, 3);
});

test('a change point in the newest two runs: the spread is pooled around each level, not lost', () => {
  const runs = history(30, [{ id: 'fresh', median: 100, logSd: 0.02, step: { at: 28, factor: 1.3 } }], 11);
  const window = noiseSinceChange(seriesFromRuns(runs), 30);
  assert.equal(window.cut.get('fresh'), 2);
  const noise = window.noise.get('fresh');
  assert.ok(noise !== undefined, 'still has a noise term');
  // Around 2% per run (x sqrt 2 x t factor for 28 df), not the 13% the step would make it.
  assert.ok(noise > 0.02 && noise < 0.02 * Math.SQRT2 * 1.5, `noise ${noise}`);
  assert.equal(window.baseRuns.has('fresh'), false, 'the range guard waits for 3 runs at the new level');
});
