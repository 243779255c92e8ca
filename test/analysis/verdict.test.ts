import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictOutput } from '../../src/analysis/verdict.ts';
import type { ComparisonRow } from '../../src/compare/types.ts';

const row = { id: 'a' } as ComparisonRow;
const gate = (failing: number, held: number) => ({
  failing: Array.from({ length: failing }, () => row),
  held: Array.from({ length: held }, () => row),
  coldStart: null,
  overruled: [],
});

describe("the action's verdict output says what the step did", () => {
  it('regression only when regressions fail the step', () => {
    assert.equal(verdictOutput({ regressions: 2, gate: gate(2, 0) }, true), 'regression');
    // Before, a push of unchanged code against a one-run baseline said 'regression' and passed.
    assert.equal(verdictOutput({ regressions: 2, gate: gate(0, 2) }, true), 'possible-regression');
    assert.equal(verdictOutput({ regressions: 2, gate: gate(0, 0) }, true), 'regression-not-failing');
    assert.equal(verdictOutput({ regressions: 3, gate: gate(0, 1) }, true), 'regression-not-failing');
    assert.equal(verdictOutput({ regressions: 0, gate: gate(0, 0) }, true), 'pass');
    assert.equal(verdictOutput({ regressions: 0, gate: null }, false), 'no-baseline');
    // The CLI has no gate: every regression counts.
    assert.equal(verdictOutput({ regressions: 1, gate: null }, true), 'regression');
  });
});
