import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  criterionFilter,
  durationsFrom,
  escapeRegex,
  estimateSeconds,
  parseShardSpec,
  planShards,
  type Plan,
} from '../../src/shard/plan.ts';
import type { Benchmark, Results } from '../../src/schema/types.ts';
import { validateResults } from '../../src/schema/validate.ts';

const FIXTURE = 'fixtures/results/criterion-0.8-run-a.json';

function fixture(): Results {
  const outcome = validateResults(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  assert.ok(outcome.ok);
  return outcome.value;
}

function checkPartition(plan: Plan, ids: readonly string[], count: number): void {
  assert.equal(plan.shards.length, count);
  const all = plan.shards.flatMap((s) => s.ids);
  assert.equal(new Set(all).size, all.length, 'no id is in two shards');
  assert.deepEqual([...all].sort(), [...new Set(ids)].sort(), 'the shards cover every id');
  assert.deepEqual(
    plan.shards.map((s) => s.index),
    Array.from({ length: count }, (_, i) => i + 1),
  );
}

/** LPT's guarantee: no shard exceeds the mean load by more than its smallest item (the last it received). */
function checkBalanced(plan: Plan, durations: ReadonlyMap<string, number>): void {
  const loads = plan.shards.map((s) => s.seconds);
  const total = loads.reduce((a, b) => a + b, 0);
  const longest = Math.max(...durations.values());
  assert.ok(Math.max(...loads) <= total / plan.shards.length + longest + 1e-9, `loads ${loads.join(', ')}`);
  assert.ok(Math.max(...loads) - Math.min(...loads) <= longest + 1e-9, `loads ${loads.join(', ')}`);
}

test('shard specs: i/n from 1, n up to 256; anything else is refused with the reason', () => {
  assert.deepEqual(parseShardSpec('2/4'), { ok: true, spec: { index: 2, count: 4 } });
  assert.deepEqual(parseShardSpec(' 1 / 1 '), { ok: true, spec: { index: 1, count: 1 } });
  for (const bad of ['0/4', '5/4', '1/0', '1/257', '1', 'a/b', '1/2/3', '-1/2', '1.5/2']) {
    const result = parseShardSpec(bad);
    assert.equal(result.ok, false, bad);
  }
});

test('plans over the real fixture are deterministic, disjoint, cover everything and are balanced', () => {
  const results = fixture();
  const ids = results.benchmarks.map((b) => b.id);
  const durations = durationsFrom(results.benchmarks);
  assert.equal(durations.size, ids.length, 'every Criterion benchmark with samples has an estimate');
  for (const count of [1, 2, 3, 4, 6, 8]) {
    const plan = planShards(ids, durations, count);
    checkPartition(plan, ids, count);
    checkBalanced(plan, durations);
    assert.equal(plan.balancedByDuration, true);
    // The same inputs in another order give the same plan: every shard computes it alone.
    assert.deepEqual(planShards([...ids].reverse(), new Map([...durations].reverse()), count), plan);
  }
  // More shards than benchmarks: some shards are empty, none holds two.
  const wide = planShards(ids, durations, 8);
  assert.ok(wide.shards.every((s) => s.ids.length <= 1));
});

test("a benchmark that overruns Criterion's measurement target weighs more, and the plan balances by it", () => {
  const results = fixture();
  const base = results.benchmarks[0] as Benchmark;
  // A 50 ms iteration: 100 linear samples need 5050 iterations, about 252 s.
  const slow: Benchmark = { ...base, id: 'slow/one', estimates: { ...base.estimates, mean: 50e6, median: 50e6 } };
  const slowSeconds = estimateSeconds(slow);
  assert.ok(slowSeconds !== null && slowSeconds > 250 && slowSeconds < 260, String(slowSeconds));
  assert.equal(estimateSeconds({ ...base, samples: null }), null);
  assert.equal(
    estimateSeconds({ ...base, source: 'tinybench', samples: [1e6, 1e6], estimates: { ...base.estimates, mean: 1e6 } }),
    0.002,
  );
  const benchmarks = [...results.benchmarks, slow];
  const durations = durationsFrom(benchmarks);
  const plan = planShards(
    benchmarks.map((b) => b.id),
    durations,
    2,
  );
  checkPartition(
    plan,
    benchmarks.map((b) => b.id),
    2,
  );
  const withSlow = plan.shards.find((s) => s.ids.includes('slow/one'));
  assert.deepEqual(withSlow?.ids, ['slow/one'], 'the slow benchmark gets a shard to itself');
});

test('without durations the split is by a stable hash: balanced in count, independent of input order', () => {
  const ids = Array.from({ length: 141 }, (_, i) => `group${i % 7}/bench${i}`);
  const plan = planShards(ids, new Map(), 4);
  checkPartition(plan, ids, 4);
  assert.equal(plan.balancedByDuration, false);
  assert.deepEqual(plan.unestimated, [...ids].sort());
  assert.deepEqual(
    plan.shards.map((s) => s.ids.length),
    [36, 35, 35, 35],
  );
  assert.deepEqual(planShards([...ids].reverse(), new Map(), 4), plan);
  // Not by name: one group's benchmarks spread over shards.
  const group0 = ids.filter((id) => id.startsWith('group0/'));
  assert.ok(plan.shards.filter((s) => s.ids.some((id) => group0.includes(id))).length > 1);
});

test('ids the baseline has no duration for weigh the median of the known ones', () => {
  const durations = new Map([
    ['a', 10],
    ['b', 10],
    ['c', 30],
  ]);
  const plan = planShards(['a', 'b', 'c', 'new'], durations, 2);
  checkPartition(plan, ['a', 'b', 'c', 'new'], 2);
  assert.deepEqual(plan.unestimated, ['new']);
  assert.deepEqual(
    plan.shards.map((s) => s.seconds).sort((x, y) => x - y),
    [30, 30],
  );
});

test("the Criterion filter matches exactly the shard's ids, metacharacters and all", () => {
  const ids = ['checksum/sum 1KiB/u8', 'fib/iter/10', 'odd (x+y)*[2]|{3}^$.?#&-~\\', 'fib/iter/1'];
  const filter = new RegExp(criterionFilter(ids));
  for (const id of ids) assert.ok(filter.test(id), id);
  for (const other of ['fib/iter/100', 'xfib/iter/10', 'fib/iter/1 ', 'fib/iter', 'odd (xxy)*[2]|{3}^$.?#&-~\\'])
    assert.ok(!filter.test(other), other);
  assert.equal(new RegExp(criterionFilter([])).test(''), false);
  assert.equal(escapeRegex('a.b'), 'a\\.b');
});
