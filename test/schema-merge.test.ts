import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../src/common/errors.ts';
import { mergeResults } from '../src/schema/merge.ts';
import { SCHEMA_VERSION, type Benchmark, type Results, type RunMeta } from '../src/schema/types.ts';
import { validateResults } from '../src/schema/validate.ts';

const run = (versions: Record<string, string>): RunMeta => ({
  tool: { name: 'bench-action', version: '0.1.0' },
  commit: 'abc',
  ref: null,
  timestamp: '2026-11-26T00:00:00.000Z',
  runner: null,
  versions,
});

const bench = (id: string): Benchmark => ({
  id,
  metric: 'time',
  group: id.split('/')[0] ?? id,
  function: null,
  parameter: null,
  source: 'generic',
  unit: 'ns',
  direction: 'lower',
  estimates: { median: 1, mean: 1, stdDev: null, ci: null },
  throughput: null,
  samples: null,
});

const results = (ids: string[], versions: Record<string, string>, extra: Partial<Results> = {}): Results => ({
  schemaVersion: SCHEMA_VERSION,
  run: run(versions),
  benchmarks: ids.map(bench),
  ...extra,
});

test('merging keeps every benchmark, pair and check and the versions of all parts', () => {
  const merged = mergeResults(
    [
      { origin: 'target/criterion', results: results(['a/x', 'a/y'], { rustc: '1.95.0' }) },
      {
        origin: 'node.json',
        results: results(
          ['node/get/sark', 'node/get/redis'],
          { node: 'v20' },
          {
            pairs: [{ name: 'get', contender: 'node/get/sark', reference: 'node/get/redis' }],
            checks: [{ id: 'memory/cache', passed: true, metrics: { rssGrowthMb: 3 }, limits: { rssGrowthMb: 30 } }],
          },
        ),
      },
    ],
    run({ node: 'v24' }),
  );
  assert.deepEqual(
    merged.benchmarks.map((b) => b.id),
    ['a/x', 'a/y', 'node/get/sark', 'node/get/redis'],
  );
  assert.equal(merged.pairs?.length, 1);
  assert.equal(merged.checks?.[0]?.id, 'memory/cache');
  assert.deepEqual(merged.run.versions, { rustc: '1.95.0', node: 'v24' });
  assert.equal(validateResults(merged).ok, true);
});

test('a benchmark id in two inputs is an error naming both', () => {
  assert.throws(
    () =>
      mergeResults(
        [
          { origin: 'one.json', results: results(['a/x'], {}) },
          { origin: 'two.json', results: results(['a/x'], {}) },
        ],
        run({}),
      ),
    (error: unknown) =>
      error instanceof InputError && /two\.json: benchmark 'a\/x' is also in one\.json/.test(error.message),
  );
});
