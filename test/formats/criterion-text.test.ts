import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCriterionText } from '../../src/formats/criterion-text.ts';
import { detectFormat, parseCriterion, parseInput } from '../../src/formats/index.ts';
import { readFixture, readJson, readTree } from './helpers.ts';

const TEXT = 'criterion-text/criterion-0.8-cargo-bench.txt';
const RUN = 'criterion-text/criterion-0.8-run';

interface Estimate {
  point_estimate: number;
  confidence_interval: { lower_bound: number; upper_bound: number; confidence_level: number };
}

/** Criterion prints 5 significant digits. */
function near(got: number, want: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 5e-5 * Math.abs(want), `${what}: ${got} vs ${want}`);
}

test('Criterion terminal output of a real cargo bench: every benchmark, typical estimate and interval as in its estimates.json', () => {
  const text = readFixture(TEXT);
  assert.equal(detectFormat({ kind: 'file', path: 'bench.txt', text }), 'criterion-text');
  const { benchmarks, warnings } = readCriterionText('bench.txt', text);
  assert.deepEqual(warnings, []);
  // The same run's own files: ids, and the estimate Criterion calls typical (slope, else mean).
  const dir = parseCriterion(RUN, readTree(RUN));
  assert.deepEqual(benchmarks.map((b) => b.id).sort(), dir.map((b) => b.id).sort());
  // The long id stood on its own line; the name with a space kept it.
  assert.ok(benchmarks.some((b) => b.id === 'a_rather_long_group_name/with_a_long_function_name/1024'));
  for (const b of benchmarks) {
    const fromDir = dir.find((d) => d.id === b.id)!;
    const dirName = b.id === 'checksum/sum 1KiB/u8' ? 'checksum/sum 1KiB_u8' : b.id;
    const est = readJson<Record<string, Estimate | null>>(`${RUN}/${dirName}/new/estimates.json`);
    const typical = est.slope ?? est.mean!;
    near(b.estimates.median, typical.point_estimate, `${b.id} typical`);
    assert.equal(b.estimates.mean, b.estimates.median);
    near(b.estimates.ci!.lower, typical.confidence_interval.lower_bound, `${b.id} lower`);
    near(b.estimates.ci!.upper, typical.confidence_interval.upper_bound, `${b.id} upper`);
    assert.equal(b.estimates.ci!.level, typical.confidence_interval.confidence_level);
    assert.deepEqual([b.unit, b.metric, b.direction, b.samples], ['ns', 'time', 'lower', null]);
    // thrpt lines give back the throughput Criterion was configured with.
    assert.deepEqual(b.throughput, fromDir.throughput, b.id);
  }
  assert.deepEqual(benchmarks.find((b) => b.id === 'count/nonzero')?.throughput, {
    kind: 'elements',
    perIteration: 1024,
  });
});

test('Criterion terminal output: other units, a name with ": " in it, colour codes, and an unreadable time line is a warning', () => {
  const text = [
    '\u001b[32mparse\u001b[0m                   time:   [1.0000 µs 1.0500 µs 1.1000 µs]',
    'benchmark: name with spaces    time:   [18.195 ns 20.930 ns 24.240 ns]',
    'cmov                    time:   [2835.1 cycles 2840.2 cycles 2851.9 cycles]',
    'broken                  time:   [1.0 ns 1.1 zz 1.2 ns]',
    '                        change: [−2.0% +0.1% +3.0%] (p = 0.79 > 0.05)',
  ].join('\n');
  const parsed = parseInput({ kind: 'file', path: 'c.txt', text });
  assert.ok(parsed.format === 'criterion-text');
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.unit, b.metric, b.estimates.median]),
    [
      ['parse', 'ns', 'time', 1050],
      ['benchmark: name with spaces', 'ns', 'time', 20.93],
      ['cmov', 'cycles', 'cycles', 2840.2],
    ],
  );
  assert.deepEqual(parsed.warnings, [
    'c.txt: line 4 is not a Criterion result this reader understands; left out: broken                  time:   [1.0 ns 1.1 zz 1.2 ns]',
  ]);
});

test("cargo bench over a workspace: libtest bench lines and Criterion's report in one file are both read", () => {
  const libtest = [
    'running 2 tests',
    'test parse_small ... bench:         812 ns/iter (+/- 33)',
    'test parse_large ... bench:      91,200 ns/iter (+/- 1,500)',
    '',
    'test result: ok. 0 passed; 0 failed; 0 ignored; 2 measured; 0 filtered out',
    '',
  ].join('\n');
  const criterion = readFixture(TEXT);
  const parsed = parseInput({ kind: 'file', path: 'bench.txt', text: `${libtest}${criterion}` });
  assert.ok(parsed.format === 'bencher');
  const ids = parsed.benchmarks.map((b) => b.id);
  assert.deepEqual(ids.slice(0, 2), ['parse_small', 'parse_large']);
  assert.deepEqual(
    ids.slice(2).sort(),
    readCriterionText('c.txt', criterion)
      .benchmarks.map((b) => b.id)
      .sort(),
  );
  assert.deepEqual(parsed.warnings, []);
});
