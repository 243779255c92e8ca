import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare, computePairs, decideVerdict, globToRegExp, thresholdMatcher } from '../../src/compare/index.ts';
import { UsageError } from '../../src/common/errors.ts';
import { medianOfSorted } from '../../src/common/sample.ts';
import { analyze } from '../../src/analysis/analyze.ts';
import { historyTerms } from '../../src/history/changes.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { benchmark, runMeta, scaled, synthetic, type SyntheticSpec } from './synthetic.ts';

const specs: SyntheticSpec[] = Array.from({ length: 40 }, (_, i) => ({
  id: `group${i % 4}/fn${i}/${i * 10}`,
  median: 500 * (1 + i),
  logSd: 0.03 + (i % 5) * 0.01,
}));

describe('compare verdicts', () => {
  it('finds no regression between two runs of the same distribution', () => {
    const result = compare(synthetic(1, specs), synthetic(2, specs));
    assert.equal(result.summary.counts.regression, 0);
    assert.equal(result.summary.counts.improvement, 0);
    assert.equal(result.rows.length, specs.length);
    assert.ok(result.summary.geometricMean !== null && Math.abs(Math.log(result.summary.geometricMean)) < 0.02);
  });

  it('flags every benchmark slowed 20% as a regression, and only those', () => {
    const base = synthetic(3, specs);
    const slowed = new Set(specs.filter((_, i) => i % 3 === 0).map((s) => s.id));
    const head = scaled(synthetic(4, specs), (id) => (slowed.has(id) ? 1.2 : 1));
    const result = compare(base, head);
    for (const row of result.rows) {
      if (slowed.has(row.id)) {
        assert.equal(row.verdict, 'regression', row.id);
        assert.ok(
          row.ci && row.ci.lower < 1.2 * 1.06 && row.ci.upper > 1.2 * 0.94,
          `${row.id} ci ${JSON.stringify(row.ci)}`,
        );
      } else assert.notEqual(row.verdict, 'regression', row.id);
    }
    assert.equal(result.summary.counts.regression, slowed.size);
    assert.ok(result.summary.worstRegression && slowed.has(result.summary.worstRegression.id));
  });

  it('does not call 3% slower a regression at the 10% threshold', () => {
    const result = compare(
      synthetic(5, specs),
      scaled(synthetic(6, specs), () => 1.03),
    );
    assert.equal(result.summary.counts.regression, 0);
    // With 100 samples and at most 7% noise, 3% is clearly inside the band.
    assert.ok(
      result.rows.every((r) => r.verdict === 'unchanged'),
      JSON.stringify(result.summary.counts),
    );
  });

  it('reports a 20% speedup as an improvement', () => {
    const result = compare(
      synthetic(7, specs),
      scaled(synthetic(8, specs), () => 1 / 1.2),
    );
    assert.equal(result.summary.counts.improvement, specs.length);
  });

  it('is direction-aware: for higher-is-better a drop is the regression', () => {
    const throughput = specs.map((s) => ({ ...s, direction: 'higher' as const, unit: 'ops/s' }));
    const drop = compare(
      synthetic(9, throughput),
      scaled(synthetic(10, throughput), () => 1 / 1.25),
    );
    assert.equal(drop.summary.counts.regression, throughput.length);
    assert.ok(drop.rows.every((r) => r.change !== null && r.change < 1));
    const rise = compare(
      synthetic(9, throughput),
      scaled(synthetic(10, throughput), () => 1.25),
    );
    assert.equal(rise.summary.counts.improvement, throughput.length);
    assert.ok(
      rise.summary.geometricMean !== null && rise.summary.geometricMean < 1,
      'geometric mean is oriented so that below 1 is better',
    );
  });

  it('applies glob threshold overrides, first match wins', () => {
    const base = synthetic(11, specs);
    const head = scaled(synthetic(12, specs), () => 1.2);
    const result = compare(base, head, {
      thresholds: [
        { pattern: 'group1/**', threshold: 0.5 },
        { pattern: 'group1/fn1/*', threshold: 0.01 },
      ],
    });
    for (const row of result.rows) {
      if (row.id.startsWith('group1/')) {
        assert.equal(row.threshold, 0.5);
        assert.equal(row.verdict, 'unchanged', row.id);
      } else assert.equal(row.verdict, 'regression', row.id);
    }
  });

  it('marks benchmarks only in head as new and only in base as missing', () => {
    const base = synthetic(13, specs.slice(0, 30));
    const head = synthetic(14, specs.slice(10));
    const result = compare(base, head);
    assert.equal(result.summary.counts.new, 10);
    assert.equal(result.summary.counts.missing, 10);
    const gone = result.rows.find((r) => r.id === specs[0]?.id);
    assert.equal(gone?.verdict, 'missing');
    assert.equal(gone?.change, null);
    assert.equal(gone?.pValue, null);
    assert.equal(result.rows.filter((r) => r.qValue !== null).length, 20, 'only benchmarks on both sides are tested');
  });

  it('falls back to reported spreads without samples and marks the row weak', () => {
    const libtest = (median: number, spread: number): Benchmark => ({
      ...benchmark({ id: 'libtest/bench', median }, null),
      source: 'libtest',
      estimates: { median, mean: median, stdDev: null, ci: null, spread },
    });
    const base: Results = {
      schemaVersion: SCHEMA_VERSION,
      run: runMeta('a'.repeat(40)),
      benchmarks: [libtest(1000, 20)],
    };
    const slow = compare(base, { ...base, run: runMeta('b'.repeat(40)), benchmarks: [libtest(1300, 20)] });
    const row = slow.rows[0];
    assert.equal(row?.weak, true);
    assert.equal(row?.method, 'spread');
    assert.equal(row?.verdict, 'regression');
    assert.match(row?.note ?? '', /no raw samples/);
    assert.equal(slow.summary.weak, 1);
    // A spread as wide as the change cannot call it.
    const noisy = compare({ ...base, benchmarks: [libtest(1000, 400)] }, { ...base, benchmarks: [libtest(1150, 400)] });
    assert.equal(noisy.rows[0]?.verdict, 'inconclusive');
    // No spread at all: no interval and no test, so no regression can be claimed.
    const none = compare(
      { ...base, benchmarks: [libtest(1000, 0)].map((b) => ({ ...b, estimates: { ...b.estimates, spread: null } })) },
      {
        ...base,
        benchmarks: [libtest(1500, 0)].map((b) => ({ ...b, estimates: { ...b.estimates, spread: null } })),
      },
    );
    assert.equal(none.rows[0]?.verdict, 'inconclusive');
    assert.equal(none.rows[0]?.ci, null);
  });

  it('turns a regression inside the known run-to-run noise into inconclusive', () => {
    const base = synthetic(15, specs.slice(0, 5));
    const head = scaled(synthetic(16, specs.slice(0, 5)), () => 1.15);
    const id = specs[0]?.id as string;
    const plain = compare(base, head);
    assert.equal(plain.rows.find((r) => r.id === id)?.verdict, 'regression');
    const noisy = compare(base, head, { noise: new Map([[id, 0.1]]) });
    const row = noisy.rows.find((r) => r.id === id);
    assert.equal(row?.verdict, 'inconclusive');
    assert.equal(row?.extraNoise, 0.1);
    assert.equal(noisy.options.noiseTerms, 1);
  });

  it('is reproducible for a seed', () => {
    const base = synthetic(17, specs);
    const head = scaled(synthetic(18, specs), () => 1.05);
    assert.deepEqual(compare(base, head, { seed: 7 }), compare(base, head, { seed: 7 }));
    // A benchmark's interval does not depend on which other benchmarks are compared.
    const all = compare(base, head, { seed: 7 }).rows[5];
    const one = compare(
      { ...base, benchmarks: base.benchmarks.slice(5, 6) },
      { ...head, benchmarks: head.benchmarks.slice(5, 6) },
      { seed: 7 },
    ).rows[0];
    assert.deepEqual(all?.ci, one?.ci);
  });

  it('rejects impossible options with a UsageError', () => {
    const r = synthetic(1, specs.slice(0, 1));
    assert.throws(() => compare(r, r, { threshold: -0.1 }), UsageError);
    assert.throws(() => compare(r, r, { alpha: 1.5 }), UsageError);
    assert.throws(() => compare(r, r, { thresholds: [{ pattern: 'x', threshold: Number.NaN }] }), /threshold for 'x'/);
  });
});

describe('decideVerdict', () => {
  const base = { threshold: 0.1, direction: 'lower' as const, alpha: 0.05 };
  const ci = (lower: number, upper: number) => ({ lower, upper, level: 0.95 });
  it('needs significance and an estimate beyond the threshold for a regression', () => {
    assert.equal(decideVerdict({ ...base, change: 1.2, ci: ci(1.15, 1.25), qValue: 0.001 }), 'regression');
    assert.equal(decideVerdict({ ...base, change: 1.2, ci: ci(0.9, 1.5), qValue: 0.2 }), 'inconclusive');
    assert.equal(decideVerdict({ ...base, change: 1.05, ci: ci(1.02, 1.08), qValue: 0.001 }), 'unchanged');
    assert.equal(decideVerdict({ ...base, change: 1.05, ci: ci(1.0, 1.12), qValue: 0.001 }), 'inconclusive');
    assert.equal(decideVerdict({ ...base, change: 0.8, ci: ci(0.75, 0.85), qValue: 0.001 }), 'improvement');
    assert.equal(
      decideVerdict({ ...base, change: 0.8, ci: ci(0.75, 0.85), qValue: 0.001, direction: 'higher' }),
      'regression',
    );
  });
});

describe('globs', () => {
  it('keeps * within a segment and lets ** cross segments', () => {
    assert.ok(globToRegExp('cache/*').test('cache/get'));
    assert.ok(!globToRegExp('cache/*').test('cache/get/1k'));
    assert.ok(globToRegExp('cache/**').test('cache/get/1k'));
    assert.ok(globToRegExp('**/1k').test('cache/get/1k'));
    assert.ok(globToRegExp('a/**/b').test('a/b'));
    assert.ok(globToRegExp('cache/ge?').test('cache/get'));
    assert.ok(!globToRegExp('cache.get').test('cacheXget'), 'regex characters are literal');
    const match = thresholdMatcher({ threshold: 0.1, thresholds: [{ pattern: 'opa/**', threshold: 0.2 }] });
    assert.equal(match('opa/eval/rbac'), 0.2);
    assert.equal(match('cache/get'), 0.1);
  });

  it('only *, ? and ** are wildcards: brackets, braces, parentheses, |, ! and + in an id match themselves', () => {
    for (const id of [
      'parse/test_x[1]',
      'fib(20)',
      'sizes/{1,3}',
      'a|b',
      '!not',
      'a+b',
      'dot/.hidden',
      'back\\slash',
    ]) {
      assert.ok(globToRegExp(id).test(id), id);
    }
    assert.ok(!globToRegExp('parse/test_x[1]').test('parse/test_x1'));
    assert.ok(!globToRegExp('sizes/a{1,3}').test('sizes/a'));
    assert.ok(!globToRegExp('(a|b)').test('a'));
    assert.ok(globToRegExp('fib(*)').test('fib(20)'));
    assert.ok(globToRegExp('parse/*').test('parse/.hidden'));
  });
});

describe('pairs', () => {
  it('computes the speedup of a contender over its reference with an interval', () => {
    const results: Results = {
      ...synthetic(20, [
        { id: 'cache/sark/get', median: 200, logSd: 0.1 },
        { id: 'cache/redis/get', median: 30_000, logSd: 0.1 },
      ]),
      pairs: [
        { name: 'sark-cache get vs Redis GET', contender: 'cache/sark/get', reference: 'cache/redis/get' },
        { name: 'absent', contender: 'cache/sark/get', reference: 'nope' },
      ],
    };
    const [pair, absent] = computePairs(results);
    assert.ok(pair?.speedup !== null && pair?.speedup !== undefined);
    assert.ok(Math.abs(Math.log(pair.speedup / 150)) < 0.1, `speedup ${pair.speedup}`);
    assert.ok(pair.ci && pair.ci.lower < pair.speedup && pair.speedup < pair.ci.upper);
    assert.equal(absent?.speedup, null);
    assert.match(absent?.note ?? '', /nope/);
  });

  it("sorts each benchmark's samples once, however many pairs name it", () => {
    const results = synthetic(21, [
      { id: 'a', median: 100, logSd: 0.1, samples: 50 },
      { id: 'b', median: 200, logSd: 0.1, samples: 50 },
    ]);
    // Count the times each sample array is read whole (sorting copies it through its iterator).
    let reads = 0;
    const counted = results.benchmarks.map((b) => ({
      ...b,
      samples: new Proxy(b.samples ?? [], {
        get(target, key, receiver) {
          if (key === Symbol.iterator) reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      }),
    }));
    const pairs = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, contender: 'a', reference: 'b' }));
    const out = computePairs({ ...results, benchmarks: counted, pairs });
    assert.equal(out.filter((p) => p.speedup !== null).length, 10);
    assert.equal(reads, 2, 'one sort per benchmark');
  });

  it('stops computing pairs past the work budget and says so on each pair left', () => {
    const results = synthetic(22, [
      { id: 'a', median: 100, logSd: 0.1, samples: 1000 },
      { id: 'b', median: 200, logSd: 0.1, samples: 1000 },
    ]);
    const pairs = Array.from({ length: 500 }, (_, i) => ({ name: `p${i}`, contender: 'a', reference: 'b' }));
    const resamples = 1000;
    // Each pair visits 1000 + 1000 samples and draws 1000 resamples.
    const out = computePairs({ ...results, pairs }, { resamples, workBudget: 3000 * 40 });
    assert.equal(out.length, 500, 'no pair is dropped');
    assert.equal(out.filter((p) => p.speedup !== null).length, 40);
    const left = out.slice(40);
    assert.ok(left.every((p) => p.speedup === null));
    assert.match(left[0]?.note ?? '', /^not computed: the pairs of one report may compare 120,000 samples in all/);
  });
});

describe('numbers past the double range', () => {
  it('the median of two values near the top of the range is finite', () => {
    assert.equal(medianOfSorted(Float64Array.from([1.7e308, 1.7e308])), 1.7e308);
    assert.equal(medianOfSorted(Float64Array.from([1, 3])), 2);
  });

  it('a head whose samples overflow (1e999 in JSON reads as Infinity) gets no ratio, and no NaN or Infinity reaches the report', () => {
    const specs = [
      { id: 'big/one', median: 100, logSd: 0.05, samples: 20 },
      { id: 'ok/two', median: 100, samples: 20 },
    ];
    const runs = [1, 2, 3, 4].map((s) => {
      const r = synthetic(s, specs, String(s).repeat(40));
      return { ...r, run: { ...r.run, timestamp: `2026-01-0${s}T00:00:00Z` } };
    });
    const head = synthetic(9, specs);
    const big = head.benchmarks[0] as Benchmark;
    head.benchmarks[0] = {
      ...big,
      samples: (big.samples ?? []).map((_, i) => (i % 2 ? Infinity : 1.7e308)),
      estimates: { ...big.estimates, median: Infinity },
    };
    const series = seriesFromRuns(runs);
    const base = runs[3] as Results;
    const terms = historyTerms(series, base, head, 4, []);
    const analysis = analyze({ base, head, threshold: 0.1, series, noise: terms.noise, baseRuns: terms.baseRuns });
    const row = analysis.comparison?.rows.find((r) => r.id === 'big/one');
    assert.equal(row?.change, null);
    assert.match(row?.note ?? '', /past the range of numbers/);
    assert.ok(row?.qValue === null || Number.isFinite(row?.qValue), `q ${row?.qValue}`);
    assert.doesNotMatch(analysis.markdown, /NaN|Infinity/);
  });
});
