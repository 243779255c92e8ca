import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, slowDown } from '../../evaluation/verdicts/evaluate.ts';
import { checkGoals, renderEvaluation } from '../../evaluation/verdicts/report.ts';
import { criterionRule, ratioOfMeans, sdOverlap } from '../../evaluation/verdicts/rules.ts';
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import type { Results } from '../../src/schema/types.ts';
import { benchmark, logNormalSamples, synthetic } from '../compare/synthetic.ts';

const specs = [
  { id: 'steady/a', median: 100, logSd: 0.02 },
  { id: 'steady/b', median: 2_000, logSd: 0.03 },
  { id: 'noisy/c', median: 50, logSd: 0.2 },
];

/** Runs of one build whose medians also drift between runs by `drift` (log sd), as on a shared runner. */
function corpus(runs: number, drift: number, seed: number): Results[] {
  const rng = mulberry32(seed);
  return Array.from({ length: runs }, (_, r) => {
    const shift = Math.exp(drift * normalDraw(rng));
    const run = synthetic(seed + r, specs);
    return slowDown(run, shift);
  });
}

test('the other tools’ rules behave as documented', () => {
  const rng = mulberry32(3);
  const base = benchmark({ id: 'x', median: 100 }, logNormalSamples(rng, 100, 0.02, 100));
  const head = benchmark({ id: 'x', median: 100 }, logNormalSamples(rng, 125, 0.02, 100));
  const same = benchmark({ id: 'x', median: 100 }, logNormalSamples(rng, 100, 0.02, 100));
  for (const rule of [ratioOfMeans, sdOverlap, criterionRule()]) {
    assert.equal(rule(base, head, 0.1, 1), true);
    assert.equal(rule(base, same, 0.1, 1), false);
  }
  // A 5% slowdown is under a 10% threshold for every rule.
  const slight = benchmark({ id: 'x', median: 100 }, logNormalSamples(rng, 105, 0.02, 100));
  for (const rule of [ratioOfMeans, sdOverlap, criterionRule()]) assert.equal(rule(base, slight, 0.1, 1), false);
});

test('history-aware verdicts keep false alarms down where within-run statistics cry wolf', () => {
  const runs = corpus(8, 0.08, 11);
  const evaluation = evaluate(
    { runs },
    { threshold: 0.1, effects: [0.25], stableSpread: 0.03, noisySpread: 0.1, rounds: 3, sameRunnerDraws: 10, seed: 1 },
  );
  const [plain, history] = evaluation.methods;
  assert.ok(plain && history);
  // 8% run-to-run drift: comparing runs as if only within-run noise existed flags many.
  assert.ok(plain.falseAlarms.hits / plain.falseAlarms.total > 0.1, JSON.stringify(plain.falseAlarms));
  assert.ok(
    history.falseAlarms.hits / history.falseAlarms.total < plain.falseAlarms.hits / plain.falseAlarms.total / 3,
    JSON.stringify(history.falseAlarms),
  );
  const text = renderEvaluation(
    evaluation,
    { threshold: 0.1, effects: [0.25], stableSpread: 0.03, noisySpread: 0.1, rounds: 3, sameRunnerDraws: 10, seed: 1 },
    'synthetic',
  );
  assert.match(text, /bench-action \(baseline \+ history\)/);
  assert.equal(checkGoals(evaluation).length, 8);
});

test('on steady runs, a 25% slowdown is always caught', () => {
  const runs = corpus(6, 0.005, 5);
  const evaluation = evaluate(
    { runs },
    { threshold: 0.1, effects: [0.25], stableSpread: 0.03, noisySpread: 0.1, rounds: 3, sameRunnerDraws: 10, seed: 2 },
  );
  const history = evaluation.methods[1];
  const detected = history?.detection['25%']?.stable;
  assert.ok(detected && detected.total > 0 && detected.hits === detected.total, JSON.stringify(detected));
});
