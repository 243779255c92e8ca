import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { countPairs } from '../../src/compare/count-pairing.ts';
import { chooseCounts } from '../../src/run/count-choice.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { benchmark, runMeta } from './synthetic.ts';

const pairs = (counted: string[], time: string[]) => Object.fromEntries(countPairs(counted, new Set(time)));

const count = (id: string, n: number): Benchmark => ({
  ...benchmark({ id, median: n }, null),
  metric: 'instructions',
  source: 'gungraun',
  unit: 'instructions',
  estimates: { median: n, mean: n, stdDev: null, ci: null },
});
const time = (id: string, median: number) =>
  benchmark(
    { id, median },
    Array.from({ length: 50 }, (_, i) => median + (i % 5)),
  );
const results = (benchmarks: Benchmark[]): Results => ({
  schemaVersion: SCHEMA_VERSION,
  run: runMeta('c0ffee'),
  benchmarks,
});
const gate = {
  source: 'same-runner' as const,
  baselineRuns: 0,
  runsPerBenchmark: new Map<string, number>(),
  failOnRegression: true,
  baseBranch: 'main',
};

describe('which wall-time benchmark a count may decide', () => {
  it('pairs the same id, and the twins of the fixtures and of SARK’s own suites', () => {
    assert.deepEqual(pairs(['parse/short'], ['parse/short', 'parse/long']), { 'parse/short': 'parse/short' });
    assert.deepEqual(pairs(['checksum_instructions/checksum/checksum_fn.bytes_256'], ['checksum/bytes_256']), {
      'checksum_instructions/checksum/checksum_fn.bytes_256': 'checksum/bytes_256',
    });
    assert.deepEqual(
      pairs(
        [
          'opa_instructions/opa_batch/sark_opa.inputs_100',
          'opa_instructions/opa_simple_policy/sark_opa.allow',
          'opa_instructions/opa_complex_policy/sark_opa.decision',
          'cache_instructions/cache_get_warm/sark_cache.hit',
        ],
        ['opa_batch/100', 'opa_simple_policy', 'opa_complex_policy', 'cache_get_warm/sark_cache', 'cache_get_warm/lru'],
      ),
      {
        'opa_instructions/opa_batch/sark_opa.inputs_100': 'opa_batch/100',
        'opa_instructions/opa_simple_policy/sark_opa.allow': 'opa_simple_policy',
        'opa_instructions/opa_complex_policy/sark_opa.decision': 'opa_complex_policy',
        'cache_instructions/cache_get_warm/sark_cache.hit': 'cache_get_warm/sark_cache',
      },
    );
  });

  it('pairs nothing where a loose shape fits more than one id on either side', () => {
    // Two functions of group `parse` each fit the Criterion benchmark `parse` by the group alone.
    assert.deepEqual(pairs(['b/parse/fast.small', 'b/parse/slow.large'], ['parse']), {});
    // One count fits two Criterion ids (group/function and group/id).
    assert.deepEqual(pairs(['b/parse/fast.small'], ['parse/fast', 'parse/small']), {});
    // A Criterion id with its own count is not another count's loose twin.
    assert.deepEqual(pairs(['parse', 'b/parse/fast.small'], ['parse']), { parse: 'parse' });
    // Not by elimination: a count that fits `parse/fast` and `parse` does not become `parse`'s because the
    // harness counted `parse/fast` (`parse` is the one the harness left without a count, for a reason).
    assert.deepEqual(pairs(['parse/fast', 'b/parse/fast.small'], ['parse/fast', 'parse']), {
      'parse/fast': 'parse/fast',
    });
  });

  it('a count of another function sharing the group does not overrule a real wall-time regression', () => {
    const base = results([time('parse', 100), count('b/parse/fast.small', 1000), count('b/parse/slow.large', 5000)]);
    const head = results([time('parse', 150), count('b/parse/fast.small', 1000), count('b/parse/slow.large', 5000)]);
    const analysis = analyze({ head, base, threshold: 0.05, seed: 1, gate });
    assert.deepEqual([...analysis.countDecides], []);
    assert.equal(analysis.regressions, 1);
    assert.deepEqual(
      analysis.gate?.failing.map((r) => r.id),
      ['parse'],
    );
    // One count in the group, one Criterion benchmark: a 1:1 pairing, and the count decides.
    const one = analyze({
      head: results([time('parse', 150), count('b/parse/fast.small', 1000)]),
      base: results([time('parse', 100), count('b/parse/fast.small', 1000)]),
      threshold: 0.05,
      seed: 1,
      gate,
    });
    assert.deepEqual([...one.countDecides], ['parse']);
    assert.equal(one.regressions, 0);
    assert.deepEqual(one.gate?.failing, []);
  });

  it('a count that decided nothing (a head count of 0) leaves the wall-time regression to fail', () => {
    const analysis = analyze({
      head: results([time('parse', 150), count('b/parse/fast.small', 0)]),
      base: results([time('parse', 100), count('b/parse/fast.small', 1000)]),
      threshold: 0.05,
      seed: 1,
      gate,
    });
    assert.equal(analysis.comparison?.rows.find((r) => r.metric === 'instructions')?.change, null);
    assert.deepEqual([...analysis.countDecides], []);
    assert.deepEqual(
      analysis.gate?.failing.map((r) => r.id),
      ['parse'],
    );
  });

  it("keeps the harness's own count where a gungraun twin is ambiguous", () => {
    const choice = chooseCounts(
      [{ ...count('parse', 900), source: 'criterion-callgrind' }],
      [count('b/parse/fast.small', 1000), count('b/parse/slow.large', 5000)],
      new Set(['parse']),
    );
    assert.deepEqual(
      choice.kept.map((b) => b.id),
      ['parse'],
    );
    assert.deepEqual(choice.gungraunUsed, []);
  });
});
