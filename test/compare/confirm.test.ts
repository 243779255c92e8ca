import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import {
  applyConfirmation,
  baselineUnusable,
  confirmationCandidates,
  needsConfirmation,
  type ConfirmationOutcome,
  type PairMedians,
} from '../../src/compare/confirm.ts';
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import type { Comparison } from '../../src/compare/types.ts';
import { compare, decideVerdict } from '../../src/compare/index.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { ProcessError } from '../../src/common/errors.ts';
import { withoutTargetDir } from '../../src/run/cargo.ts';
import { criterionFilter, filteredBenchArgs } from '../../src/run/confirm-args.ts';
import { confirmTargets } from '../../src/run/confirm.ts';
import { scaled, synthetic, type SyntheticSpec } from './synthetic.ts';

const IDS = ['work/a', 'work/b', 'work/c', 'work/d'];
const specs: SyntheticSpec[] = IDS.map((id, i) => ({ id, median: 1000 * (i + 1), logSd: 0.02, samples: 50 }));
const base = synthetic(31, specs);
// The head's runner is 1.5x slower across the board, and work/b is also 20% slower in the code.
const head = scaled(synthetic(32, specs), (id) => (id === 'work/b' ? 1.8 : 1.5));

/** n round pairs of one benchmark: base 1000, head 1000·exp(mu + noise) with a seeded spread. */
function pairs(seed: number, n: number, mu: number, sd: number): PairMedians[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => ({ base: 1000, head: 1000 * Math.exp(mu + sd * normalDraw(rng)) }));
}

const outcome = (over: Partial<ConfirmationOutcome>): ConfirmationOutcome => ({
  candidates: IDS,
  pairs: new Map(),
  state: 'complete',
  seconds: 42,
  buildSeconds: 7,
  ...over,
});

describe('the confirmation round', () => {
  it('takes every benchmark the baseline could not clear, regressions first, then the nearest a decision', () => {
    const comparison = compare(base, head);
    const candidates = confirmationCandidates(comparison).map((row) => row.id);
    assert.deepEqual([...candidates].sort(), IDS);
    const row = { ...comparison.rows[0]!, verdict: 'inconclusive' as const, threshold: 0.1 };
    // An estimate that looks faster is still a candidate while its interval reaches past the threshold.
    assert.equal(needsConfirmation({ ...row, change: 0.8 }), true);
    assert.equal(needsConfirmation({ ...row, change: 1.04 }), true);
    assert.equal(needsConfirmation({ ...row, verdict: 'improvement', change: 0.5 }), false);
    assert.equal(needsConfirmation({ ...row, verdict: 'unchanged', change: 1.0 }), false);
    assert.deepEqual(
      confirmationCandidates(comparison, (key) => key !== 'work/a')
        .map((r) => r.id)
        .sort(),
      ['work/b', 'work/c', 'work/d'],
    );
    const mixed: Comparison = {
      ...comparison,
      rows: [
        { ...row, id: 'far', verdict: 'inconclusive', change: 0.7, ci: { lower: 0.4, upper: 1.3, level: 0.95 } },
        { ...row, id: 'reg', verdict: 'regression', change: 1.3, ci: { lower: 1.2, upper: 1.4, level: 0.95 } },
        { ...row, id: 'near', verdict: 'inconclusive', change: 1.4, ci: { lower: 1.05, upper: 1.8, level: 0.95 } },
        { ...row, id: 'fine', verdict: 'unchanged', change: 1.0, ci: { lower: 0.98, upper: 1.02, level: 0.95 } },
      ],
    };
    assert.equal(baselineUnusable(mixed), false);
    assert.deepEqual(
      confirmationCandidates(mixed).map((r) => r.id),
      ['reg', 'near', 'far'],
    );
  });

  it('when every row is inconclusive, says the baseline is unusable and takes the largest uncertainty first', () => {
    const comparison = compare(base, head);
    const row = comparison.rows[0]!;
    const unusable: Comparison = {
      ...comparison,
      rows: [
        { ...row, id: 'narrow', verdict: 'inconclusive', change: 1.2, ci: { lower: 1.05, upper: 1.4, level: 0.95 } },
        { ...row, id: 'wide', verdict: 'inconclusive', change: 0.9, ci: { lower: 0.5, upper: 1.6, level: 0.95 } },
      ],
    };
    assert.equal(baselineUnusable(unusable), true);
    assert.deepEqual(
      confirmationCandidates(unusable).map((r) => r.id),
      ['wide', 'narrow'],
    );
    const applied = applyConfirmation(unusable, outcome({ candidates: ['narrow', 'wide'] }));
    assert.equal(applied.confirmationRound?.baselineUnusable, true);
    // The verdict line, the comment's first, says so.
    const firstLine = renderMarkdown(applied).split('\n')[2] ?? '';
    assert.match(firstLine, /^❔ .*· the baseline decided nothing: every benchmark was inconclusive against it ·/);
  });

  it('confirms, clears or leaves undecided by the sequential interval, and keeps what the baseline said', () => {
    const comparison = compare(base, head);
    assert.equal(comparison.summary.counts.regression, 4);
    const measured = new Map([
      ['work/b', pairs(1, 5, Math.log(1.2), 0.02)],
      ['work/a', pairs(2, 4, 0, 0.02)],
      ['work/c', pairs(3, 6, Math.log(1.1), 0.1)],
      ['work/d', pairs(4, 2, 0, 0.02)],
    ]);
    const confirmed = applyConfirmation(
      comparison,
      outcome({ pairs: measured, state: 'partial', reason: 'out of time' }),
    );
    const byId = new Map(confirmed.rows.map((row) => [row.id, row]));
    assert.equal(byId.get('work/b')?.verdict, 'regression');
    assert.equal(byId.get('work/b')?.confirmation?.status, 'confirmed');
    assert.ok(byId.get('work/b')!.ci!.lower > 1.1, JSON.stringify(byId.get('work/b')?.ci));
    assert.equal(byId.get('work/a')?.confirmation?.status, 'cleared');
    assert.equal(byId.get('work/a')?.verdict, 'unchanged');
    assert.equal(byId.get('work/c')?.confirmation?.status, 'undecided');
    // Undecided takes nothing away: the baseline's regression stands (the gate decides whether it can fail).
    assert.equal(byId.get('work/c')?.verdict, 'regression');
    assert.match(byId.get('work/c')?.confirmation?.decideBy ?? '', /pairs at this spread|instruction counts/);
    // Two pairs are no look: the baseline's verdict stands, and the report says what would decide it.
    assert.equal(byId.get('work/d')?.confirmation?.status, 'not-measured');
    assert.equal(byId.get('work/d')?.verdict, 'regression');
    assert.deepEqual(
      {
        ...confirmed.confirmationRound,
      },
      {
        state: 'partial',
        reason: 'out of time',
        candidates: 4,
        leftToCounts: 0,
        remeasured: 3,
        confirmed: 1,
        cleared: 1,
        undecided: 1,
        notMeasured: 1,
        pairs: 17,
        seconds: 42,
        buildSeconds: 7,
        alpha: 0.05,
        looksAt: [3, 5, 8, 12, 16, 20],
        baselineUnusable: false,
      },
    );
  });

  it('reports each outcome in words, a partial round in its first lines, and no green tick while any is undecided', () => {
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: outcome({
        pairs: new Map([
          ['work/a', pairs(2, 4, 0, 0.02)],
          ['work/b', pairs(1, 5, Math.log(1.2), 0.02)],
          ['work/c', pairs(3, 6, Math.log(1.1), 0.1)],
          ['work/d', pairs(5, 3, 0, 0.01)],
        ]),
        state: 'partial',
        reason: 'the budget (10 min) ran out with 1 benchmark undecided',
      }),
    });
    const lines = analysis.markdown.split('\n');
    const first = lines.slice(0, 6).join('\n');
    assert.match(
      first,
      /⏱️ \*\*Confirmation round partial\*\*: the budget \(10 min\) ran out with 1 benchmark undecided/,
    );
    assert.match(first, /❌ \*\*2 regressions\*\*/);
    assert.match(
      analysis.markdown,
      /work\/b \| ❌ regression .* \| \+(18|19|20|21|22)\.\d% \[.*\] \| 5 \| ❌ confirmed on this runner/,
    );
    assert.match(analysis.markdown, /work\/a \| ❌ regression .* \| 4 \| ✅ cleared/);
    assert.match(
      analysis.markdown,
      /work\/c \| ❌ regression .* \| 6 \| ❔ undecided: (about \d+ pairs|its change is too near)/,
    );
    assert.doesNotMatch(analysis.markdown, /work\/c \|[^\n]*✅/);

    // A row cleared of a regression whose interval reaches past the improvement edge is decided, not undecided.
    const clearedWide = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: outcome({
        pairs: new Map(
          IDS.map((id): [string, PairMedians[]] => [
            id,
            [940, 1000, 960, 1010, 950].map((h) => ({ base: 1000, head: h })),
          ]),
        ),
      }),
    });
    const wide = clearedWide.comparison?.rows.find((r) => r.id === 'work/a');
    assert.equal(wide?.confirmation?.status, 'cleared');
    assert.ok((wide?.ci?.lower ?? 1) < 1 / 1.1, JSON.stringify(wide?.ci));
    assert.doesNotMatch(clearedWide.markdown.split('\n')[2] ?? '', /undecided/);
    assert.match(clearedWide.markdown.split('\n')[2] ?? '', /^✅ .*4 cleared by the confirmation round/);

    // Nothing confirmed, one undecided (a baseline inconclusive row): the verdict line has no tick.
    const none = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: outcome({
        pairs: new Map([
          ['work/a', pairs(7, 5, 0, 0.02)],
          ['work/b', pairs(8, 5, 0, 0.02)],
          ['work/c', pairs(9, 6, Math.log(1.1), 0.1)],
          ['work/d', pairs(10, 5, 0, 0.02)],
        ]),
      }),
    });
    // work/c stays the baseline's regression while undecided: never a tick.
    assert.equal(none.regressions, 1);
    assert.match(none.markdown.split('\n')[2] ?? '', /^❌ \*\*1 regression\*\*/);
  });

  it('says in the first lines when the round was skipped, and why; the baseline verdicts stand', () => {
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: outcome({ state: 'skipped', reason: 'building the base failed: error[E0425]', seconds: 63 }),
    });
    const first = analysis.markdown.split('\n').slice(0, 6).join('\n');
    assert.match(
      first,
      /⚠️ \*\*Confirmation round skipped\*\*: building the base failed: error\\\[E0425\\\]\. The verdicts below are the baseline's alone\./,
    );
    assert.equal(analysis.regressions, 4);
    assert.ok(analysis.comparison?.rows.every((row) => row.confirmation?.status === 'not-measured'));
    assert.match(analysis.comparison?.rows[0]?.confirmation?.decideBy ?? '', /the round was skipped/);
  });

  it('says in the first lines when the round ran but measured none of its benchmarks, and what happened', () => {
    // Criterion 0.3.0 reads the filter as a substring: the round's `^(id)$` matched no id, every run measured nothing.
    const what =
      "was measured on neither the base nor the head: the filter (Criterion's, the exact id as a regular expression) matched nothing on either side, or the bench's own code skipped it";
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: outcome({
        reason: 'no run measured any of the 4 benchmarks',
        lost: new Map(IDS.map((id) => [id, what])),
      }),
    });
    const first = analysis.markdown.split('\n').slice(0, 6).join('\n');
    assert.match(
      first,
      /⚠️ \*\*Confirmation round measured nothing\*\*: no run measured any of the 4 benchmarks\. The verdicts below are the baseline's alone\./,
    );
    assert.doesNotMatch(analysis.markdown, /The verdict on this runner is the final one/);
    // Each row says what happened, not that a larger budget would have measured it.
    for (const row of analysis.comparison?.rows ?? []) {
      assert.equal(row.confirmation?.status, 'not-measured');
      assert.equal(row.confirmation?.decideBy, `it ${what}`);
    }
    assert.equal(analysis.regressions, 4);
  });
});

describe('the one verdict rule', () => {
  it('labels a change only when the test and the interval agree', () => {
    const at = (change: number, lower: number, upper: number) =>
      decideVerdict({
        change,
        ci: { lower, upper, level: 0.95 },
        qValue: 0.01,
        threshold: 0.1,
        direction: 'lower',
        alpha: 0.05,
      });
    // The issue's cases: -16.9% [-38.0%, +15.5%] is no improvement; +12.8% [+6.1%, +33.4%] is a regression.
    assert.equal(at(0.831, 0.62, 1.155), 'inconclusive');
    assert.equal(at(1.128, 1.061, 1.334), 'regression');
    assert.equal(at(1.15, 0.98, 1.3), 'inconclusive');
    assert.equal(at(1.02, 1.01, 1.03), 'unchanged');
  });
});

describe("the round's filters", () => {
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

  it('keeps --target-dir away from the base, whose own target directory it would override', () => {
    assert.deepEqual(withoutTargetDir(['--target-dir', '/t', '-p', 'x', '--', '--target-dir', 'y']), [
      '-p',
      'x',
      '--',
      '--target-dir',
      'y',
    ]);
    assert.deepEqual(withoutTargetDir(['--target-dir=/t', '--', 'f']), ['--', 'f']);
  });

  it("drops the user's own filter and --exact for the round: Criterion takes one filter, and the ids are exact", () => {
    // Criterion 0.3 refused `-- uri ^(uri/uri_0064b)$` ("Found argument ... which wasn't expected").
    assert.deepEqual(filteredBenchArgs(['--', 'uri'], [], ['uri/a']), ['bench', '--bench', '*', '--', '^(uri/a)$']);
    // cargo hands its BENCHNAME positional to the harness as a filter too.
    assert.deepEqual(filteredBenchArgs(['uri', '-p', 'x', '--features', 'f'], [], ['a']), [
      'bench',
      '--bench',
      '*',
      '-p',
      'x',
      '--features',
      'f',
      '--',
      '^(a)$',
    ]);
    assert.deepEqual(
      filteredBenchArgs(
        ['--bench', 'parse', '--', '--exact', 'parse_digits/12', '--sample-size', '20', '--noplot'],
        [],
        ['p/1'],
      ),
      ['bench', '--bench', 'parse', '--', '--sample-size', '20', '--noplot', '^(p/1)$'],
    );
  });

  it('names the Criterion targets, and stops with the reason when a side has gungraun benches only', () => {
    const target = (name: string) => ({ package: 'p', name, srcPath: `/w/${name}.rs` });
    assert.equal(confirmTargets('head', { criterion: [target('wall')], gungraun: [] }), null);
    assert.deepEqual(confirmTargets('head', { criterion: [target('wall')], gungraun: [target('counts')] }), ['wall']);
    // Before, the empty list ran `cargo bench -- <filter>` over every bench, and the gungraun ones failed on the
    // filter.
    assert.throws(
      () => confirmTargets('base', { criterion: [], gungraun: [target('counts')] }),
      // A ProcessError: tryConfirm (confirmation.ts) turns it into a warning, where any other error fails the job.
      (error: unknown) =>
        error instanceof ProcessError &&
        error.message === 'the base commit has gungraun benches only, no Criterion bench to re-measure in wall time',
    );
  });
});
