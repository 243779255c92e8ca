import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBmf } from '../../src/formats/bmf.ts';
import { customReader } from '../../src/formats/custom.ts';
import { parseHyperfine } from '../../src/formats/hyperfine.ts';
import { detectFormat, parseInput } from '../../src/formats/index.ts';
import { readFixture, readJson } from './helpers.ts';

interface HyperfineDoc {
  results: {
    command: string;
    mean: number;
    median: number;
    stddev: number;
    times: number[];
    parameters?: Record<string, string>;
  }[];
}

test('hyperfine --export-json: one benchmark per command, every run a sample, seconds become ns', () => {
  for (const rel of ['hyperfine/hyperfine-1.15.0.json', 'hyperfine/hyperfine-1.15.0-parameters.json']) {
    const doc = readJson<HyperfineDoc>(rel);
    const text = readFixture(rel);
    assert.equal(detectFormat({ kind: 'file', path: 'h.json', text }), 'hyperfine');
    const benchmarks = parseHyperfine('h.json', text);
    assert.deepEqual(
      benchmarks.map((b) => b.id),
      doc.results.map((r) => r.command),
    );
    for (const [i, b] of benchmarks.entries()) {
      const r = doc.results[i]!;
      assert.deepEqual(
        b.samples,
        r.times.map((t) => t * 1e9),
      );
      assert.equal(b.estimates.median, r.median * 1e9);
      assert.equal(b.estimates.mean, r.mean * 1e9);
      assert.equal(b.estimates.stdDev, r.stddev * 1e9);
      assert.deepEqual([b.unit, b.direction, b.metric, b.source], ['ns', 'lower', 'time', 'hyperfine']);
      assert.equal(
        b.parameter,
        r.parameters
          ? Object.entries(r.parameters)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')
          : null,
      );
    }
  }
  assert.deepEqual(
    parseHyperfine('h.json', readFixture('hyperfine/hyperfine-1.15.0.json')).map((b) => b.id),
    ['short sleep', 'sleep 0.02'],
  );
});

// github-action-benchmark's own README examples of its custom JSON.
const SMALLER = JSON.stringify([
  {
    name: 'My Custom Smaller Is Better Benchmark - CPU Load',
    unit: 'Percent',
    value: 50,
    range: '5%',
    extra: 'tooltip',
  },
  { name: 'Memory Used', unit: 'Megabytes', value: 100 },
  { name: 'Parse', unit: 'ms', value: 1.5, range: '± 0.25' },
]);

test('github-action-benchmark custom JSON: the format name gives the direction, time units become ns, range the spread', () => {
  const smaller = customReader('lower')('c.json', SMALLER);
  assert.deepEqual(smaller.warnings, []);
  assert.deepEqual(
    smaller.benchmarks.map((b) => [
      b.id,
      b.unit,
      b.metric,
      b.direction,
      b.estimates.median,
      b.estimates.spread ?? null,
    ]),
    [
      ['My Custom Smaller Is Better Benchmark - CPU Load', 'Percent', 'Percent', 'lower', 50, 2.5],
      ['Memory Used', 'Megabytes', 'Megabytes', 'lower', 100, null],
      ['Parse', 'ns', 'time', 'lower', 1.5e6, 0.25e6],
    ],
  );
  const bigger = customReader('higher')('c.json', SMALLER);
  assert.ok(bigger.benchmarks.every((b) => b.direction === 'higher'));
});

test('custom JSON detected without a format name: rates are higher, time lower, anything else lower with a warning', () => {
  const text = JSON.stringify([
    { name: 'rps', unit: 'req/s', value: 70 },
    { name: 'latency', unit: 'us', value: 3 },
    { name: 'memory', unit: 'Megabytes', value: 150 },
  ]);
  assert.equal(detectFormat({ kind: 'file', path: 'c.json', text }), 'custom');
  const parsed = parseInput({ kind: 'file', path: 'c.json', text });
  assert.equal(parsed.format, 'custom');
  assert.deepEqual(parsed.format === 'custom' ? parsed.benchmarks.map((b) => b.direction) : [], [
    'higher',
    'lower',
    'lower',
  ]);
  assert.equal(parsed.warnings.length, 1);
  assert.match(
    parsed.warnings[0]!,
    /^c\.json: 'memory' is read as smaller is better, since the file cannot say; use --input-format customBiggerIsBetter/,
  );
  const forced = parseInput({ kind: 'file', path: 'c.json', text }, 'customBiggerIsBetter');
  assert.deepEqual(forced.format === 'customBiggerIsBetter' ? forced.benchmarks.map((b) => b.direction) : [], [
    'higher',
    'higher',
    'higher',
  ]);
  assert.deepEqual(forced.warnings, []);
});

test('Bencher Metric Format: one benchmark per measure, latency is the time metric, throughput higher, bounds as spread', () => {
  const text = JSON.stringify({
    'parse/small': { latency: { value: 88.5, lower_value: 87, upper_value: 90.5 }, throughput: { value: 1.1e7 } },
    'cache::get': { instructions: { value: 1234 }, 'file-size': { value: 4096, lower_value: 5000, upper_value: 6000 } },
  });
  assert.equal(detectFormat({ kind: 'file', path: 'b.json', text }), 'bmf');
  const { benchmarks, warnings } = readBmf('b.json', text);
  assert.deepEqual(
    benchmarks.map((b) => [b.id, b.metric, b.unit, b.direction, b.estimates.median, b.estimates.spread ?? null]),
    [
      ['parse/small', 'time', 'ns', 'lower', 88.5, 3.5],
      ['parse/small', 'throughput', 'ops/s', 'higher', 1.1e7, null],
      ['cache::get', 'instructions', 'instructions', 'lower', 1234, null],
      ['cache::get', 'file-size', 'file-size', 'lower', 4096, null],
    ],
  );
  assert.deepEqual(warnings, [
    'b.json: "cache::get".file-size: lower_value 5000 and upper_value 6000 do not enclose value 4096; the bounds are left out',
  ]);
});

test('a JSON of no known shape is "unrecognized format" naming the closest formats and --format, never a generic key error', () => {
  const text = JSON.stringify({ benchmarks: [{ name: 'x', ns: 3 }] });
  assert.throws(
    () => detectFormat({ kind: 'file', path: 'u.json', text }),
    (e: unknown) =>
      e instanceof Error &&
      e.message ===
        'u.json: unrecognized format: JSON of no known shape (closest: google-benchmark (lacks context, benchmarks[].real_time, benchmarks[].time_unit); results (lacks schemaVersion, run)); if it is one of these, say which with parse --input-format NAME (the action: a results line NAME: PATH)',
  );
  assert.throws(
    () => detectFormat({ kind: 'file', path: 'v.json', text: '{"rows": [1]}' }),
    /^InputError: v\.json: unrecognized format: JSON of no known shape \(expected one of: a Criterion directory, bencher, .*hyperfine/,
  );
});
