import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateRegressions, type GateInput } from '../../src/compare/gate.ts';
import type { ComparisonRow } from '../../src/compare/types.ts';
import { gateNotice } from '../../src/report/gate-notice.ts';

function row(id: string, verdict: ComparisonRow['verdict'], metric = 'time'): ComparisonRow {
  return {
    id,
    metric,
    verdict,
    change: 1.5,
    ci: { lower: 1.3, upper: 1.7, level: 0.95 },
    pValue: 0.001,
    qValue: 0.002,
    threshold: 0.1,
    direction: 'lower',
    unit: 'ns',
    baseMedian: 100,
    headMedian: 150,
    baseSamples: 100,
    headSamples: 100,
    method: 'samples',
    weak: false,
    extraNoise: 0,
  };
}

const rows = [row('a', 'regression'), row('b', 'regression'), row('c', 'unchanged')];
const counts = (n: number) => new Map(['a', 'b', 'c'].map((id) => [id, n]));
const input = (over: Partial<GateInput>): GateInput => ({
  rows,
  source: 'baseline',
  baselineRuns: 1,
  runsPerBenchmark: counts(1),
  failOnRegression: true,
  ...over,
});

describe('gate: which regressions may fail the build', () => {
  it('cold start: with fewer than 3 baseline runs no wall-time regression fails, and the notice counts down', () => {
    for (const runs of [1, 2]) {
      const gate = gateRegressions(input({ baselineRuns: runs, runsPerBenchmark: counts(runs) }));
      assert.deepEqual(gate.failing, []);
      assert.deepEqual(
        gate.held.map((r) => r.id),
        ['a', 'b'],
      );
      assert.deepEqual(gate.coldStart, { runs, needed: 3, remaining: 3 - runs });
      const notice = gateNotice(gate, 'master') ?? '';
      assert.match(notice, /^⏳ \*\*Cold start: wall-time regressions cannot fail the build yet\.\*\*/);
      assert.match(
        notice,
        new RegExp(
          `The baseline has ${runs} of the 3 runs of master .* ${3 - runs} more push${3 - runs === 1 ? '' : 'es'} to master`,
        ),
      );
    }
  });

  it('cold start with a regression confirmed on this runner: the notice says that one fails the build', () => {
    const gate = gateRegressions(input({ trusted: new Map([['b', 'confirmed']]) }));
    const notice = gateNotice(gate, 'main') ?? '';
    assert.match(
      notice,
      /^⏳ \*\*Cold start: a wall-time change against the baseline alone cannot fail the build yet; 1 regression confirmed on this runner does\.\*\*/,
    );
    assert.doesNotMatch(notice, /regressions cannot fail the build yet/);
  });

  it('with 3 baseline runs regressions fail again, except on benchmarks too new to have 3', () => {
    const gate = gateRegressions(
      input({
        baselineRuns: 3,
        runsPerBenchmark: new Map([
          ['a', 3],
          ['b', 1],
        ]),
      }),
    );
    assert.deepEqual(
      gate.failing.map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(
      gate.held.map((r) => r.id),
      ['b'],
    );
    assert.equal(gate.coldStart, null);
    assert.match(gateNotice(gate, 'main') ?? '', /1 possible regression on benchmarks with too few baseline runs/);
    assert.equal(gateNotice(gateRegressions(input({ baselineRuns: 3, runsPerBenchmark: counts(3) })), 'main'), null);
  });

  it('evidence that needs no history decides alone: same-runner, or a trusted signal per benchmark (confirmation, instruction counts)', () => {
    assert.deepEqual(
      gateRegressions(input({ source: 'same-runner', baselineRuns: 0 })).failing.map((r) => r.id),
      ['a', 'b'],
    );
    assert.equal(gateRegressions(input({ source: 'same-runner', baselineRuns: 0 })).coldStart, null);
    const trusted = gateRegressions(input({ trusted: new Map([['b', 'confirmed']]) }));
    assert.deepEqual(
      trusted.failing.map((r) => r.id),
      ['b'],
    );
    assert.deepEqual(
      trusted.held.map((r) => r.id),
      ['a'],
    );
    // An instruction count does not drift between runners: it needs no history.
    const counted = gateRegressions(input({ rows: [row('a', 'regression'), row('a', 'regression', 'instructions')] }));
    assert.deepEqual(
      counted.failing.map((r) => r.metric),
      ['instructions'],
    );
    assert.deepEqual(
      counted.held.map((r) => r.metric),
      ['time'],
    );
  });

  it('fail-on-regression off: nothing fails, nothing is held for history', () => {
    const gate = gateRegressions(input({ failOnRegression: false, baselineRuns: 5, runsPerBenchmark: counts(5) }));
    assert.deepEqual(gate.failing, []);
    assert.deepEqual(gate.held, []);
  });
});

describe('gate: a benchmark with an instruction count is decided by the count', () => {
  it('a wall-time regression on a counted benchmark is overruled, not failing and not held', () => {
    const gate = gateRegressions(input({ baselineRuns: 5, runsPerBenchmark: counts(5), countDecides: new Set(['a']) }));
    assert.deepEqual(
      gate.overruled.map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(
      gate.failing.map((r) => r.id),
      ['b'],
    );
    assert.deepEqual(gate.held, []);
  });

  it('the count itself still fails the build under the same id', () => {
    const counted = [row('a', 'regression', 'instructions'), row('a', 'regression')];
    const gate = gateRegressions(input({ rows: counted, countDecides: new Set(['a']) }));
    assert.deepEqual(
      gate.failing.map((r) => `${r.id} ${r.metric}`),
      ['a instructions'],
    );
    assert.deepEqual(
      gate.overruled.map((r) => `${r.id} ${r.metric}`),
      ['a time'],
    );
  });
});
