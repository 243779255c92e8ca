import { benchmarkKey } from '../schema/metric.ts';
import { summarize, worsening } from './compare.ts';
import type { Comparison, ComparisonRow, Confirmation } from './types.ts';

/**
 * The confirmation round: benchmarks that a comparison with the baseline
 * (measured earlier, on another runner) flags, or leaves undecided near the
 * threshold, are measured again here, base and head interleaved on this
 * runner; that same-runner verdict is the final one. Pure: which benchmarks to
 * confirm, and the comparison once they are.
 */

/**
 * Whether a row deserves a second look: a regression, or inconclusive with its
 * estimate at least half-way to the threshold (w ≥ 1 + t/2, w oriented so
 * above 1 is worse). Improvements and changes near zero never fail the build,
 * so they are not worth the runner's time.
 */
export function needsConfirmation(row: ComparisonRow): boolean {
  if (row.change === null) return false;
  if (row.verdict === 'regression') return true;
  return row.verdict === 'inconclusive' && worsening(row.change, row.direction) >= 1 + row.threshold / 2;
}

/** The rows to confirm, most severe first, so a budget that runs out drops the mildest. `measurable` takes a benchmark key (id, metric). */
export function confirmationCandidates(
  comparison: Comparison,
  measurable: (key: string) => boolean = () => true,
): ComparisonRow[] {
  const rank = (row: ComparisonRow): number => (row.verdict === 'regression' ? 0 : 1);
  return comparison.rows
    .filter((row) => needsConfirmation(row) && measurable(benchmarkKey(row)))
    .sort((a, b) => rank(a) - rank(b) || worsening(b.change ?? 1, b.direction) - worsening(a.change ?? 1, a.direction));
}

export interface ConfirmationOutcome {
  /** The same-runner comparison of the benchmarks that were re-measured. */
  sameRunner: Comparison;
  /** Interleaved rounds per side. */
  rounds: number;
  /** Candidates that did not fit the budget: their verdict stays the baseline's. */
  skipped: string[];
  /** Wall-clock seconds the round took, the build included. */
  seconds: number;
}

/**
 * The comparison with the re-measured benchmarks' verdicts replaced by the
 * same-runner ones; each such row keeps what the baseline said in
 * `confirmation`. Rows the round skipped are marked so the report can say so.
 */
export function applyConfirmation(comparison: Comparison, outcome: ConfirmationOutcome): Comparison {
  const remeasured = new Map(
    outcome.sameRunner.rows.filter((row) => row.change !== null).map((row) => [benchmarkKey(row), row]),
  );
  const skipped = new Set(outcome.skipped);
  const rows = comparison.rows.map((row): ComparisonRow => {
    const same = remeasured.get(benchmarkKey(row));
    if (same) {
      const confirmation: Confirmation = {
        baselineVerdict: row.verdict,
        baselineChange: row.change,
        baselineCi: row.ci,
        status: same.verdict === 'regression' ? 'confirmed' : 'not-confirmed',
        change: same.change,
        ci: same.ci,
        qValue: same.qValue,
      };
      // The row now tells what this runner measured; the baseline's numbers stay in `confirmation`.
      const note = `measured again on this runner (${outcome.rounds} interleaved rounds per side); against the baseline: ${row.verdict}`;
      // Base and head shared this runner: no drift correction applies to these numbers.
      const { drift: _baselineDrift, ...measured } = row;
      return {
        ...measured,
        verdict: same.verdict,
        change: same.change,
        ci: same.ci,
        pValue: same.pValue,
        qValue: same.qValue,
        baseMedian: same.baseMedian,
        headMedian: same.headMedian,
        baseSamples: same.baseSamples,
        headSamples: same.headSamples,
        extraNoise: same.extraNoise,
        note: same.note ? `${note}; ${same.note}` : note,
        confirmation,
      };
    }
    if (skipped.has(benchmarkKey(row))) {
      return {
        ...row,
        confirmation: {
          baselineVerdict: row.verdict,
          baselineChange: row.change,
          baselineCi: row.ci,
          status: 'over-budget',
          change: null,
          ci: null,
          qValue: null,
        },
      };
    }
    return row;
  });
  return {
    ...comparison,
    rows,
    summary: summarize(rows),
    confirmationRound: {
      rounds: outcome.rounds,
      seconds: outcome.seconds,
      remeasured: remeasured.size,
      skipped: outcome.skipped.length,
    },
  };
}
