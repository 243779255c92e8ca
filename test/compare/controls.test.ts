import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare } from '../../src/compare/index.ts';
import { controlInputs, controlMatcher, estimateDrift, isWallTime, MAX_CONTROL_SPREAD, MIN_CONTROLS } from '../../src/compare/controls.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import type { Results } from '../../src/schema/types.ts';
import { scaled, synthetic, type SyntheticSpec } from './synthetic.ts';

const CONTROLS = ['get/moka', 'get/quick_cache', 'get/dashmap', 'set/moka', 'set/quick_cache'];
const OURS = ['get/sark', 'set/sark', 'delete/sark', 'evict/sark'];
const GLOBS = ['*/moka', '*/quick_cache', '*/dashmap'];

function specs(ids: readonly string[]): SyntheticSpec[] {
  return ids.map((id, i) => ({ id, median: 100 * (i + 1), logSd: 0.03, samples: 60 }));
}

const ALL = specs([...CONTROLS, ...OURS]);
const base = synthetic(11, ALL);
const fresh = synthetic(12, ALL);
const isControl = controlMatcher(GLOBS);
const slower = (factor: number, which: (id: string) => boolean = () => true): Results => scaled(fresh, (id) => (which(id) ? factor : 1));

describe('control benchmarks', () => {
  it('measure a runner 30% slower across the board and leave no regression', () => {
    const drift = estimateDrift(base, slower(1.3), isControl);
    assert.equal(drift.applied, true);
    assert.deepEqual(drift.controls, CONTROLS);
    assert.ok(Math.abs(drift.factor - 1.3) < 0.04, `drift ${drift.factor}`);
    assert.ok(drift.ci && drift.ci.lower < drift.factor && drift.factor < drift.ci.upper);
    const plain = compare(base, slower(1.3));
    assert.equal(plain.summary.counts.regression, ALL.length, 'without controls every benchmark regresses');
    const controlled = compare(base, slower(1.3), { controls: GLOBS });
    assert.equal(controlled.summary.counts.regression, 0);
    assert.equal(controlled.summary.counts.control, CONTROLS.length);
    for (const row of controlled.rows.filter((r) => !isControl(r.id))) {
      assert.equal(row.drift, drift.factor);
      assert.ok(row.change !== null && Math.abs(row.change - 1) < 0.06, `${row.id} ${row.change}`);
      // The head's median is reported as measured; only the change is corrected.
      assert.ok(row.headMedian !== null && row.baseMedian !== null && row.headMedian / row.baseMedian > 1.2);
    }
    const markdown = renderMarkdown(controlled);
    assert.match(markdown, /Runner 1\.\d\dx slower than the baseline's; changes corrected/);
    assert.match(markdown, /No regressions/);
  });

  it('flag every non-control benchmark that is 20% slower on an unchanged runner', () => {
    const comparison = compare(base, slower(1.2, (id) => !isControl(id)), { controls: GLOBS });
    const verdicts = Object.fromEntries(comparison.rows.map((r) => [r.id, r.verdict]));
    for (const id of OURS) assert.equal(verdicts[id], 'regression', id);
    for (const id of CONTROLS) assert.equal(verdicts[id], 'control', id);
    assert.ok(comparison.drift && Math.abs(comparison.drift.factor - 1) < 0.03);
  });

  it('never fail the build themselves', () => {
    const comparison = compare(base, slower(3, (id) => id === 'get/moka'), { controls: GLOBS });
    assert.equal(comparison.summary.counts.regression, 0);
    assert.equal(comparison.rows.find((r) => r.id === 'get/moka')?.verdict, 'control');
    // One wild control does not move the median.
    assert.ok(comparison.drift && Math.abs(comparison.drift.factor - 1) < 0.03);
  });

  it('widen the corrected benchmarks\' intervals by the drift\'s uncertainty', () => {
    const plain = compare(base, fresh);
    const controlled = compare(base, fresh, { controls: GLOBS });
    for (const id of OURS) {
      const p = plain.rows.find((r) => r.id === id);
      const c = controlled.rows.find((r) => r.id === id);
      assert.ok(p?.ci && c?.ci && c.extraNoise > 0);
      assert.ok(Math.log(c.ci.upper / c.ci.lower) > Math.log(p.ci.upper / p.ci.lower), id);
    }
  });

  it('correct nothing with fewer than 3 controls, and say why', () => {
    const comparison = compare(base, slower(1.3), { controls: ['get/moka', 'get/dashmap'] });
    assert.equal(comparison.drift?.applied, false);
    assert.match(comparison.drift?.reason ?? '', new RegExp(`2 control benchmarks on both sides; at least ${MIN_CONTROLS}`));
    assert.ok(comparison.summary.counts.regression > 0);
    assert.match(renderMarkdown(comparison), /Runner drift not corrected: 2 control benchmarks/);
  });

  it('correct nothing when the controls disagree beyond the documented spread', () => {
    const factors = [0.5, 1, 2, 0.6, 1.8];
    const wild = scaled(fresh, (id) => factors[CONTROLS.indexOf(id)] ?? 1);
    const drift = estimateDrift(base, wild, isControl);
    assert.ok(drift.spread > MAX_CONTROL_SPREAD, `spread ${drift.spread}`);
    assert.equal(drift.applied, false);
    assert.match(drift.reason ?? '', /the controls disagree/);
    const comparison = compare(base, wild, { controls: GLOBS });
    assert.equal(comparison.rows.find((r) => r.id === 'get/sark')?.drift, undefined);
  });

  it('leave counts (instructions) and throughput in the right direction', () => {
    assert.equal(isWallTime({ metric: 'time', unit: 'ns' }), true);
    assert.equal(isWallTime({ metric: 'ops/s', unit: 'ops/s' }), true);
    assert.equal(isWallTime({ metric: 'instructions', unit: 'instructions' }), false);
    const mixed: Results = {
      ...fresh,
      benchmarks: [
        ...fresh.benchmarks,
        { ...(fresh.benchmarks[5] as Results['benchmarks'][number]), id: 'count/sark', metric: 'instructions', unit: 'instructions' },
        { ...(fresh.benchmarks[6] as Results['benchmarks'][number]), id: 'rate/sark', metric: 'ops/s', unit: 'ops/s', direction: 'higher' },
        // Instruction counts of a control's code measure nothing about the runner.
        { ...(fresh.benchmarks[0] as Results['benchmarks'][number]), metric: 'instructions', unit: 'instructions' },
      ],
    };
    const counted = compare({ ...base, benchmarks: [...base.benchmarks, ...mixed.benchmarks.slice(-1)] }, scaled(mixed, (id, i) => (i === mixed.benchmarks.length - 1 ? 1.5 : 1)), { controls: GLOBS });
    assert.equal(counted.rows.find((r) => r.id === 'get/moka' && r.metric === 'instructions')?.verdict, 'regression');
    assert.equal(counted.rows.find((r) => r.id === 'get/moka' && r.metric === 'time')?.verdict, 'control');
    const { head, corrected, drift } = controlInputs(base, scaled(mixed, (id) => (isControl(id) ? 1.25 : 1)), isControl);
    assert.ok(drift.applied);
    assert.ok(!corrected.has('count/sark [instructions]'));
    assert.ok(corrected.has('rate/sark [ops/s]'));
    const rate = head.benchmarks.find((b) => b.id === 'rate/sark');
    const rawRate = mixed.benchmarks.find((b) => b.id === 'rate/sark');
    // A slower runner lowers throughput, so throughput is raised by the drift.
    assert.ok(rate && rawRate && Math.abs(rate.estimates.median / rawRate.estimates.median - drift.factor) < 1e-9);
  });
});
