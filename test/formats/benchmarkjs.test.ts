import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBenchmarkJs } from '../../src/formats/benchmarkjs.ts';
import { detectFormat, parseInput } from '../../src/formats/index.ts';
import { readFixture, readJson } from './helpers.ts';

const TEXT = 'benchmarkjs/benchmarkjs-2.1.4.txt';
/** What Benchmark.js itself computed for each benchmark of that run (written by the same script). */
const STATS = readJson<Record<string, { hz: number; rme: number; runs: number }>>(
  'benchmarkjs/benchmarkjs-2.1.4.stats.json',
);

test('Benchmark.js text from a real run: each line a higher-is-better ops/sec benchmark equal to its hz', () => {
  const text = readFixture(TEXT);
  assert.equal(detectFormat({ kind: 'file', path: 'bench.txt', text }), 'benchmarkjs');
  const { benchmarks, warnings } = readBenchmarkJs('bench.txt', text);
  assert.deepEqual(warnings, []);
  // "Fastest is ..." is not a benchmark; a name with " x " in it stays whole.
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    Object.keys(STATS),
  );
  for (const b of benchmarks) {
    const own = STATS[b.id]!;
    // Benchmark.js prints hz with 2 decimals below 100 ops/sec, else as an integer.
    assert.ok(
      Math.abs(b.estimates.median - own.hz) <= (own.hz < 100 ? 0.005 : 0.5),
      `${b.id}: ${b.estimates.median} vs ${own.hz}`,
    );
    assert.equal(b.estimates.mean, b.estimates.median);
    assert.deepEqual(
      [b.unit, b.metric, b.direction, b.source, b.samples],
      ['ops/sec', 'ops/sec', 'higher', 'benchmarkjs', null],
    );
    // The ±% is the margin of error of the mean time: the rate's interval is hz / (1 ± rme).
    const r = Number(own.rme.toFixed(2)) / 100;
    assert.ok(b.estimates.ci !== null);
    assert.ok(Math.abs(b.estimates.ci.lower - b.estimates.median / (1 + r)) < 1e-9 * b.estimates.median);
    assert.ok(Math.abs(b.estimates.ci.upper - b.estimates.median / (1 - r)) < 1e-9 * b.estimates.median);
  }
});

test('Benchmark.js: --format benchmarkjs forces it, and a damaged result line is a warning naming its line', () => {
  const text = [
    'fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)',
    'fib(20) x 12.146.0 ops/sec ±0.32% (96 runs sampled)',
    'one run x 5 ops/sec ±0.00% (1 run sampled)',
  ].join('\n');
  const parsed = parseInput({ kind: 'file', path: 'b.log', text }, 'benchmarkjs');
  assert.ok(parsed.format === 'benchmarkjs');
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.estimates.median]),
    [
      ['fib(10)', 1431759],
      ['one run', 5],
    ],
  );
  assert.deepEqual(parsed.warnings, [
    'b.log: line 2 is not a Benchmark.js result this reader understands; left out: fib(20) x 12.146.0 ops/sec ±0.32% (96 runs sampled)',
  ]);
});
