import type { ClaimResult } from '../claims/types.ts';
import type { Drift } from '../compare/controls.ts';
import type {
  Comparison,
  ConfirmationRound,
  ComparisonRow,
  ComparisonSummary,
  PairResult,
  ResolvedCompareOptions,
} from '../compare/types.ts';
import type { Benchmark, Check, Results, RunMeta } from '../schema/types.ts';

/** What `--output-format json` prints for a comparison: plain data, one entry per benchmark. */
export interface ComparisonJsonReport {
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

/**
 * What `--output-format json` prints for one run without a base: its benchmarks (samples left out), pairs, claims and
 * checks.
 */
export interface RunJsonReport {
  reportVersion: 1;
  head: RunMeta;
  benchmarks: Omit<Benchmark, 'samples'>[];
  pairs: PairResult[];
  claims: ClaimResult[];
  checks: Check[];
}

/**
 * The JSON report in all its cases (the CLI's `--output-format json`, the action's .report.json): a comparison has a
 * base, one run has none.
 */
export type JsonReport = ComparisonJsonReport | RunJsonReport;

export function isComparisonReport(report: JsonReport): report is ComparisonJsonReport {
  return 'base' in report;
}

/** The machine-readable report. Infinite interval ends (a zero median drawn in the bootstrap) serialize as null. */
export function toJsonReport(comparison: Comparison, claims?: readonly ClaimResult[]): ComparisonJsonReport {
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

/** The machine-readable report of one run without a base. */
export function toRunJsonReport(
  head: Results,
  pairs: readonly PairResult[],
  claims: readonly ClaimResult[],
): RunJsonReport {
  return {
    reportVersion: 1,
    head: head.run,
    benchmarks: head.benchmarks.map(({ samples: _samples, ...rest }) => rest),
    pairs: [...pairs],
    claims: [...claims],
    checks: head.checks ?? [],
  };
}
