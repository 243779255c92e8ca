import { benchmarkKey } from '../schema/metric.ts';
import type { Results } from '../schema/types.ts';
import { normalQuantile, studentTQuantile } from './stats/special.ts';

/** Fewer runs than this give no usable estimate of run-to-run spread. */
export const MIN_HISTORY_RUNS = 3;

export interface RunNoise {
  /** Run-to-run standard deviation of log(median) of one run. */
  perRun: number;
  /** How many runs it was estimated from. */
  runs: number;
}

function sampleSd(values: readonly number[]): number {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance);
}

/**
 * Each benchmark's run-to-run spread, from several runs of (nominally) the same
 * code: the standard deviation of log(median) across runs. Within-run
 * statistics cannot see this: a benchmark's 95% interval can be 0.5% wide
 * while its medians move 3% between runs of one binary. Pure.
 */
export function estimateRunNoise(runs: readonly Results[], minRuns = MIN_HISTORY_RUNS): Map<string, RunNoise> {
  const noise = new Map<string, RunNoise>();
  for (const [id, medians] of runMedians(runs)) {
    if (medians.length >= minRuns) noise.set(id, { perRun: sampleSd(medians.map(Math.log)), runs: medians.length });
  }
  return noise;
}

/** Each benchmark's positive medians across runs, by benchmarkKey, for the range guard and the noise estimate. */
export function runMedians(runs: readonly Results[]): Map<string, number[]> {
  const medians = new Map<string, number[]>();
  for (const run of runs) {
    for (const benchmark of run.benchmarks) {
      const median = benchmark.estimates.median;
      if (!(median > 0)) continue;
      const key = benchmarkKey(benchmark);
      const list = medians.get(key) ?? [];
      list.push(median);
      medians.set(key, list);
    }
  }
  return medians;
}

/**
 * How much wider an interval must be when its spread is estimated from `df`
 * degrees of freedom rather than known: Student's t over the normal quantile.
 * Three runs of history (df 2) widen a 95% interval 2.2-fold; thirty, 1.05-fold.
 */
export function estimationFactor(df: number, level = 0.95): number {
  const p = 0.5 + level / 2;
  return studentTQuantile(p, df) / normalQuantile(p);
}

/**
 * The extra log-scale sd for comparing one base run with one head run: each
 * side carries its own run effect, so the difference has sqrt(2) times the
 * per-run spread; and the spread is itself estimated from few runs, so it is
 * widened by the t factor for their degrees of freedom.
 */
export function comparisonNoise(noise: ReadonlyMap<string, RunNoise>, level = 0.95): Map<string, number> {
  return new Map(
    [...noise].map(([id, { perRun, runs }]) => [id, perRun * Math.SQRT2 * estimationFactor(runs - 1, level)]),
  );
}

export interface HistoryTerms {
  /** Extra log-sd per benchmark for one base run against one head run. */
  noise: Map<string, number>;
  /** The runs' medians per benchmark, for the range guard. */
  baseRuns: Map<string, number[]>;
}

/** What history-aware verdicts take from the base run and its history (the base included). */
export function historyTerms(runs: readonly Results[]): HistoryTerms {
  const baseRuns = new Map([...runMedians(runs)].filter(([, medians]) => medians.length >= MIN_HISTORY_RUNS));
  return { noise: comparisonNoise(estimateRunNoise(runs)), baseRuns };
}
