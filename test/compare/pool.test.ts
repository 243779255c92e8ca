import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimationFactor } from '../../src/compare/noise.ts';
import { poolRounds, roundsNoise } from '../../src/compare/pool.ts';
import { SCHEMA_VERSION, type Results, type RunMeta } from '../../src/schema/types.ts';
import { validateResults } from '../../src/schema/validate.ts';

const meta: RunMeta = {
  tool: { name: 'bench-action', version: '0' },
  commit: 'a',
  ref: null,
  timestamp: '2026-11-26T00:00:00Z',
  runner: null,
  versions: {},
};

function round(samples: Record<string, number[]>): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: meta,
    benchmarks: Object.entries(samples).map(([id, s]) => ({
      id,
      metric: 'time',
      group: id,
      function: null,
      parameter: null,
      source: 'criterion' as const,
      unit: 'ns',
      direction: 'lower' as const,
      estimates: { median: [...s].sort((a, b) => a - b)[s.length >> 1] ?? 0, mean: 0, stdDev: null, ci: null },
      throughput: null,
      samples: s,
    })),
  };
}

test('rounds pool their samples and recompute the estimates', () => {
  const pooled = poolRounds([round({ a: [1, 2, 3] }), round({ a: [4, 5, 6] })], meta);
  assert.deepEqual(pooled.benchmarks[0]?.samples, [1, 2, 3, 4, 5, 6]);
  assert.equal(pooled.benchmarks[0]?.estimates.median, 3.5);
  assert.equal(pooled.benchmarks[0]?.estimates.mean, 3.5);
  assert.ok(validateResults(pooled).ok);
});

test('round-to-round spread shrinks with the number of rounds', () => {
  const base = [round({ a: [100] }), round({ a: [110] }), round({ a: [90] })];
  const head = [round({ a: [100] }), round({ a: [110] }), round({ a: [90] })];
  const logs = [100, 110, 90].map(Math.log);
  const mean = logs.reduce((x, y) => x + y) / 3;
  const s = Math.sqrt(logs.reduce((acc, x) => acc + (x - mean) ** 2, 0) / 2);
  const noise = roundsNoise(base, head).get('a') ?? 0;
  // Both sides' rounds give 2 + 2 degrees of freedom.
  assert.ok(Math.abs(noise - s * Math.sqrt(2 / 3) * estimationFactor(4)) < 1e-12);
});
