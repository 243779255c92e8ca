import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateClaims, formatClaimsIssues, validateClaims, type ClaimsFile } from '../../src/claims/index.ts';
import { computePairs } from '../../src/compare/index.ts';
import { quantileOfSorted } from '../../src/common/sample.ts';
import { loadResults } from '../../src/files/load.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import type { Results } from '../../src/schema/types.ts';
import { synthetic } from '../compare/synthetic.ts';

function results(): Results {
  const base = synthetic(31, [
    { id: 'cache/sark/get', median: 200_000, logSd: 0.3, samples: 500 }, // 0.2 ms, wide tail
    { id: 'cache/redis/get', median: 4_000_000, logSd: 0.1 },
    { id: 'cache/throughput', median: 5e6, logSd: 0.05, direction: 'higher', unit: 'ops/s' },
  ]);
  return {
    ...base,
    pairs: [{ name: 'sark vs redis', contender: 'cache/sark/get', reference: 'cache/redis/get' }],
    checks: [
      { id: 'memory/cache', passed: true, metrics: { growthMb: 12.5 }, limits: { growthMb: 30 } },
      {
        id: 'memory/policy',
        passed: false,
        metrics: { growthMb: 61 },
        limits: { growthMb: 50 },
        message: 'heap grew past the bound',
      },
    ],
  };
}

describe('validateClaims', () => {
  it('accepts every claim kind and rejects malformed claims naming the path', () => {
    const good = validateClaims({
      claims: [
        { kind: 'percentile', id: 'p95', benchmark: 'x', percentile: 95, max: 0.5, unit: 'ms' },
        { kind: 'median', id: 'm', benchmark: 'x', min: 10 },
        { kind: 'speedup', id: 's', pair: 'p', min: 10 },
        { kind: 'check', id: 'c', check: 'memory' },
      ],
    });
    assert.equal(good.ok, true);
    const bothBounds = validateClaims({
      claims: [{ kind: 'percentile', id: 'a', benchmark: 'x', percentile: 95, max: 1, min: 0 }],
    });
    assert.equal(bothBounds.ok, false);
    if (!bothBounds.ok)
      assert.match(formatClaimsIssues(bothBounds.issues), /\/claims\/0: needs exactly one of max or min/);
    const unknownKind = validateClaims({ claims: [{ kind: 'latency', id: 'a' }] });
    assert.equal(unknownKind.ok, false);
    if (!unknownKind.ok) assert.match(formatClaimsIssues(unknownKind.issues), /\/claims\/0\/kind/);
    const duplicate = validateClaims({
      claims: [
        { kind: 'check', id: 'a', check: 'x' },
        { kind: 'check', id: 'a', check: 'y' },
      ],
    });
    assert.equal(duplicate.ok, false);
    assert.equal(validateClaims({ claims: [{ kind: 'speedup', id: 'a', pair: 'p', min: 0 }] }).ok, false);
  });
});

describe('evaluateClaims', () => {
  const r = results();
  const pairs = computePairs(r);
  const samples = [...(r.benchmarks[0]?.samples ?? [])].sort((a, b) => a - b);
  const p95ms = quantileOfSorted(samples, 0.95) / 1e6;

  it('judges a percentile in the claim unit, both ways', () => {
    const file: ClaimsFile = {
      claims: [
        { kind: 'percentile', id: 'loose', benchmark: 'cache/sark/get', percentile: 95, max: p95ms * 1.01, unit: 'ms' },
        { kind: 'percentile', id: 'tight', benchmark: 'cache/sark/get', percentile: 95, max: p95ms * 0.99, unit: 'ms' },
        {
          kind: 'percentile',
          id: 'us',
          benchmark: 'cache/sark/get',
          percentile: 95,
          max: p95ms * 1000 * 1.01,
          unit: 'us',
        },
      ],
    };
    const [loose, tight, us] = evaluateClaims(file, r, pairs);
    assert.equal(loose?.status, 'pass');
    assert.equal(tight?.status, 'fail');
    assert.equal(us?.status, 'pass');
    assert.ok(Math.abs((loose?.measured?.value ?? 0) - p95ms) < 1e-12);
    assert.equal(loose?.measured?.unit, 'ms');
    assert.deepEqual(loose?.bound, { op: '<=', value: p95ms * 1.01, unit: 'ms' });
    assert.match(loose?.description ?? '', /cache\/sark\/get p95 <= /);
  });

  it('judges a median with a min bound in a non-time unit', () => {
    const [ok, bad] = evaluateClaims(
      {
        claims: [
          { kind: 'median', id: 'tput', benchmark: 'cache/throughput', min: 4e6 },
          { kind: 'median', id: 'tput-ms', benchmark: 'cache/throughput', min: 4e6, unit: 'ms' },
        ],
      },
      r,
      pairs,
    );
    assert.equal(ok?.status, 'pass');
    assert.equal(bad?.status, 'missing');
    assert.match(bad?.detail ?? '', /does not convert/);
  });

  it('judges a speedup on its point estimate and reports the interval lower bound', () => {
    const speedup = pairs[0]?.speedup as number;
    const [pass, fail] = evaluateClaims(
      {
        claims: [
          { kind: 'speedup', id: 'vs-redis', pair: 'sark vs redis', min: speedup * 0.9, description: 'cache vs Redis' },
          { kind: 'speedup', id: 'too-much', pair: 'sark vs redis', min: speedup * 1.1 },
        ],
      },
      r,
      pairs,
    );
    assert.equal(pass?.status, 'pass');
    assert.equal(pass?.description, 'cache vs Redis');
    assert.equal(pass?.ciLower, pairs[0]?.ci?.lower);
    assert.equal(fail?.status, 'fail');
  });

  it('reads checks and reports absent benchmarks, pairs and checks as missing', () => {
    const out = evaluateClaims(
      {
        claims: [
          { kind: 'check', id: 'mem-cache', check: 'memory/cache' },
          { kind: 'check', id: 'mem-policy', check: 'memory/policy' },
          { kind: 'check', id: 'gone', check: 'memory/none' },
          { kind: 'percentile', id: 'nobench', benchmark: 'nope', percentile: 99, max: 1 },
          { kind: 'speedup', id: 'nopair', pair: 'nope', min: 2 },
        ],
      },
      r,
      pairs,
    );
    assert.deepEqual(
      out.map((c) => c.status),
      ['pass', 'fail', 'missing', 'missing', 'missing'],
    );
    assert.match(out[1]?.detail ?? '', /heap grew past the bound; growthMb 61 \(limit 50\)/);
  });

  it('bounds an instruction count: "cache get under N instructions" on a real gungraun run', async () => {
    const results = await loadResults('fixtures/gungraun/cache-run-a', runMetaOnce());
    const get = 'cache_instructions/cache_get_warm/sark_cache.hit';
    const claims: ClaimsFile = {
      claims: [
        { kind: 'median', id: 'get-under-400', benchmark: get, metric: 'instructions', max: 400 },
        { kind: 'median', id: 'get-under-300', benchmark: get, metric: 'instructions', max: 300 },
        { kind: 'median', id: 'get-wall-time', benchmark: get, metric: 'time', max: 1, unit: 'ms' },
      ],
    };
    const [under400, under300, wall] = evaluateClaims(claims, results, []);
    assert.equal(under400?.status, 'pass');
    assert.deepEqual(under400?.measured, { value: 304, unit: 'instructions' });
    assert.deepEqual(under400?.bound, { op: '<=', value: 400, unit: 'instructions' });
    assert.equal(under400?.detail, 'instructions counted under Valgrind: 304 instructions');
    assert.match(
      under400?.description ?? '',
      /cache_get_warm\/sark_cache\.hit \[instructions\] median <= 400 instructions/,
    );
    assert.equal(under300?.status, 'fail');
    // The run has no wall time for the id: a time claim on it is missing, never judged against the count.
    assert.equal(wall?.status, 'missing');
  });

  it('needs samples for a percentile', () => {
    const noSamples: Results = { ...r, benchmarks: r.benchmarks.map((b) => ({ ...b, samples: null })) };
    const [result] = evaluateClaims(
      { claims: [{ kind: 'percentile', id: 'p', benchmark: 'cache/sark/get', percentile: 95, max: 1, unit: 'ms' }] },
      noSamples,
      [],
    );
    assert.equal(result?.status, 'missing');
  });
});
