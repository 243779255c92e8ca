import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  benchmarkFromNs,
  benchmarksFromTasks,
  buildResults,
  judgeMemory,
  pairsFor,
  type MemorySample,
} from '../../native/sark-node/node-suite/results.ts';
import { collectRunMeta, type RunMeta } from '../../native/sark-node/node-suite/document.ts';
import { parseTinybench } from '../../src/formats/tinybench.ts';
import { validateResults } from '../../src/schema/validate.ts';

const run: RunMeta = {
  tool: { name: 'bench-action', version: '0.1.0' },
  commit: null,
  ref: null,
  timestamp: '2026-11-26T00:00:00Z',
  runner: null,
  versions: {},
};
const MB = 1024 * 1024;

test('tinybench latencies become ns benchmarks of one operation per iteration', () => {
  const [b] = benchmarksFromTasks('suite', [{ name: 'node_cache/get_hit/redis', latencyMs: [0.04, 0.05, 0.06] }]);
  assert.ok(b);
  assert.equal(b.id, 'node_cache/get_hit/redis');
  assert.equal(b.parameter, 'redis');
  assert.equal(b.source, 'tinybench');
  assert.equal(b.unit, 'ns');
  assert.deepEqual(b.samples?.map(Math.round), [40_000, 50_000, 60_000]);
  assert.equal(Math.round(b.estimates.median), 50_000);
  assert.deepEqual(b.throughput, { kind: 'elements', perIteration: 1 });
});

test("the suite's tinybench benchmarks are what bench-action's tinybench adapter reads from the same latencies", () => {
  const tasks = [
    { name: 'node_cache/get_hit/redis', latencyMs: [0.04, 0.05, 0.061, 0.047] },
    { name: 'node_policy/authz', latencyMs: [1.5] },
    { name: 'solo', latencyMs: [0.003, 0.002] },
  ];
  const text = JSON.stringify({
    tinybench: tasks.map((t) => ({ name: t.name, state: 'completed', latency: { samples: t.latencyMs } })),
  });
  const reference = parseTinybench('suite', text).map((b) => ({
    ...b,
    throughput: { kind: 'elements', perIteration: 1 },
  }));
  assert.deepEqual(benchmarksFromTasks('suite', tasks), reference);
  assert.throws(() => benchmarksFromTasks('suite', []), /no benchmarks found/);
});

test('pairs name contender vs reference and skip what was not measured', () => {
  const ids = new Set(['node_cache/get_hit/sark_cache', 'node_cache/get_hit/redis', 'node_cache/set/sark_cache']);
  assert.deepEqual(pairsFor('node_cache', ['get_hit', 'set'], 'sark_cache', 'redis', ids), [
    {
      name: 'node_cache/get_hit: sark_cache vs redis',
      contender: 'node_cache/get_hit/sark_cache',
      reference: 'node_cache/get_hit/redis',
    },
  ]);
});

test('buildResults validates against the schema', () => {
  const b = benchmarkFromNs('node_memory/cache_mixed_op/sark_cache', [100, 120, 110]);
  const results = buildResults(
    run,
    [b],
    [],
    [{ id: 'memory/cache', passed: true, metrics: { x: 1 }, limits: { x: 2 } }],
  );
  assert.equal(results.benchmarks[0]?.estimates.median, 110);
  assert.equal(results.pairs, undefined);
  assert.throws(() => buildResults(run, [{ ...b, unit: '' }]), /node suite built invalid results/);
  assert.throws(() => buildResults(run, [b, b]), /node suite built invalid results: .*there twice/);
  assert.throws(
    () => buildResults(run, [b], [{ name: 'p', contender: b.id, reference: 'nope' }]),
    /names a benchmark not measured/,
  );
});

test("the suite's documents, its own run metadata included, are valid results files (bench-action reads them as such)", () => {
  const [tiny] = benchmarksFromTasks('suite', [{ name: 'node_cache/get_hit/sark_cache', latencyMs: [0.001, 0.002] }]);
  const memory = benchmarkFromNs('node_memory/cache_mixed_op/sark_cache', [100, 120, 110]);
  assert.ok(tiny);
  const pairs = [{ name: 'x: a vs b', contender: tiny.id, reference: memory.id }];
  const checks = [{ id: 'memory/cache', passed: false, metrics: { x: 3 }, limits: { x: 2 }, message: 'over' }];
  for (const meta of [run, collectRunMeta({ nodeSuite: 'quick' })]) {
    const outcome = validateResults(JSON.parse(JSON.stringify(buildResults(meta, [tiny, memory], pairs, checks))));
    assert.ok(outcome.ok, outcome.ok ? '' : JSON.stringify(outcome.issues));
  }
  assert.equal(collectRunMeta({ nodeSuite: 'quick' }).versions['nodeSuite'], 'quick');
});

const readings = (rssMB: number[]): MemorySample[] =>
  rssMB.map((mb, i) => ({ ops: i * 1000, rssBytes: 100 * MB + mb * MB, heapBytes: 10 * MB }));
const limits = { growthMB: 30, halfRatio: 1.5, noiseFloorMB: 2 };

test('memory: flat usage passes with its metrics and limits', () => {
  const check = judgeMemory('memory/cache', readings([0, 0.5, 1, 1, 1]), limits, {
    metrics: { maxLen: 10 },
    limits: { maxLen: 10 },
  });
  assert.equal(check.passed, true);
  assert.equal(check.metrics.rssGrowthMB, 1);
  assert.equal(check.limits.secondHalfMB, 2);
  assert.equal(check.metrics.maxLen, 10);
});

test('memory: total growth over the bound fails and says which metric', () => {
  const check = judgeMemory('memory/policy', readings([0, 20, 40]), { ...limits, growthMB: 50, halfRatio: 3 });
  assert.equal(check.passed, true);
  const over = judgeMemory('memory/policy', readings([0, 20, 60]), { ...limits, growthMB: 50 });
  assert.equal(over.passed, false);
  assert.match(over.message ?? '', /rssGrowthMB 60 > 50/);
});

test('memory: an accelerating second half fails; growth within the noise floor does not', () => {
  assert.equal(judgeMemory('m', readings([0, 3, 6, 14, 22]), limits).passed, false);
  assert.equal(judgeMemory('m', readings([0, 0.1, 0.2, 0.6, 1.5]), limits).passed, true);
});

test('memory: exceeding the cache capacity fails; too few readings fail', () => {
  const check = judgeMemory('memory/cache', readings([0, 0, 0]), limits, {
    metrics: { maxLen: 11 },
    limits: { maxLen: 10 },
  });
  assert.equal(check.passed, false);
  assert.match(check.message ?? '', /maxLen 11 > 10/);
  assert.equal(judgeMemory('m', readings([0, 1]), limits).passed, false);
});

test('memory: the message signs growth once, shrinking included', () => {
  assert.match(judgeMemory('m', readings([0, 0.5, 1.5]), limits).message ?? '', /RSS \+1\.5 MB .*heap \+0 MB/);
  const shrank = judgeMemory('m', readings([0, -0.1, -0.215]), limits).message ?? '';
  assert.match(shrank, /RSS -0\.215 MB/);
  assert.doesNotMatch(shrank, /\+-/);
});
