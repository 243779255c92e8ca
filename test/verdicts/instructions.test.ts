import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateInstructions, renderInstructions } from '../../evaluation/verdicts/instructions.ts';
import { loadResults } from '../../src/files/load.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import type { Results } from '../../src/schema/types.ts';

const GET = 'cache_instructions/cache_get_warm/sark_cache.hit';

function scaled(results: Results, id: string, factor: number): Results {
  return {
    ...results,
    benchmarks: results.benchmarks.map((b) =>
      b.id === id ? { ...b, estimates: { ...b.estimates, median: Math.round(b.estimates.median * factor) } } : b,
    ),
  };
}

test('instruction-count evaluation: A/A pairs of real runs, a change found, an untouched benchmark that moves is a false alarm', async () => {
  const a = await loadResults('fixtures/gungraun/cache-run-a', runMetaOnce());
  const b = await loadResults('fixtures/gungraun/cache-run-b', runMetaOnce());
  const opaA = await loadResults('fixtures/gungraun/opa-run-a', runMetaOnce());
  const opaB = await loadResults('fixtures/gungraun/opa-run-b', runMetaOnce());
  const runA = { ...a, benchmarks: [...a.benchmarks, ...opaA.benchmarks] };
  const runB = { ...b, benchmarks: [...b.benchmarks, ...opaB.benchmarks] };
  const evaluation = evaluateInstructions({
    provenance: 'test',
    runs: [runA, runB],
    changed: new Map([
      ['plus-2pct', [scaled(a, GET, 1.02)]],
      ['plus-half-pct', [scaled(scaled(a, GET, 1.005), 'cache_instructions/cache_delete/sark_cache.resident', 1.05)]],
    ]),
    touched: [GET],
    suiteSeconds: [30, 20, 40],
    criterionQuickSeconds: 300,
  });
  assert.deepEqual([evaluation.pairs, evaluation.comparisons, evaluation.falseAlarms], [1, 11, 0]);
  assert.equal(evaluation.spreads.find((s) => s.id === GET)?.maxChange, 0);
  assert.ok(
    (evaluation.spreads.find((s) => s.id.includes('opa_batch'))?.maxChange ?? 0) > 0,
    'the sark-opa batch moved between the two runs',
  );
  const [two, half] = evaluation.changes;
  assert.deepEqual([two?.detected, two?.comparisons, two?.falseAlarms, two?.untouched], [2, 2, 0, 12]);
  // 304 -> 306 is +0.66%: under the 1% threshold, so not detected; the delete count moved 5%: a false alarm.
  assert.deepEqual([half?.detected, half?.comparisons, half?.falseAlarms], [0, 2, 2]);
  assert.equal(evaluation.suiteSeconds, 30);
  const text = renderInstructions(evaluation, 'Recorded here.');
  assert.match(text, /\*\*0 false alarms\*\*/);
  assert.match(text, /\| `plus-2pct` +\| +2\/2 \| +\+1\.97% \|/);
  assert.match(text, /took 30 s per run \(median\); one Criterion quick run .* took 300 s, so counts cost 10% of it/);
});
