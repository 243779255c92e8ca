import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonNoise, estimateRunNoise, estimationFactor } from '../../src/compare/noise.ts';
import { SCHEMA_VERSION, type Results } from '../../src/schema/types.ts';

function run(medians: Record<string, number>): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: '0' },
      commit: null,
      ref: null,
      timestamp: '2026-11-26T00:00:00Z',
      runner: null,
      versions: {},
    },
    benchmarks: Object.entries(medians).map(([id, median]) => ({
      id,
      metric: 'time',
      group: id,
      function: null,
      parameter: null,
      source: 'generic' as const,
      unit: 'ns',
      direction: 'lower' as const,
      estimates: { median, mean: median, stdDev: null, ci: null },
      throughput: null,
      samples: null,
    })),
  };
}

test('run-to-run spread is the sd of log medians; steady benchmarks get ~0', () => {
  const runs = [run({ steady: 100, jumpy: 100 }), run({ steady: 100, jumpy: 150 }), run({ steady: 100, jumpy: 80 })];
  const noise = estimateRunNoise(runs);
  assert.equal(noise.get('steady')?.perRun, 0);
  const logs = [Math.log(100), Math.log(150), Math.log(80)];
  const mean = logs.reduce((a, b) => a + b) / 3;
  const expected = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
  assert.ok(Math.abs((noise.get('jumpy')?.perRun ?? 0) - expected) < 1e-12);
  assert.equal(noise.get('jumpy')?.runs, 3);
  // Two degrees of freedom: the t quantile 4.303 over the normal 1.960.
  assert.ok(Math.abs(estimationFactor(2) - 4.303 / 1.96) < 0.01);
  assert.ok(Math.abs((comparisonNoise(noise).get('jumpy') ?? 0) - expected * Math.SQRT2 * estimationFactor(2)) < 1e-12);
});

test('benchmarks seen in fewer than three runs get no estimate', () => {
  const noise = estimateRunNoise([run({ a: 1, b: 1 }), run({ a: 2, b: 1 }), run({ a: 3 })]);
  assert.ok(noise.has('a'));
  assert.ok(!noise.has('b'));
});

test('the estimation factor shrinks towards 1 as history grows', () => {
  assert.ok(estimationFactor(2) > estimationFactor(5));
  assert.ok(estimationFactor(5) > estimationFactor(29));
  assert.ok(estimationFactor(29) < 1.05 && estimationFactor(29) > 1);
});

test('a head inside the range of earlier base runs is never a regression', async () => {
  const { compare } = await import('../../src/compare/compare.ts');
  const { historyTerms } = await import('../../src/compare/noise.ts');
  const { synthetic, scaled } = await import('./synthetic.ts');
  const spec = [{ id: 'g/x', median: 100, logSd: 0.01 }];
  const base = synthetic(1, spec);
  const head = scaled(synthetic(2, spec), () => 1.3);
  // Without history: a clean 30% regression.
  assert.equal(compare(base, head, { threshold: 0.1 }).rows[0]?.verdict, 'regression');
  // Earlier runs of the base branch already reached 1.4x: the head is inside that range.
  const history = [scaled(synthetic(3, spec), () => 1.4), synthetic(4, spec), scaled(synthetic(5, spec), () => 0.9)];
  const row = compare(base, head, { threshold: 0.1, baseRuns: historyTerms([base, ...history]).baseRuns }).rows[0];
  assert.equal(row?.verdict, 'inconclusive');
  assert.match(row?.note ?? '', /inside the range of 4 base-branch runs/);
  // Beyond the worst run, it stays a regression.
  const worse = scaled(synthetic(6, spec), () => 1.6);
  assert.equal(
    compare(base, worse, { threshold: 0.1, baseRuns: historyTerms([base, ...history]).baseRuns }).rows[0]?.verdict,
    'regression',
  );
});
