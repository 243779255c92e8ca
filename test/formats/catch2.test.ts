import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCatch2 } from '../../src/formats/catch2.ts';
import { detectFormat, parseInput } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

const CONSOLE = 'catch2/catch2-2.13.10-console.txt';
const XML = 'catch2/catch2-2.13.10.xml';
const NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

/** The three `value unit` pairs of a console row, in ns, read the plain way. */
function row(line: string): number[] {
  const tokens = line.trim().split(/\s+/);
  return [0, 2, 4].map((i) => Number(tokens[i]) * NS[tokens[i + 1] ?? '']!);
}

test('Catch2 v2 console output of a real run: mean, its interval and std dev as printed; wrapped and repeated names', () => {
  const text = readFixture(CONSOLE);
  assert.equal(detectFormat({ kind: 'file', path: 'out.txt', text }), 'catch2');
  const { benchmarks, warnings } = readCatch2('out.txt', text);
  assert.deepEqual(warnings, []);
  // "Fibonacci 10" is a benchmark of two test cases: each keeps its test case in front.
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    [
      'Fibonacci/Fibonacci 10',
      'Fibonacci 40',
      'sorting a vector of two thousand integers that arrive in reverse order',
      'Again/Fibonacci 10',
    ],
  );
  const lines = text.split('\n');
  // Each benchmark's first row ends in samples, iterations and the estimate; the next two are mean and std dev.
  const starts = lines.flatMap((l, i) => (/\s\d+\s+\d+\s+[\d.]+ (?:ns|us|ms|s)\s*$/.test(l) ? [i] : []));
  assert.equal(starts.length, benchmarks.length);
  benchmarks.forEach((b, k) => {
    const [mean, low, high] = row(lines[starts[k]! + 1]!);
    const [sd] = row(lines[starts[k]! + 2]!);
    assert.equal(b.estimates.mean, mean);
    assert.equal(b.estimates.median, mean);
    assert.equal(b.estimates.stdDev, sd);
    assert.deepEqual(b.estimates.ci, { lower: low, upper: high, level: 0.95 });
    assert.deepEqual([b.unit, b.metric, b.direction, b.source, b.samples], ['ns', 'time', 'lower', 'catch2', null]);
  });
});

test('Catch2 v2 XML reporter of a real run: values in ns as the XML holds them, the ci level it states', () => {
  const text = readFixture(XML);
  assert.equal(detectFormat({ kind: 'file', path: 'out.xml', text }), 'catch2');
  const { benchmarks, warnings } = readCatch2('out.xml', text);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    [
      'Fibonacci/Fibonacci 10',
      'Fibonacci 40',
      'sorting a vector of two thousand integers that arrive in reverse order',
      'Again/Fibonacci 10',
    ],
  );
  const means = [...text.matchAll(/<mean value="([^"]+)" lowerBound="([^"]+)" upperBound="([^"]+)" ci="([^"]+)"/g)];
  const sds = [...text.matchAll(/<standardDeviation value="([^"]+)"/g)];
  benchmarks.forEach((b, k) => {
    const [, value, lower, upper, ci] = means[k]!.map(Number);
    assert.deepEqual(b.estimates, {
      median: value,
      mean: value,
      stdDev: Number(sds[k]![1]),
      ci: { lower, upper, level: ci },
    });
  });
});

test('Catch2 v3 console layout (the "est run time" header, 37-column names) reads the same way', () => {
  // The layout Catch2 3.x's console reporter prints (as in projects' published v3 output; no v3 could be installed
  // here).
  const v3 = [
    'benchmark name                       samples       iterations    est run time',
    '                                     mean          low mean      high mean',
    '                                     std dev       low std dev   high std dev',
    '-------------------------------------------------------------------------------',
    'Parser benchmark 1                             100             5    1.11601 ms ',
    '                                        2.41365 us    2.29888 us    2.90215 us ',
    '                                        1.03211 us    190.412 ns    2.41793 us ',
    '                                                                               ',
    '===============================================================================',
  ].join('\n');
  const parsed = parseInput({ kind: 'file', path: 'v3.txt', text: v3 });
  assert.ok(parsed.format === 'catch2');
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.estimates.mean, b.estimates.stdDev, b.estimates.ci]),
    [['Parser benchmark 1', 2.41365 * 1e3, 1.03211 * 1e3, { lower: 2.29888 * 1e3, upper: 2.90215 * 1e3, level: 0.95 }]],
  );
});

test('Catch2 v3 XML reporter (root <Catch2TestRun>, no <Group>) reads the same way', () => {
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Catch2TestRun name="bench" rng-seed="1" catch2-version="3.5.2">',
    '  <TestCase name="Parser" tags="[bench]" filename="p.cpp" line="6">',
    '    <BenchmarkResults name="parse &amp; check" samples="100" resamples="100000" iterations="5" clockResolution="20" estimatedDuration="1116010">',
    '      <!-- All values in nano seconds -->',
    '      <mean value="2413.65" lowerBound="2298.88" upperBound="2902.15" ci="0.99"/>',
    '      <standardDeviation value="1032.11" lowerBound="190.412" upperBound="2417.93" ci="0.99"/>',
    '      <outliers variance="0.9" lowMild="0" lowSevere="0" highMild="1" highSevere="2"/>',
    '    </BenchmarkResults>',
    '    <OverallResult success="true" skips="0"/>',
    '  </TestCase>',
    '</Catch2TestRun>',
  ].join('\n');
  const parsed = parseInput({ kind: 'file', path: 'v3.xml', text: xml });
  assert.ok(parsed.format === 'catch2');
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.estimates]),
    [
      [
        'parse & check',
        { median: 2413.65, mean: 2413.65, stdDev: 1032.11, ci: { lower: 2298.88, upper: 2902.15, level: 0.99 } },
      ],
    ],
  );
});

test('Catch2: a benchmark whose result rows are cut off is a warning naming it; the others stay', () => {
  const lines = readFixture(CONSOLE).split('\n');
  const at = lines.findIndex((l) => l.startsWith('Fibonacci 40'));
  const cut = [...lines.slice(0, at + 1), ...lines.slice(at + 3)].join('\n');
  const { benchmarks, warnings } = readCatch2('cut.txt', cut);
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    [
      'Fibonacci/Fibonacci 10',
      'sorting a vector of two thousand integers that arrive in reverse order',
      'Again/Fibonacci 10',
    ],
  );
  assert.deepEqual(warnings, [
    `cut.txt: benchmark 'Fibonacci 40' at line ${at + 1} has no mean and std dev rows this reader understands; left out`,
  ]);
});
