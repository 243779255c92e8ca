/**
 * No silent pass: benchmarks of the baseline missing from the head, and a head
 * sharing nothing with its baseline, are said in the report's first lines and
 * never read "No regressions" in green; the CLI and the gate act on them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { verdictOutput as actionVerdict } from '../../src/analysis/verdict.ts';
import { gateMissing } from '../../src/compare/gate.ts';
import { compare } from '../../src/compare/index.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import type { Results } from '../../src/schema/types.ts';
import { synthetic, type SyntheticSpec } from '../compare/synthetic.ts';
import { cli } from '../support/cli.ts';

const spec = (id: string, median = 1000): SyntheticSpec => ({ id, median, logSd: 0.02 });
const base = synthetic(1, [spec('g/a'), spec('g/b'), spec('g/c')]);
const firstLines = (md: string): string => md.split('\n').slice(0, 6).join('\n');

function file(results: Results): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bench-missing-')), 'results.json');
  writeFileSync(path, JSON.stringify(results));
  return path;
}

describe('a head with nothing in common with its baseline', () => {
  const head = synthetic(2, [spec('other/x'), spec('other/y')]);
  const comparison = compare(base, head);

  it('counts nothing in common', () => {
    assert.equal(comparison.summary.inCommon, 0);
    assert.equal(comparison.summary.counts.missing, 3);
    assert.equal(comparison.summary.counts.new, 2);
  });

  it('says so in the first lines, naming what the baseline had, and never "No regressions"', () => {
    const md = renderMarkdown(comparison);
    const top = firstLines(md);
    assert.match(top, /⚠️ \*\*Nothing compared\*\*: the head's 2 benchmarks and the baseline's 3 have none in common/);
    assert.match(
      top,
      /🚫 \*\*No benchmark in common with the baseline\.\*\* The baseline has g\/a, g\/b, g\/c; the head has none of them/,
    );
    assert.doesNotMatch(md, /No regressions|✅/);
  });

  it('gives the verdict output nothing-in-common', () => {
    assert.equal(actionVerdict(analyze({ base, head, threshold: 0.1 }), true), 'nothing-in-common');
  });

  it('fails where a regression would, unless fail-on-missing is false', () => {
    assert.deepEqual(gateMissing(comparison.summary, null, true), { missing: 3, nothingInCommon: true, fails: true });
    assert.equal(gateMissing(comparison.summary, null, false)?.fails, false, 'a push does not fail by default');
    assert.equal(gateMissing(comparison.summary, false, true)?.fails, false);
    assert.equal(gateMissing(comparison.summary, true, false)?.fails, true);
  });

  it('makes the CLI exit 4 with one line naming both files, even with --no-fail', () => {
    const [b, h] = [file(base), file(head)];
    for (const extra of [[], ['--no-fail']]) {
      const outcome = cli('compare', b, h, ...extra);
      assert.equal(outcome.status, 4, outcome.stderr);
      assert.match(outcome.stdout, /Nothing compared/, 'the report is still written');
      const lines = outcome.stderr.trim().split('\n');
      assert.equal(lines.length, 1, outcome.stderr);
      assert.match(
        lines[0] ?? '',
        /^bench-action: .*results\.json and .*results\.json have no benchmark in common \(2 benchmarks only in the head, 3 only in the base\): nothing was compared\./,
      );
    }
  });
});

describe('benchmarks of the baseline missing from the head', () => {
  const head = synthetic(2, [spec('g/a'), spec('g/b')]);
  const comparison = compare(base, head);

  it('are named in the first lines, and the verdict line is a warning, not a green pass', () => {
    const md = renderMarkdown(comparison);
    const top = firstLines(md);
    assert.match(top, /^⚠️ \*\*No regressions in the 2 compared, 1 missing from the head\*\*/m);
    assert.match(
      top,
      /⚠️ \*\*1 benchmark of the baseline is missing from the head\*\*: g\/c\. Renamed, deleted or no longer run\?/,
    );
    assert.doesNotMatch(md, /✅/);
  });

  it('names at most five, then how many more', () => {
    const many = synthetic(
      1,
      Array.from({ length: 9 }, (_, i) => spec(`m/${i}`)),
    );
    const md = renderMarkdown(compare(many, synthetic(2, [spec('m/0')])));
    assert.match(
      firstLines(md),
      /8 benchmarks of the baseline are missing from the head\*\*: m\/1, m\/2, m\/3, m\/4, m\/5 and 3 more\./,
    );
  });

  it('fail only with fail-on-missing: true (CLI --fail-on-missing, exit 4)', () => {
    assert.equal(gateMissing(comparison.summary, null, true)?.fails, false);
    assert.equal(gateMissing(comparison.summary, true, true)?.fails, true);
    const [b, h] = [file(base), file(head)];
    assert.equal(cli('compare', b, h).status, 0);
    const failing = cli('compare', b, h, '--fail-on-missing');
    assert.equal(failing.status, 4);
    assert.match(failing.stderr, /^bench-action: 1 benchmark of .* missing from .* \(--fail-on-missing\)\.$/m);
  });

  it('leave a complete head green, with "1 benchmark" in the singular', () => {
    const one = synthetic(1, [spec('solo')]);
    const md = renderMarkdown(compare(one, synthetic(2, [spec('solo')])));
    assert.match(md, /✅ \*\*No regressions\*\* over the threshold 10% · .* · 1 benchmark$/m);
    assert.equal(gateMissing(compare(one, one).summary, true, true), null);
  });
});

describe('the verdict output, one rule (lead, 13:03)', () => {
  const slower = synthetic(2, [spec('g/a', 1500), spec('g/b'), spec('g/c')]);
  const gate = (failOnRegression: boolean, runs: number) => ({
    source: 'baseline' as const,
    baselineRuns: runs,
    runsPerBenchmark: new Map([['g/a', runs]]),
    failOnRegression,
    baseBranch: 'main',
  });
  const verdict = (failOnRegression: boolean, runs: number): string =>
    actionVerdict(analyze({ base, head: slower, threshold: 0.1, gate: gate(failOnRegression, runs) }), true);

  it('regression only when the step fails on it', () => assert.equal(verdict(true, 3), 'regression'));
  it('regression-not-failing when fail-on-regression is off', () =>
    assert.equal(verdict(false, 3), 'regression-not-failing'));
  it('possible-regression when the cold start holds every regression back', () => {
    assert.equal(verdict(true, 1), 'possible-regression');
    assert.equal(verdict(false, 1), 'possible-regression');
  });
  it('pass and no-baseline', () => {
    assert.equal(actionVerdict(analyze({ base, head: base, threshold: 0.1, gate: gate(true, 3) }), true), 'pass');
    assert.equal(actionVerdict(analyze({ base: null, head: base, threshold: 0.1 }), false), 'no-baseline');
  });
});
