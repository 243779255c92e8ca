import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJmh } from '../../src/formats/jmh.ts';
import { detectFormat } from '../../src/formats/index.ts';
import { readFixture, readJson } from './helpers.ts';

const JSON_FILE = 'jmh/jmh-1.37.json';
/** The table JMH printed at the end of the same run. */
const SUMMARY = 'jmh/jmh-1.37-summary.txt';
const NS_PER: Record<string, number> = { 'ns/op': 1, 'us/op': 1e3, 'ms/op': 1e6, 's/op': 1e9 };

interface Row {
  id: string;
  metric: string;
  mode: string;
  score: number;
  error: number | null;
  unit: string;
}

/** `FibBench.fib:gc.alloc.rate  10  thrpt  4  0.027 ± 0.007  MB/sec`, with JMH's ≈ rows left out. */
function summary(text: string): Row[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line): Row[] => {
      const m = /^(\S+)\s+(\d+)\s+(\w+)\s+\d+\s+(-?[\d.]+)(?:\s+±\s+([\d.]+))?\s+(\S+)$/.exec(line.trim());
      if (!m) return [];
      const [, name = '', n = '', mode = '', score = '', error, unit = ''] = m;
      const [method = '', secondary] = name.split(':');
      return [
        {
          id: `fixture.${method} ( {"n":"${n}"} )`,
          metric: secondary ?? (unit in NS_PER ? 'time' : unit),
          mode,
          score: Number(score),
          error: error === undefined ? null : Number(error),
          unit,
        },
      ];
    });
}

test('JMH JSON of a real run (2 methods x 2 params x thrpt/avgt, -prof gc): scores, errors and units as JMH printed them', () => {
  const text = readFixture(JSON_FILE);
  assert.equal(detectFormat({ kind: 'file', path: 'jmh.json', text }), 'jmh');
  const { benchmarks, warnings } = readJmh('jmh.json', text);
  assert.deepEqual(warnings, []);
  const rows = summary(readFixture(SUMMARY));
  assert.ok(rows.length >= 16, `${rows.length} rows`);
  for (const row of rows) {
    // Secondary metrics of the second mode of one method are named with their mode.
    const candidates = benchmarks.filter(
      (b) => b.id === row.id && (b.metric === row.metric || b.metric === `${row.metric} (${row.mode})`),
    );
    const b = row.mode === 'thrpt' ? candidates[0] : candidates[candidates.length - 1];
    assert.ok(b, `${row.id} ${row.metric} ${row.mode}`);
    const scale = NS_PER[row.unit] ?? 1;
    const what = `${row.id} [${b.metric}]`;
    assert.ok(
      Math.abs(b.estimates.mean / scale - row.score) <= 0.0005 + 1e-9,
      `${what}: ${b.estimates.mean / scale} vs ${row.score}`,
    );
    if (row.error !== null)
      assert.ok(
        Math.abs((b.estimates.ci!.upper - b.estimates.ci!.lower) / 2 / scale - row.error) <= 0.0005 + 1e-9,
        `${what} error`,
      );
    assert.equal(b.estimates.ci?.level, 0.999);
    if (row.metric === 'time') assert.deepEqual([b.unit, b.direction], ['ns', 'lower']);
    else if (row.unit === 'ops/us') assert.deepEqual([b.unit, b.metric, b.direction], ['ops/us', 'ops/us', 'higher']);
    else assert.deepEqual([b.unit, b.direction], [row.unit, 'lower']);
  }
});

test("JMH: rawData (every fork's iterations) are the samples, time scores in ns", () => {
  const raw = readJson<
    {
      benchmark: string;
      mode: string;
      params: { n: string };
      primaryMetric: { rawData: number[][]; scoreUnit: string; scorePercentiles: Record<string, number> };
    }[]
  >(JSON_FILE);
  const { benchmarks } = readJmh('jmh.json', readFixture(JSON_FILE));
  const avgt = raw.find((r) => r.mode === 'avgt' && r.benchmark === 'fixture.FibBench.fib' && r.params.n === '30')!;
  assert.equal(avgt.primaryMetric.scoreUnit, 'us/op');
  const b = benchmarks.find((x) => x.id === 'fixture.FibBench.fib ( {"n":"30"} )' && x.metric === 'time')!;
  assert.deepEqual(
    b.samples,
    avgt.primaryMetric.rawData.flat().map((v) => v * 1000),
  );
  assert.equal(b.estimates.median, avgt.primaryMetric.scorePercentiles['50.0']! * 1000);
  assert.equal(b.source, 'jmh');
});

test('JMH-like JSON without a primaryMetric is "unrecognized format" naming jmh and what it lacks', () => {
  const text = JSON.stringify([{ benchmark: 'a.B.c', mode: 'thrpt', score: 1 }]);
  assert.throws(
    () => detectFormat({ kind: 'file', path: 'j.json', text }),
    /^InputError: j\.json: unrecognized format: JSON of no known shape \(closest: jmh \(lacks \[\]\.primaryMetric\).*--input-format NAME/,
  );
});
