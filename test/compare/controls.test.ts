import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare } from '../../src/compare/index.ts';
import {
  controlInputs,
  controlMatcher,
  estimateDrift,
  isWallTime,
  MAX_CONTROL_SPREAD,
  MIN_CONTROLS,
  siblingControls,
} from '../../src/compare/controls.ts';
import { alignSeries, runIndexOf } from '../../src/history/align.ts';
import { historyTerms } from '../../src/history/changes.ts';
import { seriesFromRuns, type SeriesFile } from '../../src/history/series.ts';
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
const slower = (factor: number, which: (id: string) => boolean = () => true): Results =>
  scaled(fresh, (id) => (which(id) ? factor : 1));

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
      // get/sark has three sibling controls (get/*) and is divided by theirs; the others by the run-wide drift.
      if (row.id === 'get/sark') assert.ok(row.drift !== undefined && Math.abs(row.drift - 1.3) < 0.04, `${row.drift}`);
      else assert.equal(row.drift, drift.factor);
      assert.ok(row.change !== null && Math.abs(row.change - 1) < 0.06, `${row.id} ${row.change}`);
      // The head's median is reported as measured; only the change is corrected.
      assert.ok(row.headMedian !== null && row.baseMedian !== null && row.headMedian / row.baseMedian > 1.2);
    }
    const markdown = renderMarkdown(controlled);
    assert.match(markdown, /Runner 1\.\d\dx slower than the baseline's; changes corrected/);
    assert.match(markdown, /No regressions/);
  });

  it('flag every non-control benchmark that is 20% slower on an unchanged runner', () => {
    const comparison = compare(
      base,
      slower(1.2, (id) => !isControl(id)),
      { controls: GLOBS },
    );
    const verdicts = Object.fromEntries(comparison.rows.map((r) => [r.id, r.verdict]));
    for (const id of OURS) assert.equal(verdicts[id], 'regression', id);
    for (const id of CONTROLS) assert.equal(verdicts[id], 'control', id);
    assert.ok(comparison.drift && Math.abs(comparison.drift.factor - 1) < 0.03);
  });

  it('never fail the build themselves', () => {
    const comparison = compare(
      base,
      slower(3, (id) => id === 'get/moka'),
      { controls: GLOBS },
    );
    assert.equal(comparison.summary.counts.regression, 0);
    assert.equal(comparison.rows.find((r) => r.id === 'get/moka')?.verdict, 'control');
    // One wild control does not move the median.
    assert.ok(comparison.drift && Math.abs(comparison.drift.factor - 1) < 0.03);
  });

  it("widen the corrected benchmarks' intervals by the drift's uncertainty", () => {
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
    assert.match(
      comparison.drift?.reason ?? '',
      new RegExp(`2 control benchmarks on both sides; at least ${MIN_CONTROLS}`),
    );
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
        {
          ...(fresh.benchmarks[5] as Results['benchmarks'][number]),
          id: 'count/sark',
          metric: 'instructions',
          unit: 'instructions',
        },
        {
          ...(fresh.benchmarks[6] as Results['benchmarks'][number]),
          id: 'rate/sark',
          metric: 'ops/s',
          unit: 'ops/s',
          direction: 'higher',
        },
        // Instruction counts of a control's code measure nothing about the runner.
        { ...(fresh.benchmarks[0] as Results['benchmarks'][number]), metric: 'instructions', unit: 'instructions' },
      ],
    };
    const counted = compare(
      { ...base, benchmarks: [...base.benchmarks, ...mixed.benchmarks.slice(-1)] },
      scaled(mixed, (id, i) => (i === mixed.benchmarks.length - 1 ? 1.5 : 1)),
      { controls: GLOBS },
    );
    assert.equal(counted.rows.find((r) => r.id === 'get/moka' && r.metric === 'instructions')?.verdict, 'regression');
    assert.equal(counted.rows.find((r) => r.id === 'get/moka' && r.metric === 'time')?.verdict, 'control');
    const { head, corrected, drift } = controlInputs(
      base,
      scaled(mixed, (id) => (isControl(id) ? 1.25 : 1)),
      isControl,
    );
    assert.ok(drift.applied);
    assert.ok(!corrected.has('count/sark [instructions]'));
    assert.ok(corrected.has('rate/sark [ops/s]'));
    const rate = head.benchmarks.find((b) => b.id === 'rate/sark');
    const rawRate = mixed.benchmarks.find((b) => b.id === 'rate/sark');
    // A slower runner lowers throughput, so throughput is raised by the drift.
    assert.ok(rate && rawRate && Math.abs(rate.estimates.median / rawRate.estimates.median - drift.factor) < 1e-9);
  });

  it('divide a benchmark by its sibling controls when at least three of them agree', () => {
    const groups = ['get', 'set', 'del'];
    const ids = groups.flatMap((g) => [`${g}/moka`, `${g}/quick_cache`, `${g}/dashmap`, `${g}/sark`]);
    const b = synthetic(31, specs(ids));
    // Load that came while the get/* group ran only (its controls and get/sark 1.6x), and a real 20% regression of
    // set/sark.
    const head = scaled(synthetic(32, specs(ids)), (id) => (id.startsWith('get/') ? 1.6 : id === 'set/sark' ? 1.2 : 1));
    assert.deepEqual(siblingControls('get/sark', ids.filter(isControl)), [
      'get/moka',
      'get/quick_cache',
      'get/dashmap',
    ]);
    assert.deepEqual(siblingControls('get/sark/100', ids.filter(isControl)), []);
    assert.deepEqual(siblingControls('sark/moka', ids.filter(isControl)), [], 'another group is not a sibling');
    const controlled = controlInputs(b, head, isControl);
    assert.ok(
      Math.abs(controlled.drift.factor - 1) < 0.03,
      'six of nine controls saw no load: the run-wide drift is 1',
    );
    assert.equal(controlled.corrected.get('get/sark')?.local, true);
    assert.ok(Math.abs((controlled.corrected.get('get/sark')?.factor ?? 0) - 1.6) < 0.05);
    const verdicts = Object.fromEntries(compare(b, head, { controls: GLOBS }).rows.map((r) => [r.id, r.verdict]));
    assert.equal(verdicts['get/sark'], 'unchanged', 'the run-wide drift alone would call it a 60% regression');
    assert.equal(verdicts['set/sark'], 'regression');
    assert.equal(verdicts['del/sark'], 'unchanged');
  });
});

describe('history aligned by the controls', () => {
  it("removes the runner drift from the spread of the base branch's runs", () => {
    // Ten runs on runners of different speeds: every benchmark moves with its runner.
    const speeds = [1, 1.4, 0.8, 1.25, 1.1, 0.9, 1.5, 1.05, 0.85, 1.2];
    const runs = speeds.map((speed, i) => {
      const r = scaled(synthetic(100 + i, ALL), () => speed);
      return { ...r, run: { ...r.run, timestamp: new Date(Date.UTC(2026, 0, i + 1)).toISOString(), commit: `c${i}` } };
    });
    const series = seriesFromRuns(runs);
    const sd = (file: SeriesFile, id: string) => {
      const logs = (file.series.find((s) => s.id === id)?.median ?? []).map(Math.log);
      const m = logs.reduce((a, b) => a + b, 0) / logs.length;
      return Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    };
    const aligned = alignSeries(series, GLOBS, runIndexOf(series, runs[9]!.run));
    for (const id of OURS) {
      assert.ok(sd(series, id) > 0.15, `${id} before: ${sd(series, id)}`);
      assert.ok(sd(aligned, id) < 0.03, `${id} aligned: ${sd(aligned, id)}`);
    }
    // Controls are left as measured; the base run is the frame.
    assert.deepEqual(
      aligned.series.find((s) => s.id === 'get/moka')?.median,
      series.series.find((s) => s.id === 'get/moka')?.median,
    );
    const getSark = (file: SeriesFile) => file.series.find((s) => s.id === 'get/sark')?.median.at(-1);
    assert.equal(getSark(aligned), getSark(series));
    // The terms the comparison uses shrink with them.
    const plain = historyTerms(series, runs[9]!, runs[8]!, 10, []);
    const withControls = historyTerms(series, runs[9]!, runs[8]!, 10, GLOBS);
    assert.ok((withControls.noise.get('evict/sark') ?? 1) < (plain.noise.get('evict/sark') ?? 0) / 3);
    // A head whose controls disagree is judged as measured: so is the history, unaligned.
    const isControl = controlMatcher(GLOBS);
    const disagreeing = scaled(runs[8]!, (id) => (id.endsWith('/moka') ? 3 : id.endsWith('/quick_cache') ? 1 / 3 : 1));
    assert.equal(estimateDrift(runs[9]!, disagreeing, isControl).applied, false);
    assert.deepEqual(historyTerms(series, runs[9]!, disagreeing, 10, GLOBS).noise, plain.noise);
  });

  it('leaves the history alone without enough controls', () => {
    const runs = [0, 1, 2].map((i) => ({
      ...synthetic(200 + i, specs(OURS)),
      run: { ...synthetic(200 + i, specs(OURS)).run, timestamp: new Date(Date.UTC(2026, 0, i + 1)).toISOString() },
    }));
    const series = seriesFromRuns(runs);
    assert.equal(alignSeries(series, GLOBS), series);
  });
});
