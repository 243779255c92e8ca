import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { applyConfirmation, confirmationCandidates, needsConfirmation } from '../../src/compare/confirm.ts';
import { compare } from '../../src/compare/index.ts';
import { ProcessError } from '../../src/common/errors.ts';
import { confirmTargets, criterionFilter, filteredBenchArgs } from '../../src/run/confirm.ts';
import { scaled, synthetic, type SyntheticSpec } from './synthetic.ts';

const IDS = ['work/a', 'work/b', 'work/c', 'work/d'];
const specs: SyntheticSpec[] = IDS.map((id, i) => ({ id, median: 1000 * (i + 1), logSd: 0.02, samples: 50 }));
const base = synthetic(31, specs);
// The head's runner is 1.5x slower across the board, and work/b is also 20% slower in the code.
const head = scaled(synthetic(32, specs), (id) => (id === 'work/b' ? 1.8 : 1.5));
// On this runner, base and head interleaved: only the code's 20% shows.
const sameBase = scaled(synthetic(33, specs), () => 1.5);
const sameHead = scaled(synthetic(34, specs), (id) => (id === 'work/b' ? 1.8 : 1.5));

describe('the confirmation round', () => {
  it('re-measures regressions and undecided rows near the threshold, worst first', () => {
    const comparison = compare(base, head);
    const candidates = confirmationCandidates(comparison).map((row) => row.id);
    assert.deepEqual(candidates[0], 'work/b');
    assert.deepEqual([...candidates].sort(), IDS);
    const row = { ...comparison.rows[0]!, verdict: 'inconclusive' as const, threshold: 0.1 };
    assert.equal(needsConfirmation({ ...row, change: 1.06 }), true);
    assert.equal(needsConfirmation({ ...row, change: 1.04 }), false);
    assert.equal(needsConfirmation({ ...row, change: 0.8 }), false);
    assert.equal(needsConfirmation({ ...row, verdict: 'improvement', change: 0.5 }), false);
    assert.deepEqual(
      confirmationCandidates(comparison, (key) => key !== 'work/a')
        .map((r) => r.id)
        .sort(),
      ['work/b', 'work/c', 'work/d'],
    );
  });

  it('lets the same-runner verdict decide, and keeps what the baseline said', () => {
    const comparison = compare(base, head);
    assert.equal(comparison.summary.counts.regression, 4);
    const sameRunner = compare(sameBase, sameHead);
    const confirmed = applyConfirmation(comparison, { sameRunner, rounds: 3, skipped: [], seconds: 42 });
    const byId = new Map(confirmed.rows.map((row) => [row.id, row]));
    assert.equal(byId.get('work/b')?.verdict, 'regression');
    assert.equal(byId.get('work/b')?.confirmation?.status, 'confirmed');
    assert.equal(byId.get('work/b')?.confirmation?.baselineVerdict, 'regression');
    for (const id of ['work/a', 'work/c', 'work/d']) {
      assert.notEqual(byId.get(id)?.verdict, 'regression', id);
      assert.equal(byId.get(id)?.confirmation?.status, 'not-confirmed', id);
    }
    assert.equal(confirmed.summary.counts.regression, 1);
    assert.deepEqual(confirmed.confirmationRound, { rounds: 3, seconds: 42, remeasured: 4, skipped: 0 });
  });

  it('leaves what did not fit the budget as the baseline said, and the report says so', () => {
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: {
        base: { ...sameBase, benchmarks: sameBase.benchmarks.filter((b) => b.id === 'work/b') },
        head: { ...sameHead, benchmarks: sameHead.benchmarks.filter((b) => b.id === 'work/b') },
        noise: new Map(),
        baseRuns: new Map(),
        rounds: 2,
        skipped: ['work/a', 'work/c', 'work/d'],
        seconds: 600,
      },
    });
    const rows = analysis.comparison?.rows ?? [];
    assert.equal(rows.find((r) => r.id === 'work/a')?.verdict, 'regression');
    assert.equal(rows.find((r) => r.id === 'work/a')?.confirmation?.status, 'over-budget');
    assert.equal(analysis.regressions, 4);
    assert.match(
      analysis.markdown,
      /Confirmation round.*1 benchmark flagged against the baseline was measured again on this runner.*in 600 s.*3 benchmarks did not fit the budget/,
    );
    assert.match(
      analysis.markdown,
      /work\/b \| ❌ regression \+(79|80|81|82)\.\d% \[.*\] \| \+(18|19|20|21|22)\.\d% \[\+\d+\.\d%, \+\d+\.\d%\] \| ❌ confirmed on this runner/,
    );
    assert.match(analysis.markdown, /work\/a \| ❌ regression .* \| – \| ⏱️ not re-measured: over the budget/);
  });

  it('reports a flagged benchmark this runner clears as not confirmed', () => {
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: {
        base: sameBase,
        head: sameHead,
        noise: new Map(),
        baseRuns: new Map(),
        rounds: 3,
        skipped: [],
        seconds: 30,
      },
    });
    assert.equal(analysis.regressions, 1);
    assert.match(
      analysis.markdown,
      /work\/a \| ❌ regression \+(48|49|50|51|52)\.\d%.* \| [+-]\d\.\d% .*\| ✅ not confirmed/,
    );
  });

  it("asks Criterion for exactly the flagged ids, after the user's own harness flags", () => {
    assert.equal(criterionFilter(['cache_get/sark', 'opa (1.0)']), '^(cache_get/sark|opa \\(1\\.0\\))$');
    assert.deepEqual(
      filteredBenchArgs(
        [],
        [
          ['--warm-up-time', '0.5'],
          ['--measurement-time', '1'],
        ],
        ['a/b'],
      ),
      ['bench', '--bench', '*', '--', '--warm-up-time', '0.5', '--measurement-time', '1', '^(a/b)$'],
    );
    assert.deepEqual(filteredBenchArgs(['-p', 'x', '--', '--sample-size', '20'], [], ['a']), [
      'bench',
      '--bench',
      '*',
      '-p',
      'x',
      '--',
      '--sample-size',
      '20',
      '^(a)$',
    ]);
  });

  it('names the Criterion targets, and stops with the reason when a side has gungraun benches only', () => {
    const target = (name: string) => ({ package: 'p', name, srcPath: `/w/${name}.rs` });
    assert.equal(confirmTargets('head', { criterion: [target('wall')], gungraun: [] }), null);
    assert.deepEqual(confirmTargets('head', { criterion: [target('wall')], gungraun: [target('counts')] }), ['wall']);
    // Before, the empty list ran `cargo bench -- <filter>` over every bench, and the gungraun ones failed on the filter.
    assert.throws(
      () => confirmTargets('base', { criterion: [], gungraun: [target('counts')] }),
      // A ProcessError: tryConfirm (confirmation.ts) turns it into a warning, where any other error fails the job.
      (error: unknown) =>
        error instanceof ProcessError &&
        error.message === 'the base commit has gungraun benches only, no Criterion bench to re-measure in wall time',
    );
  });
});
