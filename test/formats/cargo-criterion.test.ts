import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { parseCargoCriterion } from '../../src/formats/cargo-criterion.ts';
import { detectFormat } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

interface Bound {
  estimate: number;
  lower_bound: number;
  upper_bound: number;
}
interface Complete {
  reason: string;
  id: string;
  iteration_count: number[];
  measured_values: number[];
  typical: Bound;
  median: Bound;
  mean: Bound;
  slope: Bound | null;
}

const FIXTURE = 'cargo-criterion/criterion-0.8.ndjson';

function messages(): Complete[] {
  return readFixture(FIXTURE)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Complete)
    .filter((m) => m.reason === 'benchmark-complete');
}

test('cargo-criterion NDJSON: benchmark-complete messages, group-complete skipped', () => {
  const text = readFixture(FIXTURE);
  assert.equal(detectFormat({ kind: 'file', path: FIXTURE, text }), 'cargo-criterion');
  const benchmarks = parseCargoCriterion(FIXTURE, text);
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['fib/iter/10', 'fib/iter/40', 'checksum/sum 1KiB/u8', 'count/nonzero', 'flat/sleepless_loop', 'lone_fn'],
  );
  const raw = messages()[1]!;
  const fib = benchmarks[1]!;
  assert.deepEqual([fib.group, fib.function, fib.parameter], ['fib', 'iter', '40']);
  assert.equal(fib.source, 'cargo-criterion');
  assert.equal(fib.estimates.median, raw.median.estimate);
  assert.equal(fib.estimates.mean, raw.mean.estimate);
  assert.deepEqual(fib.estimates.ci, { lower: raw.typical.lower_bound, upper: raw.typical.upper_bound, level: 0.95 });
  assert.equal(fib.samples?.[4], raw.measured_values[4]! / raw.iteration_count[4]!);
  assert.ok(fib.estimates.stdDev !== null && fib.estimates.stdDev > 0);
  assert.deepEqual(benchmarks[2]!.throughput, { kind: 'bytes', perIteration: 1024 });
  assert.deepEqual(benchmarks[3]!.throughput, { kind: 'elements', perIteration: 1024 });
  // Flat sampling: no slope, and typical is the mean.
  const flat = messages()[4]!;
  assert.equal(flat.slope, null);
  assert.equal(benchmarks[4]!.estimates.ci?.lower, flat.mean.lower_bound);
});

test('cargo-criterion: a broken line is reported with its line number', () => {
  const lines = readFixture(FIXTURE).split('\n');
  const text = [...lines.slice(0, 2), lines[3]!.slice(0, 120)].join('\n');
  assert.throws(
    () => parseCargoCriterion('cc.ndjson', text),
    (e: unknown) => e instanceof InputError && /^cc\.ndjson: truncated JSON at line 3 column \d+$/.test(e.message),
  );
  const nan = lines[0]!.replace(/"measured_values":\[[\d.]+/, '"measured_values":[null');
  assert.throws(
    () => parseCargoCriterion('cc.ndjson', nan),
    (e: unknown) => e instanceof InputError && e.message === 'cc.ndjson: NaN in measured_values[0] (line 1)',
  );
});
