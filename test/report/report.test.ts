import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClaimResult } from '../../src/claims/index.ts';
import { compare } from '../../src/compare/index.ts';
import { analyze } from '../../src/analysis/analyze.ts';
import {
  escapeText,
  isComparisonReport,
  renderMarkdown,
  toJsonReport,
  type ComparisonJsonReport,
  type JsonReport,
} from '../../src/report/index.ts';
import type { Results } from '../../src/schema/types.ts';
import { scaled, synthetic, type SyntheticSpec } from '../compare/synthetic.ts';

const specs: SyntheticSpec[] = Array.from({ length: 12 }, (_, i) => ({
  id: `g/f${i}`,
  median: 1000 + 100 * i,
  logSd: 0.03,
}));

describe('renderMarkdown', () => {
  const base = synthetic(1, specs);
  // f0..f2 slower by 1.5, 1.2, 1.3; f3 faster by 1.25; the rest unchanged.
  const factors = [1.5, 1.2, 1.3, 0.8];
  const head = scaled(synthetic(2, specs), (_, i) => factors[i] ?? 1);
  const comparison = compare(base, head);
  const md = renderMarkdown(comparison, {
    title: 'Bench',
    marker: 'bench-action:main',
    baselineNote: 'baseline from main',
  });

  it('puts the verdict line first, then regressions by severity, then improvements', () => {
    const lines = md.split('\n');
    assert.equal(lines[0], '<!-- bench-action:main -->');
    assert.match(md, /❌ \*\*3 regressions\*\* over the threshold 10%/);
    const regressions = md.indexOf('#### Regressions (3)');
    const improvements = md.indexOf('#### Improvements (1)');
    const details = md.indexOf('<details>');
    assert.ok(regressions > 0 && regressions < improvements && improvements < details);
    const section = md.slice(regressions, improvements);
    const order = ['g/f0', 'g/f2', 'g/f1'].map((id) => section.indexOf(escapeText(id)));
    assert.ok(
      order.every((p, i) => p > 0 && (i === 0 || p > (order[i - 1] as number))),
      `severity order ${order}`,
    );
    assert.match(section, /1\.[45]\dx slower/);
    assert.match(md.slice(improvements, details), /1\.2\dx faster/);
    assert.match(md, /Base `00000001` on|Base `0000000` on/);
    assert.match(md, /test-runner, linux\/x64/);
    assert.match(md, /All 12 benchmarks/);
  });

  it('says no regressions when there are none', () => {
    const same = renderMarkdown(compare(base, synthetic(3, specs)));
    assert.match(same.split('\n')[2] ?? '', /^✅ \*\*No regressions\*\*/);
    assert.doesNotMatch(same, /#### Regressions/);
  });

  it('shows pairs and claims', () => {
    const withPairs: Results = {
      ...synthetic(4, [
        { id: 'cache/sark', median: 200, logSd: 0.05 },
        { id: 'cache/redis', median: 30_000, logSd: 0.05 },
      ]),
      pairs: [{ name: 'sark-cache get', contender: 'cache/sark', reference: 'cache/redis' }],
    };
    const claims: ClaimResult[] = [
      {
        id: 'c',
        kind: 'speedup',
        description: 'cache vs Redis',
        status: 'pass',
        measured: { value: 150, unit: 'x' },
        bound: { op: '>=', value: 10, unit: 'x' },
        detail: 'ok',
      },
      {
        id: 'm',
        kind: 'check',
        description: 'memory',
        status: 'missing',
        measured: null,
        bound: null,
        detail: "check 'memory' is not in the results",
      },
    ];
    const out = renderMarkdown(compare(withPairs, withPairs), { claims });
    assert.match(out, /sark-cache get \| 1[45]\dx faster than cache\/redis \| 1[34]\dx … 1[56]\dx/);
    assert.match(out, /#### Claims/);
    assert.match(out, /cache vs Redis \| 150 x \| ≥ 10 x \| ✅ pass/);
    // A contender slower than its reference: factor and interval both as "slower".
    const slowPair: Results = {
      ...withPairs,
      pairs: [{ name: 'redis get', contender: 'cache/redis', reference: 'cache/sark' }],
    };
    assert.match(
      renderMarkdown(compare(slowPair, slowPair)),
      /redis get \| 1[45]\dx slower than cache\/sark \| 1[34]\dx … 1[56]\dx/,
    );
    assert.match(out, /⚠️ missing/);
    assert.match(out, /⚠️ 1 of 2 claims not measured/, 'a missing claim was not checked, so it did not fail');
  });

  it('escapes names so they cannot inject markdown or HTML', () => {
    const nasty = [
      'evil|col/<script>alert(1)</script>',
      'a`code`/[link](http://x.y)',
      'new\nline/## heading',
      '@everyone/**bold** _em_ ~strike~',
      '&amp;/![img](x) $x^2$ \u202e',
    ];
    const nastySpecs = nasty.map((id) => ({ id, median: 1000, logSd: 0.03 }));
    const out = renderMarkdown(
      compare(
        synthetic(5, nastySpecs),
        scaled(synthetic(6, nastySpecs), () => 1.5),
      ),
    );
    // Each markdown character is either absent or carries a backslash escape (an escaped one is inert).
    for (const forbidden of [
      '<script',
      '|col',
      '`code`',
      '[link]',
      '](',
      '**bold',
      '_em_',
      '~strike',
      '&amp;/',
      '![',
      '$x',
    ]) {
      const unescaped = new RegExp(`(?<!\\\\)${forbidden.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      assert.ok(!unescaped.test(out), `output contains ${JSON.stringify(forbidden)} unescaped`);
    }
    for (const forbidden of ['\nline', '@everyone', '\u202e'])
      assert.ok(!out.includes(forbidden), `output contains ${JSON.stringify(forbidden)}`);
    // Every table row still has exactly its columns: no name added a cell.
    for (const line of out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| -'))) {
      const cells = line.split(' | ').length;
      assert.ok(cells === 6 || cells === 7, `row has ${cells} cells: ${line}`);
    }
    assert.ok(out.includes('evil\\|col/\\<script\\>'));
    // Plain escapes where they suffice: a Rust path reads as itself in the raw markdown.
    assert.equal(escapeText('f64[0]/std::fmt'), 'f64\\[0\\]/std::fmt');
    assert.equal(escapeText(':smile: http://x @me'), '&#58;\u200bsmile: http&#58;\u200b//x @\u200bme');
  });

  it('stays under the size limit with 20,000 benchmarks and keeps every regression', () => {
    const many: SyntheticSpec[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `suite${i % 20}/bench-${i}/param`,
      median: 1000,
      logSd: 0.03,
      samples: 20,
    }));
    const slowed = (i: number) => i % 500 === 0; // 40 regressions
    const result = compare(
      synthetic(7, many),
      scaled(synthetic(8, many), (_, i) => (slowed(i) ? 1.4 : 1)),
      { resamples: 200 },
    );
    assert.equal(result.summary.counts.regression, 40);
    const out = renderMarkdown(result);
    assert.ok(out.length <= 65536 - 1536, `length ${out.length}`);
    for (const row of result.rows.filter((r) => r.verdict === 'regression')) {
      assert.ok(out.slice(0, out.indexOf('<details>')).includes(escapeText(row.id)), `regression ${row.id} kept`);
    }
    assert.match(out, /of 20000 rows left out to fit the comment size limit/);
    const small = renderMarkdown(result, { maxLength: 20_000 });
    assert.ok(small.length <= 20_000, `length ${small.length}`);
  });

  it('cuts regressions only when they alone exceed the budget, and says so', () => {
    const many: SyntheticSpec[] = Array.from({ length: 300 }, (_, i) => ({
      id: `suite/bench-${i}`,
      median: 1000,
      logSd: 0.03,
      samples: 20,
    }));
    const result = compare(
      synthetic(11, many),
      scaled(synthetic(12, many), () => 1.5),
      { resamples: 200 },
    );
    assert.equal(result.summary.counts.regression, 300);
    const out = renderMarkdown(result, { maxLength: 8000 });
    assert.ok(out.length <= 8000, `length ${out.length}`);
    assert.match(out, /… and \d+ more regressions that do not fit in a comment; see the JSON report\./);
  });
});

describe('toJsonReport', () => {
  it('has one entry per benchmark with id, verdict, change and its interval', () => {
    const comparison = compare(
      synthetic(9, specs),
      scaled(synthetic(10, specs), (_, i) => (i === 0 ? 1.3 : 1)),
    );
    const report = JSON.parse(JSON.stringify(toJsonReport(comparison))) as ComparisonJsonReport;
    assert.equal(report.benchmarks.length, specs.length);
    const first = report.benchmarks.find((b) => b.id === 'g/f0');
    assert.equal(first?.verdict, 'regression');
    assert.ok(
      first?.change && first.change > 1.2 && first.ci && first.ci.lower < first.change && first.change < first.ci.upper,
    );
    assert.equal(report.summary.counts.regression, 1);
    assert.equal(report.claims, undefined);
  });
});

describe('the JSON report', () => {
  it('of one run without a base is its benchmarks without samples, pairs, claims and checks; with a base it is the comparison', () => {
    const head = synthetic(11, specs);
    const alone: JsonReport = analyze({ head, base: null, threshold: 0.1 }).json;
    assert.ok(!isComparisonReport(alone));
    assert.deepEqual(Object.keys(alone), ['reportVersion', 'head', 'benchmarks', 'pairs', 'claims', 'checks']);
    assert.deepEqual(alone.head, head.run);
    assert.deepEqual(
      alone.benchmarks.map((b) => b.id),
      head.benchmarks.map((b) => b.id),
    );
    assert.ok(alone.benchmarks.every((b) => !('samples' in b)));
    const compared = analyze({ head, base: synthetic(12, specs), threshold: 0.1 }).json;
    assert.ok(isComparisonReport(compared));
    assert.equal(compared.benchmarks.length, specs.length);
  });
});
