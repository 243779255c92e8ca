import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NODE_SUITE_UNIT, parseBenchList, shareOf } from '../../src/shard/share.ts';
import type { Benchmark, Results } from '../../src/schema/types.ts';
import { validateResults } from '../../src/schema/validate.ts';

const FIXTURE = 'fixtures/results/criterion-0.8-run-a.json';

function fixture(): Results {
  const outcome = validateResults(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  assert.ok(outcome.ok);
  return outcome.value;
}

test('the ids of cargo bench -- --list: Criterion 0.3 (": bench"), 0.5 (": benchmark") and libtest, among cargo chatter', () => {
  const text = [
    '   Compiling first-contact v0.1.0 (/tmp/x)',
    '    Finished `bench` profile [optimized] target(s) in 23.22s',
    '     Running benches/parse.rs (target/release/deps/parse-67dcd82ee1ab4974)',
    'Gnuplot not found, using plotters backend',
    'parse_digits/12: bench',
    'cache get/moka/1000: benchmark',
    'tests::bench_add: bench',
    '',
    'parse_digits/12: bench',
    '3 benchmarks',
  ].join('\n');
  assert.deepEqual(parseBenchList(text), ['parse_digits/12', 'cache get/moka/1000', 'tests::bench_add']);
});

test('every shard runs the controls; the rest is split disjointly; the filter matches its ids and the controls only', () => {
  const results = fixture();
  const listed = results.benchmarks.map((b) => b.id);
  const controls = listed.slice(0, 2);
  const isControl = (id: string): boolean => controls.includes(id);
  const shares = [1, 2, 3].map((index) =>
    shareOf({ spec: { index, count: 3 }, listed, baseline: results.benchmarks, isControl, nodeSuite: false }),
  );
  const planned = shares.flatMap((s) => s.ids);
  assert.equal(new Set(planned).size, planned.length);
  assert.deepEqual([...planned].sort(), listed.filter((id) => !isControl(id)).sort());
  for (const share of shares) {
    assert.deepEqual(share.controls, [...controls].sort());
    assert.equal(share.nodeSuite, false);
    const filter = new RegExp(share.filter ?? '^$.');
    assert.deepEqual(listed.filter((id) => filter.test(id)).sort(), [...share.ids, ...controls].sort());
    assert.equal(share.balancedByDuration, true);
  }
});

test("the Node suite is one unit: exactly one shard runs it, weighed by the baseline's Node benchmarks", () => {
  const criterion = (id: string): Benchmark => ({
    id,
    metric: 'time',
    group: id,
    function: null,
    parameter: null,
    source: 'criterion',
    unit: 'ns',
    direction: 'lower',
    estimates: { median: 1, mean: 1, stdDev: 0, ci: null },
    throughput: null,
    samples: Array(10).fill(1) as number[],
  });
  const node = (id: string): Benchmark => ({
    ...criterion(id),
    source: 'mitata',
    estimates: { median: 1e9, mean: 1e9, stdDev: 0, ci: null },
    samples: Array(100).fill(1e9) as number[],
  });
  const ids = ['a', 'b', 'c', 'd'];
  const baseline = [...ids.map(criterion), node('node/x')];
  const shares = [1, 2].map((index) =>
    shareOf({ spec: { index, count: 2 }, listed: ids, baseline, isControl: () => false, nodeSuite: true }),
  );
  assert.deepEqual(shares.map((s) => s.nodeSuite).sort(), [false, true]);
  // The Node suite (100 s) outweighs the four Criterion benchmarks (8 s each): its shard runs nothing else.
  const withNode = shares.find((s) => s.nodeSuite);
  assert.deepEqual(withNode?.ids, []);
  assert.equal(withNode?.filter, null, 'no cargo bench at all on that shard');
  assert.ok(!shares.some((s) => s.ids.includes(NODE_SUITE_UNIT)));
  assert.deepEqual(shares.find((s) => !s.nodeSuite)?.ids, ids);
});

test('without a baseline the split is by hash, the same whatever the listing order', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `g/${i}`);
  const one = shareOf({
    spec: { index: 1, count: 2 },
    listed: ids,
    baseline: null,
    isControl: () => false,
    nodeSuite: false,
  });
  const again = shareOf({
    spec: { index: 1, count: 2 },
    listed: [...ids].reverse(),
    baseline: null,
    isControl: () => false,
    nodeSuite: false,
  });
  assert.deepEqual(one.ids, again.ids);
  assert.equal(one.ids.length, 10);
  assert.equal(one.balancedByDuration, false);
});

test("the gungraun benches are one more unit: one shard runs them, and it is never the Node suite's when two shards are free", () => {
  const ids = ['a', 'b'];
  const shares = [1, 2, 3, 4].map((index) =>
    shareOf({
      spec: { index, count: 4 },
      listed: ids,
      baseline: null,
      isControl: () => false,
      nodeSuite: true,
      gungraun: true,
    }),
  );
  assert.equal(shares.filter((s) => s.gungraun).length, 1);
  assert.equal(shares.filter((s) => s.nodeSuite).length, 1);
  assert.equal(
    shares.filter((s) => s.gungraun || s.nodeSuite || s.ids.length > 0).length,
    4,
    'four units on four shards',
  );
  assert.deepEqual(shares.flatMap((s) => s.ids).sort(), ids);
});

test('shard artifact names: one per shard, with the suite when there is one', async () => {
  const { shardArtifactName } = await import('../../src/github/shard-artifacts.ts');
  assert.equal(shardArtifactName({ index: 2, count: 4 }), 'bench-action-shard-2-of-4');
  assert.equal(shardArtifactName({ index: 2, count: 4 }, 'linux'), 'bench-action-linux-shard-2-of-4');
});
