import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { parseBencher, readBencher } from '../../src/formats/bencher.ts';
import { parseGeneric } from '../../src/formats/generic.ts';
import { parseMitata } from '../../src/formats/mitata.ts';
import { parseTinybench } from '../../src/formats/tinybench.ts';
import { readFixture, readJson } from './helpers.ts';

test('bencher text from Criterion 0.8: one benchmark per line, +/- as the standard deviation it is, no samples', () => {
  const text = readFixture('bencher/criterion-0.8.txt');
  const benchmarks = parseBencher('bench.txt', text);
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['fib/iter/10', 'fib/iter/40', 'checksum/sum 1KiB/u8', 'count/nonzero', 'flat/sleepless_loop', 'lone_fn'],
  );
  const line = /test count\/nonzero \.\.\. bench:\s+([\d,]+) ns\/iter \(\+\/- ([\d,]+)\)/.exec(text)!;
  const count = benchmarks[3]!;
  assert.equal(count.estimates.median, Number(line[1]!.replaceAll(',', '')));
  assert.equal(count.estimates.mean, count.estimates.median);
  assert.equal(count.estimates.spread, Number(line[2]!.replaceAll(',', '')));
  // Criterion's bencher report prints the standard deviation after +/- (not libtest's max - min).
  assert.equal(count.estimates.stdDev, count.estimates.spread);
  assert.equal(count.samples, null);
  assert.equal(count.source, 'criterion');
});

test('bencher: thousands separators, fractional ns and the MB/s suffix of libtest', () => {
  const text = [
    'running 2 tests',
    'test parse::big   ... bench:       1,234,567 ns/iter (+/- 8,910)',
    'test parse::small ... bench:          12.50 ns/iter (+/- 0.25) = 2048 MB/s',
    'test result: ok. 0 passed; 0 failed; 0 ignored; 2 measured',
  ].join('\n');
  const [big, small] = parseBencher('libtest.txt', text);
  assert.equal(big!.estimates.median, 1234567);
  assert.equal(big!.estimates.spread, 8910);
  // Inside a libtest block +/- is max - min, not a standard deviation.
  assert.equal(big!.estimates.stdDev, null);
  assert.equal(big!.source, 'libtest');
  assert.deepEqual([big!.group, big!.function], ['parse::big', null]);
  assert.equal(small!.estimates.median, 12.5);
  // MB/s = bytes * 1000 / ns  =>  bytes = 2048 * 12.5 / 1000 = 25.6, rounded.
  assert.deepEqual(small!.throughput, { kind: 'bytes', perIteration: 26 });
  assert.throws(
    () => parseBencher('bad.txt', 'test x ... bench: lots ns/iter'),
    (e: unknown) =>
      e instanceof InputError && /^bad\.txt: no readable bench lines \(line 1 is not a bench result/.test(e.message),
  );
});

test('bencher: other units keep their unit and direction; one bad line loses only itself, with a warning', () => {
  const text = [
    'test cmov ... bench:        2835 cycles/iter (+/- 14)',
    'test upload ... bench:        1911 MS/s (+/- 420)',
    'test tests::one_digit ... bench:                 1 μs/iter (+/- 1)',
    'test tests::two_digit ... bench:                22 ms/iter (+/- 22)',
    'test garbled ... bench:   ?? ns/iter',
    'test failing ... Criterion.rs ERROR: At least one measurement of benchmark failing took zero time per iteration.',
  ].join('\r\n');
  const { benchmarks, warnings } = readBencher('units.txt', text);
  assert.deepEqual(
    benchmarks.map((b) => [b.id, b.unit, b.direction, b.estimates.median, b.estimates.spread]),
    [
      ['cmov', 'cycles', 'lower', 2835, 14],
      ['upload', 'MS/s', 'higher', 1911, 420],
      ['tests::one_digit', 'ns', 'lower', 1000, 1000],
      ['tests::two_digit', 'ns', 'lower', 22e6, 22e6],
    ],
  );
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /^units\.txt: line 5 is not a bench result .*test garbled/);
  assert.match(warnings[1]!, /^units\.txt: benchmark 'failing' reported an error instead of a figure \(line 6\)/);
});

interface MitataDoc {
  layout: { name: string | null }[];
  benchmarks: {
    alias: string;
    group: number;
    runs: { name: string; stats: { p50: number; avg: number; samples: number[] } }[];
  }[];
}

test('mitata 1.x JSON: groups from the layout, one benchmark per run, raw ns samples', () => {
  const doc = readJson<MitataDoc>('mitata/mitata-1.0.34.json');
  const benchmarks = parseMitata('m.json', readFixture('mitata/mitata-1.0.34.json'));
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['fib/fib 10', 'fib/fib 40', 'json parse', 'concat 8', 'concat 64'],
  );
  const fib10 = benchmarks[0]!;
  const stats = doc.benchmarks[0]!.runs[0]!.stats;
  assert.deepEqual([fib10.group, fib10.function], ['fib', 'fib 10']);
  assert.equal(fib10.estimates.median, stats.p50);
  assert.equal(fib10.estimates.mean, stats.avg);
  assert.deepEqual(fib10.samples, stats.samples);
  assert.equal(benchmarks[4]!.samples?.length, doc.benchmarks[3]!.runs[1]!.stats.samples.length);
  assert.equal(fib10.source, 'mitata');
});

interface TinybenchDoc {
  tinybench: { name: string; latency: { samples: number[]; p50: number; mean: number; sd: number; moe: number } }[];
}

test('tinybench serialization: ms latency becomes ns, moe gives the 95% interval of the mean', () => {
  const doc = readJson<TinybenchDoc>('tinybench/tinybench-6.2.5.json');
  const benchmarks = parseTinybench('t.json', readFixture('tinybench/tinybench-6.2.5.json'));
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['fib/iter/10', 'fib/iter/40', 'json parse'],
  );
  const fib40 = benchmarks[1]!;
  const latency = doc.tinybench[1]!.latency;
  assert.deepEqual([fib40.group, fib40.function, fib40.parameter], ['fib', 'iter', '40']);
  assert.equal(fib40.estimates.median, latency.p50 * 1e6);
  assert.equal(fib40.estimates.stdDev, latency.sd * 1e6);
  assert.equal(fib40.samples?.length, 50);
  assert.equal(fib40.samples?.[7], latency.samples[7]! * 1e6);
  assert.equal(fib40.estimates.ci?.upper, latency.mean * 1e6 + latency.moe * 1e6);
  assert.equal(fib40.estimates.ci?.level, 0.95);
});

test('mitata JSON written with samples: false: p50 and avg kept, no samples, max - min as the spread', () => {
  const doc = readJson<{
    benchmarks: { runs: { stats: { p50: number; avg: number; min: number; max: number; samples: null } }[] }[];
  }>('mitata/mitata-1.0.34.no-samples.json');
  const benchmarks = parseMitata('m.json', readFixture('mitata/mitata-1.0.34.no-samples.json'));
  assert.equal(benchmarks.length, 5);
  const stats = doc.benchmarks[0]!.runs[0]!.stats;
  assert.equal(stats.samples, null);
  const fib10 = benchmarks[0]!;
  assert.deepEqual([fib10.id, fib10.samples, fib10.estimates.stdDev], ['fib/fib 10', null, null]);
  assert.equal(fib10.estimates.median, stats.p50);
  assert.equal(fib10.estimates.mean, stats.avg);
  assert.equal(fib10.estimates.spread, stats.max - stats.min);
});

test('tinybench without retainSamples (its default): the statistics without samples', () => {
  const doc = readJson<{
    tinybench: { latency: { p50: number; mean: number; sd: number; moe: number; samples?: number[] } }[];
  }>('tinybench/tinybench-6.2.5.no-samples.json');
  const benchmarks = parseTinybench('t.json', readFixture('tinybench/tinybench-6.2.5.no-samples.json'));
  const latency = doc.tinybench[1]!.latency;
  assert.equal(latency.samples, undefined);
  const fib40 = benchmarks[1]!;
  assert.equal(fib40.samples, null);
  assert.equal(fib40.estimates.median, latency.p50 * 1e6);
  assert.equal(fib40.estimates.mean, latency.mean * 1e6);
  assert.equal(fib40.estimates.stdDev, latency.sd * 1e6);
  assert.equal(fib40.estimates.ci?.lower, latency.mean * 1e6 - latency.moe * 1e6);
  assert.throws(
    () => parseTinybench('t.json', JSON.stringify({ tinybench: [{ name: 'bare', latency: {} }] })),
    (e: unknown) =>
      e instanceof InputError && e.message === "t.json: task 'bare' has neither latency.samples nor latency.mean",
  );
});

test('tinybench: a task that did not complete is an error naming it', () => {
  const text = JSON.stringify({ tinybench: [{ name: 'boom', state: 'errored', error: {} }] });
  assert.throws(
    () => parseTinybench('t.json', text),
    (e: unknown) => e instanceof InputError && e.message === `t.json: task 'boom' did not complete (state "errored")`,
  );
});

interface GenericDoc {
  benchmarks: { id: string; unit: string; samples?: number[]; value?: number }[];
}

test('generic JSON: us samples become ns, value-only higher-is-better entries keep their unit', () => {
  const doc = readJson<GenericDoc>('generic/generic.json');
  const benchmarks = parseGeneric('g.json', readFixture('generic/generic.json'));
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['fib/iter/40', 'json/parse', 'json/parse-rate'],
  );
  const fib = benchmarks[0]!;
  assert.equal(fib.unit, 'ns');
  assert.equal(fib.samples?.[0], doc.benchmarks[0]!.samples![0]! * 1000);
  const sorted = [...fib.samples!].sort((a, b) => a - b);
  assert.equal(fib.estimates.median, (sorted[14]! + sorted[15]!) / 2);
  assert.deepEqual(benchmarks[1]!.throughput?.kind, 'bytes');
  const rate = benchmarks[2]!;
  assert.deepEqual([rate.unit, rate.direction, rate.samples], ['parses/s', 'higher', null]);
  assert.equal(rate.estimates.median, doc.benchmarks[2]!.value);
});

test('generic JSON: typos and missing data are reported with their JSON path', () => {
  const cases: [unknown, RegExp][] = [
    [{ benchmarks: [{ id: 'a', unit: 'ns', valeu: 3 }] }, /benchmarks\[0\] has unknown key 'valeu'/],
    [{ benchmarks: [{ id: 'a', unit: 'ns' }] }, /benchmarks\[0\] \('a'\) needs a value or samples/],
    [{ benchmarks: [{ id: 'a', unit: 'req/s', value: 3 }] }, /benchmarks\[0\]\.direction is required/],
    [{ benchmarks: [{ id: 'a', unit: 'ms', samples: [1, null] }] }, /NaN in benchmarks\[0\]\.samples\[1\]/],
    [
      {
        benchmarks: [
          { id: 'a', unit: 'ms', value: 1 },
          { id: 'a', unit: 'ms', value: 2 },
        ],
      },
      /duplicate benchmark id 'a'/,
    ],
    [{ benchmarks: [] }, /^g\.json: no benchmarks found$/],
  ];
  for (const [doc, pattern] of cases) {
    assert.throws(
      () => parseGeneric('g.json', JSON.stringify(doc)),
      (e: unknown) => e instanceof InputError && e.file === 'g.json' && pattern.test(e.message),
    );
  }
});
