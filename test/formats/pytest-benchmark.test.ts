import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFormat } from '../../src/formats/index.ts';
import { readPytestBenchmark } from '../../src/formats/pytest-benchmark.ts';
import { readFixture, readJson } from './helpers.ts';

interface PytestDoc {
  benchmarks: {
    fullname: string;
    group: string | null;
    param: string | null;
    stats: { median: number; mean: number; stddev: number; ops: number; rounds: number; data?: number[] };
  }[];
}

const WITH_DATA = 'pytest-benchmark/pytest-benchmark-5.3.1.json';
const SAVED = 'pytest-benchmark/pytest-benchmark-5.3.1.save-no-data.json';

test('pytest-benchmark --benchmark-json: fullname ids, seconds become ns, every round a sample', () => {
  const doc = readJson<PytestDoc>(WITH_DATA);
  const text = readFixture(WITH_DATA);
  assert.equal(detectFormat({ kind: 'file', path: 'p.json', text }), 'pytest-benchmark');
  const { benchmarks, warnings } = readPytestBenchmark('p.json', text);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    doc.benchmarks.map((b) => b.fullname),
  );
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    [
      'bench_fib.py::test_fib_10',
      'bench_fib.py::test_fib_param[20]',
      'bench_fib.py::test_fib_param[40]',
      'bench_fib.py::test_sleep',
    ],
  );
  for (const [i, b] of benchmarks.entries()) {
    const stats = doc.benchmarks[i]!.stats;
    assert.equal(b.estimates.median, stats.median * 1e9);
    assert.equal(b.estimates.mean, stats.mean * 1e9);
    assert.equal(b.estimates.stdDev, stats.stddev * 1e9);
    assert.equal(b.samples?.length, stats.rounds);
    assert.deepEqual(
      b.samples,
      stats.data!.map((s) => s * 1e9),
    );
    // pytest-benchmark's own ops is 1 / mean: the same figure github-action-benchmark shows.
    assert.ok(Math.abs(1e9 / b.estimates.mean / stats.ops - 1) < 1e-12);
    assert.deepEqual([b.unit, b.direction, b.source], ['ns', 'lower', 'pytest-benchmark']);
  }
  const param = benchmarks[1]!;
  assert.deepEqual([param.group, param.function, param.parameter], ['fib', 'test_fib_param', '20']);
  assert.deepEqual(
    [benchmarks[0]!.group, benchmarks[0]!.function, benchmarks[0]!.parameter],
    ['bench_fib.py', 'test_fib_10', null],
  );
});

test('pytest-benchmark --benchmark-save without --benchmark-save-data: statistics, no samples', () => {
  const doc = readJson<PytestDoc>(SAVED);
  const { benchmarks, warnings } = readPytestBenchmark('s.json', readFixture(SAVED));
  assert.deepEqual(warnings, []);
  assert.equal(doc.benchmarks[3]!.stats.data, undefined);
  assert.equal(benchmarks[3]!.samples, null);
  assert.equal(benchmarks[3]!.estimates.median, doc.benchmarks[3]!.stats.median * 1e9);
});

test('pytest-benchmark: a trimmed data list is left out with a warning, never taken as the rounds', () => {
  const doc = readJson<PytestDoc & Record<string, unknown>>(WITH_DATA);
  const first = doc.benchmarks[0]!;
  (first.stats as unknown as { data: unknown[] }).data = [1e-6, 2e-6, '... omitted'];
  const { benchmarks, warnings } = readPytestBenchmark('t.json', JSON.stringify(doc));
  assert.equal(benchmarks[0]!.samples, null);
  assert.equal(benchmarks[0]!.estimates.median, first.stats.median * 1e9);
  assert.deepEqual(warnings, [
    "t.json: 'bench_fib.py::test_fib_10': stats.data has 1 entries that are not numbers, so its samples are left out (the statistics are used)",
  ]);
});
