// The acceptance checks on real Criterion 0.8 output (fixtures/criterion-0.8,
// two runs of the same code on this busy machine; see fixtures/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare } from '../../src/compare/index.ts';
import { quantileOfSorted } from '../../src/common/sample.ts';
import { loadResults } from '../../src/files/load.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { renderMarkdown, toJsonReport } from '../../src/report/index.ts';
import { scaled } from './synthetic.ts';

const runA = await loadResults('fixtures/criterion-0.8/run-a', runMetaOnce({ commit: 'a'.repeat(40) }));
const runB = await loadResults('fixtures/criterion-0.8/run-b', runMetaOnce({ commit: 'b'.repeat(40) }));

describe('compare on real Criterion runs', () => {
  it('finds no regression from run-a to run-b of the same code', () => {
    const result = compare(runA, runB);
    assert.equal(
      result.summary.counts.regression,
      0,
      JSON.stringify(result.rows.map((r) => [r.id, r.verdict, r.change])),
    );
    assert.equal(result.rows.length, runA.benchmarks.length);
    assert.ok(result.rows.every((r) => r.method === 'samples' && !r.weak));
  });

  it('calls benchmarks slowed 20% regressions, or inconclusive when their own noise hides 20%', () => {
    const slowed = compare(
      runA,
      scaled(runA, () => 1.2),
    );
    let regressions = 0;
    for (const row of slowed.rows) {
      const samples = [...(runA.benchmarks.find((b) => b.id === row.id)?.samples ?? [])].sort((x, y) => x - y);
      const q = (p: number) => quantileOfSorted(samples, p);
      const relativeIqr = (q(0.75) - q(0.25)) / q(0.5);
      const detail = `${row.id}: ${row.verdict} change ${row.change} q=${row.qValue} relative IQR ${relativeIqr.toFixed(2)}`;
      // With 20 samples, a benchmark whose middle half spans 20% or less must show a 20% shift;
      // a noisier one (fib/iter/10 spans ~50%) may only be inconclusive, never unchanged.
      if (relativeIqr <= 0.2) assert.equal(row.verdict, 'regression', detail);
      else assert.ok(row.verdict === 'regression' || row.verdict === 'inconclusive', detail);
      if (row.verdict === 'regression') regressions++;
    }
    assert.match(renderMarkdown(slowed), new RegExp(`\\*\\*${regressions} regressions?\\*\\*`));
    assert.equal(toJsonReport(slowed).benchmarks.filter((b) => b.verdict === 'regression').length, regressions);
  });

  it('does not call 3% slower a regression at the 10% threshold', () => {
    const result = compare(
      runA,
      scaled(runA, () => 1.03),
    );
    assert.equal(result.summary.counts.regression, 0);
  });
});
