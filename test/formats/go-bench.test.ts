import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGoBench } from '../../src/formats/go-bench.ts';
import { detectFormat } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

const MULTI = 'go/go-1.26-count3-benchmem.txt';
const ONE = 'go/go-1.26-one-package.txt';
const CPUS = 'go/go-1.26-cpu-1-2.txt';

/** The value before `unit` on each line of `name`, as go test printed it. */
function printed(text: string, name: string, unit: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.split(/\s+/)[0] === name)
    .map((line) => {
      const tokens = line.trim().split(/\s+/);
      return Number(tokens[tokens.indexOf(unit) - 1]);
    });
}

test('go test -count 3 -benchmem over two packages: package in the id, -N dropped, each metric with its unit and direction', () => {
  const text = readFixture(MULTI);
  assert.equal(detectFormat({ kind: 'file', path: 'go.txt', text }), 'go');
  const { benchmarks, warnings } = readGoBench('go.txt', text);
  assert.deepEqual(warnings, []);
  const time = benchmarks.filter((b) => b.metric === 'time');
  assert.deepEqual(
    time.map((b) => b.id),
    [
      'BenchmarkFib10 (example.com/benchfixture/fib)',
      'BenchmarkFib/n=20 (example.com/benchfixture/fib)',
      'BenchmarkFib/n=40 (example.com/benchfixture/fib)',
      'BenchmarkSum (example.com/benchfixture/sum)',
    ],
  );
  const sum = (metric: string) =>
    benchmarks.find((b) => b.id === 'BenchmarkSum (example.com/benchfixture/sum)' && b.metric === metric)!;
  assert.deepEqual(sum('time').samples, printed(text, 'BenchmarkSum-2', 'ns/op'));
  assert.equal(sum('time').samples?.length, 3);
  assert.deepEqual([sum('time').unit, sum('time').direction], ['ns', 'lower']);
  assert.deepEqual(sum('MB/s').samples, printed(text, 'BenchmarkSum-2', 'MB/s'));
  assert.deepEqual([sum('MB/s').unit, sum('MB/s').direction], ['MB/s', 'higher']);
  assert.deepEqual([sum('B/op').unit, sum('B/op').direction, sum('B/op').estimates.median], ['B/op', 'lower', 1024]);
  assert.deepEqual([sum('allocs/op').direction, sum('allocs/op').estimates.median], ['lower', 1]);
  const sorted = [...printed(text, 'BenchmarkSum-2', 'ns/op')].sort((a, b) => a - b);
  assert.equal(sum('time').estimates.median, sorted[1]);
  const steps = benchmarks.find(
    (b) => b.id === 'BenchmarkFib/n=40 (example.com/benchfixture/fib)' && b.metric === 'steps/op',
  )!;
  assert.deepEqual([steps.unit, steps.estimates.median], ['steps/op', 40]);
});

test('go test over one package: bare names, one line each (no samples)', () => {
  const text = readFixture(ONE);
  const time = readGoBench('one.txt', text).benchmarks.filter((b) => b.metric === 'time');
  assert.deepEqual(
    time.map((b) => b.id),
    ['BenchmarkFib10', 'BenchmarkFib/n=20', 'BenchmarkFib/n=40'],
  );
  assert.equal(time[0]!.samples, null);
  assert.equal(time[0]!.estimates.median, printed(text, 'BenchmarkFib10-2', 'ns/op')[0]);
});

test('go test -cpu 1,2: the CPU suffix is kept where it is what tells two runs apart', () => {
  const time = readGoBench('cpu.txt', readFixture(CPUS)).benchmarks.filter((b) => b.metric === 'time');
  assert.deepEqual(
    time.map((b) => b.id),
    [
      'BenchmarkFib10',
      'BenchmarkFib10-2',
      'BenchmarkFib/n=20',
      'BenchmarkFib/n=20-2',
      'BenchmarkFib/n=40',
      'BenchmarkFib/n=40-2',
    ],
  );
});

test('go: a line that cannot be read is a warning; -v progress lines are not', () => {
  const text = [
    'pkg: x',
    'BenchmarkA',
    'BenchmarkA-8   \t 100\t 12.5 ns/op',
    'BenchmarkB-8   \t 100\t twelve ns/op',
    '--- FAIL: BenchmarkC',
  ].join('\n');
  const { benchmarks, warnings } = readGoBench('v.txt', text);
  assert.deepEqual(
    benchmarks.map((b) => [b.id, b.estimates.median]),
    [['BenchmarkA', 12.5]],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^v\.txt: line 4 is not a benchmark result/);
});
