import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { evaluateClaims } from '../src/claims/evaluate.ts';
import { compare } from '../src/compare/compare.ts';
import { computePairs } from '../src/compare/pairs.ts';
import { InputError } from '../src/common/errors.ts';
import { loadResults } from '../src/files/load.ts';
import { runMetaOnce } from '../src/run/metadata.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { mergeResults } from '../src/schema/merge.ts';
import { benchmarkKey, findById, upgradeResults } from '../src/schema/metric.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../src/schema/types.ts';
import { formatIssues, validateResults } from '../src/schema/validate.ts';
import { runMeta } from './compare/synthetic.ts';

const V1_FIXTURE = new URL('../fixtures/results/criterion-0.8-run-a.json', import.meta.url);

function bench(id: string, metric: string, median: number): Benchmark {
  const unit = metric === 'time' ? 'ns' : metric;
  const exact = metric === 'instructions';
  return {
    id,
    metric,
    group: id.split('/')[0] ?? id,
    function: id.split('/')[1] ?? null,
    parameter: null,
    source: 'generic',
    unit,
    direction: 'lower',
    estimates: { median, mean: median, stdDev: exact ? 0 : null, ci: null },
    throughput: null,
    samples: exact ? null : Array.from({ length: 20 }, (_, i) => median * (1 + (i % 5) / 1000)),
  };
}

function results(benchmarks: Benchmark[], commit = 'a'.repeat(40)): Results {
  return { schemaVersion: SCHEMA_VERSION, run: runMeta(commit), benchmarks };
}

test('a version 1 results file (a real one from main) reads as version 2 with metric time', async () => {
  const v1 = JSON.parse(await readFile(V1_FIXTURE, 'utf8')) as {
    schemaVersion: number;
    benchmarks: { id: string; unit: string }[];
  };
  assert.equal(v1.schemaVersion, 1);
  const loaded = await loadResults(V1_FIXTURE.pathname, runMetaOnce());
  assert.equal(loaded.schemaVersion, SCHEMA_VERSION);
  assert.equal(loaded.benchmarks.length, v1.benchmarks.length);
  assert.deepEqual(
    loaded.benchmarks.map((b) => [b.id, b.metric]),
    v1.benchmarks.map((b) => [b.id, 'time']),
  );
});

test('upgrading a version 1 benchmark with a unit that is not ns takes the unit as its metric', () => {
  const doc = {
    schemaVersion: 1,
    run: runMeta('a'),
    benchmarks: [{ ...bench('rps', 'time', 5), metric: undefined, unit: 'req/s' }],
  };
  delete (doc.benchmarks[0] as { metric?: string }).metric;
  const upgraded = upgradeResults(doc) as Results;
  assert.equal(upgraded.schemaVersion, SCHEMA_VERSION);
  assert.equal(upgraded.benchmarks[0]?.metric, 'req/s');
  const outcome = validateResults(doc);
  assert.equal(outcome.ok, true);
});

test('a version 2 benchmark without a metric is refused, naming the field', () => {
  const doc = results([bench('g/f', 'time', 10)]);
  delete (doc.benchmarks[0] as { metric?: string }).metric;
  const outcome = validateResults(doc);
  assert.equal(outcome.ok, false);
  if (!outcome.ok) assert.match(formatIssues(outcome.issues), /\/benchmarks\/0.*metric/);
});

test('one id may appear once per metric: time and instructions side by side validate', () => {
  const outcome = validateResults(results([bench('cache/get', 'time', 50), bench('cache/get', 'instructions', 400)]));
  assert.equal(outcome.ok, true);
});

test('a repeated (id, metric) is refused with both places named', () => {
  const outcome = validateResults(
    results([
      bench('cache/get', 'instructions', 400),
      bench('cache/set', 'time', 1),
      bench('cache/get', 'instructions', 401),
    ]),
  );
  assert.equal(outcome.ok, false);
  if (!outcome.ok)
    assert.equal(
      formatIssues(outcome.issues),
      "does not match the results schema at /benchmarks/2: benchmark 'cache/get [instructions]' repeats /benchmarks/0; each (id, metric) may appear once",
    );
});

test('merging keys on (id, metric): Criterion time and gungraun instructions of one id merge, a repeat is refused', () => {
  const criterion = { origin: 'target/criterion', results: results([bench('cache/get', 'time', 50)]) };
  const gungraun = { origin: 'target/gungraun', results: results([bench('cache/get', 'instructions', 400)]) };
  const merged = mergeResults([criterion, gungraun], runMeta('b'.repeat(40)));
  assert.deepEqual(merged.benchmarks.map(benchmarkKey), ['cache/get', 'cache/get [instructions]']);
  assert.throws(
    () => mergeResults([gungraun, gungraun], runMeta('b'.repeat(40))),
    (e: unknown) =>
      e instanceof InputError && /'cache\/get \[instructions\]' is also in target\/gungraun/.test(e.message),
  );
});

test('compare pairs benchmarks by (id, metric) and the report names the metric that is not time', () => {
  const base = results([bench('cache/get', 'time', 50), bench('cache/get', 'instructions', 400)]);
  const head = results([bench('cache/get', 'time', 50), bench('cache/get', 'instructions', 800)], 'b'.repeat(40));
  const comparison = compare(base, head);
  const byMetric = new Map(comparison.rows.map((row) => [row.metric, row]));
  assert.equal(comparison.rows.length, 2);
  assert.equal(byMetric.get('time')?.change, 1);
  assert.equal(byMetric.get('instructions')?.change, 2);
  assert.equal(byMetric.get('instructions')?.baseMedian, 400);
  const markdown = renderMarkdown(comparison);
  assert.match(markdown, /#### Instruction counts \(1\)/);
  assert.match(
    markdown,
    /\| ❌ regression \(decided by instructions\) \| 400 instructions \| 800 instructions \| \+100% \| \+0\.0% \(unchanged\)/,
  );
});

test("pairs and claims without a metric take the id's wall time; a claim may name the instructions metric", () => {
  const run = results([
    bench('cache/get', 'instructions', 400),
    bench('cache/get', 'time', 50),
    bench('redis/get', 'time', 500),
  ]);
  assert.equal(findById(run.benchmarks, 'cache/get')?.metric, 'time');
  assert.equal(findById(run.benchmarks, 'cache/get', 'instructions')?.estimates.median, 400);
  const pairs = computePairs({ ...run, pairs: [{ name: 'vs redis', contender: 'cache/get', reference: 'redis/get' }] });
  assert.ok(pairs[0]?.speedup !== null && Math.abs((pairs[0]?.speedup ?? 0) - 10) < 0.1);
  const claims = evaluateClaims(
    {
      claims: [
        { id: 'fast', kind: 'median', benchmark: 'cache/get', max: 60, unit: 'ns' },
        { id: 'few', kind: 'median', benchmark: 'cache/get', metric: 'instructions', max: 350 },
      ],
    },
    run,
    pairs,
  );
  assert.deepEqual(
    claims.map((c) => [c.id, c.status, c.measured?.value]),
    [
      ['fast', 'pass', 50.1],
      ['few', 'fail', 400],
    ],
  );
  assert.match(claims[1]?.description ?? '', /cache\/get \[instructions\] median <= 350 instructions/);
});
