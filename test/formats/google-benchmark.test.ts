import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGoogleBenchmark } from '../../src/formats/google-benchmark.ts';
import { detectFormat } from '../../src/formats/index.ts';
import { readFixture, readJson } from './helpers.ts';

interface Entry {
  name: string;
  run_name: string;
  run_type: 'iteration' | 'aggregate';
  aggregate_name?: string;
  real_time: number;
  time_unit: string;
  bytes_per_second?: number;
  elements?: number;
}

const REPS = 'google-benchmark/google-benchmark-1.7.1-repetitions.json';
const SINGLE = 'google-benchmark/google-benchmark-1.7.1.json';
const AGGREGATES = 'google-benchmark/google-benchmark-1.7.1-aggregates-only.json';
const NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

function entries(rel: string): Entry[] {
  return readJson<{ benchmarks: Entry[] }>(rel).benchmarks;
}

test('Google Benchmark repetitions: one benchmark per run_name, repetitions as samples, its own aggregates as estimates', () => {
  const text = readFixture(REPS);
  assert.equal(detectFormat({ kind: 'file', path: 'g.json', text }), 'google-benchmark');
  const { benchmarks, warnings } = readGoogleBenchmark('g.json', text);
  assert.deepEqual(warnings, []);
  const time = benchmarks.filter((b) => b.metric === 'time');
  assert.deepEqual(
    time.map((b) => b.id),
    ['BM_fib/10', 'BM_fib/40', 'BM_sum/1024', 'BM_string'],
  );
  const raw = entries(REPS);
  for (const b of time) {
    const own = raw.filter((e) => e.run_name === b.id);
    const reps = own.filter((e) => e.run_type === 'iteration').map((e) => e.real_time * NS[e.time_unit]!);
    const aggregate = (name: string) => {
      const e = own.find((x) => x.aggregate_name === name)!;
      return e.real_time * NS[e.time_unit]!;
    };
    assert.equal(reps.length, 5);
    assert.deepEqual(b.samples, reps);
    assert.equal(b.estimates.median, aggregate('median'));
    assert.equal(b.estimates.mean, aggregate('mean'));
    assert.equal(b.estimates.stdDev, aggregate('stddev'));
    assert.deepEqual([b.unit, b.direction, b.source], ['ns', 'lower', 'google-benchmark']);
  }
  // BM_string ran with ->Unit(kMicrosecond): us becomes ns.
  assert.equal(raw.find((e) => e.run_name === 'BM_string')!.time_unit, 'us');
  // Counters keep their unit and direction: bytes_per_second is a rate, a user counter is kept by name.
  const bytes = benchmarks.find((b) => b.id === 'BM_sum/1024' && b.metric === 'bytes_per_second')!;
  assert.deepEqual([bytes.unit, bytes.direction], ['B/s', 'higher']);
  assert.deepEqual(
    bytes.samples,
    raw.filter((e) => e.run_name === 'BM_sum/1024' && e.run_type === 'iteration').map((e) => e.bytes_per_second),
  );
  const elements = benchmarks.find((b) => b.id === 'BM_sum/1024' && b.metric === 'elements')!;
  assert.deepEqual([elements.unit, elements.direction, elements.estimates.median], ['elements', 'lower', 1024]);
});

test('Google Benchmark: a single run has no samples; aggregates only have estimates but no samples', () => {
  const single = readGoogleBenchmark('s.json', readFixture(SINGLE)).benchmarks.find(
    (b) => b.id === 'BM_string' && b.metric === 'time',
  )!;
  const raw = entries(SINGLE).find((e) => e.name === 'BM_string')!;
  assert.equal(single.samples, null);
  assert.equal(single.estimates.median, raw.real_time * 1e3);
  const aggregates = readGoogleBenchmark('a.json', readFixture(AGGREGATES)).benchmarks.filter(
    (b) => b.metric === 'time',
  );
  assert.deepEqual(
    aggregates.map((b) => b.id),
    ['BM_fib/10', 'BM_fib/40', 'BM_sum/1024', 'BM_string'],
  );
  const fib = aggregates[0]!;
  const median = entries(AGGREGATES).find((e) => e.name === 'BM_fib/10_median')!;
  assert.equal(fib.samples, null);
  assert.equal(fib.estimates.median, median.real_time);
});

test('Google Benchmark: a benchmark that reported an error is left out with a warning', () => {
  const doc = {
    context: {},
    benchmarks: [
      { name: 'ok', run_name: 'ok', run_type: 'iteration', iterations: 10, real_time: 5, cpu_time: 5, time_unit: 'ns' },
      {
        name: 'bad',
        run_name: 'bad',
        run_type: 'iteration',
        error_occurred: true,
        error_message: 'no socket',
        iterations: 0,
        real_time: 0,
        cpu_time: 0,
        time_unit: 'ns',
      },
    ],
  };
  const { benchmarks, warnings } = readGoogleBenchmark('e.json', JSON.stringify(doc));
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['ok'],
  );
  assert.deepEqual(warnings, ["e.json: benchmark 'bad' failed (no socket); left out"]);
});
