import type { ClaimResult } from '../claims/types.ts';
import type { Drift } from '../compare/controls.ts';
import type { Comparison, ConfirmationRound, ComparisonRow, ComparisonSummary, PairResult, ResolvedCompareOptions } from '../compare/types.ts';
import type { RunMeta } from '../schema/types.ts';

/** What `--format json` prints: plain data, one entry per benchmark. */
export interface JsonReport {
  reportVersion: 1;
  base: RunMeta;
  head: RunMeta;
  options: ResolvedCompareOptions;
  summary: ComparisonSummary;
  /** Every benchmark: id, verdict, change (head/base) and its ci, p and q, medians, threshold... */
  benchmarks: ComparisonRow[];
  pairs: PairResult[];
  /** The runner's drift measured by the control benchmarks; null when none were declared. */
  drift: Drift | null;
  /** The confirmation round's cost and reach, when one ran; each re-measured row carries `confirmation`. */
  confirmationRound?: ConfirmationRound;
  claims?: ClaimResult[];
}

/** The machine-readable report. Infinite interval ends (a zero median drawn in the bootstrap) serialize as null. */
export function toJsonReport(comparison: Comparison, claims?: readonly ClaimResult[]): JsonReport {
  return {
    reportVersion: 1,
    base: comparison.base,
    head: comparison.head,
    options: comparison.options,
    summary: comparison.summary,
    benchmarks: comparison.rows.map((row) => ({ ...row, ci: row.ci ? { ...row.ci } : null })),
    pairs: comparison.pairs.map((pair) => ({ ...pair })),
    drift: comparison.drift,
    ...(comparison.confirmationRound ? { confirmationRound: comparison.confirmationRound } : {}),
    ...(claims ? { claims: [...claims] } : {}),
  };
}
