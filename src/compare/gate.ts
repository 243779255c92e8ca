/**
 * Which regressions may fail the build. Pure.
 *
 * A wall-time verdict against a baseline artifact compares runs on different
 * machines at different times; without the baseline's own run-to-run spread
 * (MIN_HISTORY_RUNS runs of it) it cannot tell a regression from a slower
 * runner, so it is reported but never fails the build: the cold start. Other
 * evidence can decide on its own and is passed in as `trusted` per benchmark:
 * base and head measured on the same runner, a regression confirmed by a
 * re-measurement there, or an instruction count, which does not drift between
 * runners (results with the `instructions` metric decide alone already).
 */
import { benchmarkKey, INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import { MIN_HISTORY_RUNS } from './noise.ts';
import type { ComparisonRow, ComparisonSummary } from './types.ts';

/** Evidence that may fail the build without the baseline's history. */
export type TrustedEvidence = 'same-runner' | 'confirmed' | 'instructions';

/** Metrics that do not drift between runners: an instruction count decides without history. */
const DRIFT_FREE: ReadonlySet<string> = new Set([INSTRUCTIONS_METRIC]);

export interface GateInput {
  /** The comparison's rows; only regressions matter here. */
  rows: readonly ComparisonRow[];
  /** How the base was measured: the baseline artifact, or here beside the head. */
  source: 'baseline' | 'same-runner';
  /** Runs in the baseline (its latest plus its history); ignored for same-runner. */
  baselineRuns: number;
  /** Per benchmark key (schema/metric.ts benchmarkKey), how many baseline runs measured it. */
  runsPerBenchmark: ReadonlyMap<string, number>;
  /** Regressions backed by evidence that needs no history, by benchmark key. */
  trusted?: ReadonlyMap<string, TrustedEvidence>;
  failOnRegression: boolean;
  minRuns?: number;
  /**
   * Ids of the wall-time benchmarks an instruction count measures on both
   * sides (the same id, or a gungraun twin): their count decides, so a
   * wall-time regression there is shown and does not fail the build.
   */
  countDecides?: ReadonlySet<string>;
}

export interface ColdStart {
  /** Runs the baseline has. */
  runs: number;
  /** Runs it needs before wall time may fail the build. */
  needed: number;
  remaining: number;
}

export interface Gate {
  /** Regressions that fail the build (empty when fail-on-regression is off). */
  failing: ComparisonRow[];
  /** Regressions reported but held back for want of history. */
  held: ComparisonRow[];
  /** Set while the baseline itself has too few runs. */
  coldStart: ColdStart | null;
  /** Wall-time regressions on benchmarks whose instruction count decides instead. */
  overruled: ComparisonRow[];
}

export function gateRegressions(input: GateInput): Gate {
  const needed = input.minRuns ?? MIN_HISTORY_RUNS;
  const byCount = (row: ComparisonRow): boolean =>
    !DRIFT_FREE.has(row.metric) && input.countDecides?.has(row.id) === true;
  const overruled = input.rows.filter((row) => row.verdict === 'regression' && byCount(row));
  const regressions = input.rows.filter((row) => row.verdict === 'regression' && !byCount(row));
  const decides = (row: ComparisonRow): boolean => {
    const key = benchmarkKey(row);
    return (
      input.source === 'same-runner' ||
      DRIFT_FREE.has(row.metric) ||
      input.trusted?.has(key) === true ||
      (input.runsPerBenchmark.get(key) ?? 0) >= needed
    );
  };
  const coldStart =
    input.source === 'baseline' && input.baselineRuns < needed
      ? { runs: input.baselineRuns, needed, remaining: needed - input.baselineRuns }
      : null;
  const held = regressions.filter((row) => !decides(row));
  const failing = input.failOnRegression ? regressions.filter(decides) : [];
  return { failing, held, coldStart, overruled };
}

/** What benchmarks missing from the head do to the build. */
export interface MissingGate {
  /** Benchmarks of the baseline the head lacks. */
  missing: number;
  /** Nothing was measured on both sides. */
  nothingInCommon: boolean;
  /** The step fails on them. */
  fails: boolean;
}

/**
 * A head that shares no benchmark with its baseline compared nothing (a
 * renamed suite, a wrong path): it fails wherever a regression would, unless
 * `failOnMissing` is false. With `failOnMissing` true, any missing benchmark
 * fails. Null when nothing is missing and something was compared.
 */
export function gateMissing(
  summary: ComparisonSummary,
  failOnMissing: boolean | null,
  failOnRegression: boolean,
): MissingGate | null {
  const nothingInCommon = summary.inCommon === 0;
  const missing = summary.counts.missing;
  if (!nothingInCommon && missing === 0) return null;
  const fails = failOnMissing === true || (failOnMissing === null && nothingInCommon && failOnRegression);
  return { missing, nothingInCommon, fails };
}
