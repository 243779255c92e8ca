import { quantileOfSorted } from '../common/sample.ts';
import type { PairResult } from '../compare/types.ts';
import { benchmarkLabel, findById, INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import type { Benchmark, Results } from '../schema/types.ts';
import type { Claim, ClaimResult, ClaimsFile, MedianClaim, PercentileClaim, Quantity } from './types.ts';

/** Nanoseconds per unit; results store every time in ns. */
const TIME_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9 };

/** Factor from the benchmark's unit to the claim's unit, or null when they do not convert. */
function unitFactor(benchmarkUnit: string, claimUnit: string): number | null {
  if (benchmarkUnit === claimUnit) return 1;
  const from = TIME_UNITS[benchmarkUnit];
  const to = TIME_UNITS[claimUnit];
  return from !== undefined && to !== undefined ? from / to : null;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
}

function boundOf(claim: PercentileClaim | MedianClaim, unit: string): NonNullable<ClaimResult['bound']> {
  return claim.max !== undefined
    ? { op: '<=', value: claim.max, unit }
    : { op: '>=', value: claim.min as number, unit };
}

function judge(measured: number, bound: NonNullable<ClaimResult['bound']>): 'pass' | 'fail' {
  return (bound.op === '<=' ? measured <= bound.value : measured >= bound.value) ? 'pass' : 'fail';
}

function describeBound(subject: string, bound: NonNullable<ClaimResult['bound']>): string {
  return `${subject} ${bound.op} ${formatNumber(bound.value)}${bound.unit === 'x' ? 'x' : ` ${bound.unit}`}`;
}

function missing(claim: Claim, description: string, bound: ClaimResult['bound'], detail: string): ClaimResult {
  return { id: claim.id, kind: claim.kind, description, status: 'missing', measured: null, bound, detail };
}

function valueClaim(claim: PercentileClaim | MedianClaim, benchmarks: readonly Benchmark[]): ClaimResult {
  // Without a metric the claim bounds the id's wall time (or its only metric).
  const b = findById(benchmarks, claim.benchmark, claim.metric);
  const unit = claim.unit ?? b?.unit ?? '';
  const bound = boundOf(claim, unit);
  const name =
    claim.metric === undefined ? claim.benchmark : benchmarkLabel({ id: claim.benchmark, metric: claim.metric });
  const subject = claim.kind === 'percentile' ? `${name} p${formatNumber(claim.percentile)}` : `${name} median`;
  const description = claim.description ?? describeBound(subject, bound);
  if (!b) return missing(claim, description, bound, `benchmark '${name}' is not in the results`);
  const factor = unitFactor(b.unit, unit);
  if (factor === null)
    return missing(
      claim,
      description,
      bound,
      `claim unit '${unit}' does not convert from the benchmark's unit '${b.unit}'`,
    );
  let raw: number;
  let how: string;
  if (claim.kind === 'percentile') {
    if (b.samples === null || b.samples.length === 0)
      return missing(claim, description, bound, `benchmark '${b.id}' has no raw samples to take a percentile of`);
    raw = quantileOfSorted(
      [...b.samples].sort((x, y) => x - y),
      claim.percentile / 100,
    );
    how = `p${formatNumber(claim.percentile)} of ${b.samples.length} samples`;
  } else if (b.samples !== null && b.samples.length > 0) {
    raw = quantileOfSorted(
      [...b.samples].sort((x, y) => x - y),
      0.5,
    );
    how = `median of ${b.samples.length} samples`;
  } else {
    raw = b.estimates.median;
    // A count under Valgrind is exact: its one value is the measurement, not a summary of samples.
    how = b.metric === INSTRUCTIONS_METRIC ? 'instructions counted under Valgrind' : `reported median (no samples)`;
  }
  const measured: Quantity = { value: raw * factor, unit };
  const status = judge(measured.value, bound);
  return {
    id: claim.id,
    kind: claim.kind,
    description,
    status,
    measured,
    bound,
    detail: `${how}: ${formatNumber(measured.value)} ${unit}`,
  };
}

/**
 * Evaluates each claim against one run's results and its pairs (from
 * `computePairs` or `Comparison.pairs`). A claim whose benchmark, pair or check
 * is absent comes back `missing`, never silently passed or skipped. Pure.
 */
export function evaluateClaims(claims: ClaimsFile, results: Results, pairs: readonly PairResult[]): ClaimResult[] {
  const benchmarks = results.benchmarks;
  return claims.claims.map((claim): ClaimResult => {
    switch (claim.kind) {
      case 'percentile':
      case 'median':
        return valueClaim(claim, benchmarks);
      case 'speedup': {
        const bound = { op: '>=' as const, value: claim.min, unit: 'x' };
        const description = claim.description ?? describeBound(`${claim.pair} speedup`, bound);
        const pair = pairs.find((p) => p.name === claim.pair);
        if (!pair) return missing(claim, description, bound, `pair '${claim.pair}' is not in the results`);
        if (pair.speedup === null)
          return missing(
            claim,
            description,
            bound,
            `pair '${claim.pair}' has no speedup: ${pair.note ?? 'not measured'}`,
          );
        const ciLower = pair.ci?.lower ?? null;
        const ciText = pair.ci
          ? `, ${Math.round(pair.ci.level * 100)}% CI ${formatNumber(pair.ci.lower)}x-${formatNumber(pair.ci.upper)}x`
          : '';
        return {
          id: claim.id,
          kind: claim.kind,
          description,
          status: judge(pair.speedup, bound),
          measured: { value: pair.speedup, unit: 'x' },
          bound,
          ciLower,
          detail: `${pair.contender} vs ${pair.reference}: ${formatNumber(pair.speedup)}x${ciText}${pair.weak ? ' (weak: no raw samples)' : ''}`,
        };
      }
      case 'check': {
        const description = claim.description ?? `${claim.check} passes`;
        const check = results.checks?.find((c) => c.id === claim.check);
        if (!check) return missing(claim, description, null, `check '${claim.check}' is not in the results`);
        const metrics = Object.entries(check.metrics)
          .map(([name, value]) =>
            check.limits[name] !== undefined
              ? `${name} ${formatNumber(value)} (limit ${formatNumber(check.limits[name])})`
              : `${name} ${formatNumber(value)}`,
          )
          .join(', ');
        const detail = [check.message, metrics].filter((s) => s !== undefined && s !== '').join('; ');
        return {
          id: claim.id,
          kind: claim.kind,
          description,
          status: check.passed ? 'pass' : 'fail',
          measured: null,
          bound: null,
          detail: detail || (check.passed ? 'passed' : 'failed'),
        };
      }
    }
  });
}
