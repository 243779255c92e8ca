/**
 * Change points over a whole series file, and the noise window they imply:
 * the baseline's run-to-run spread is estimated only from runs since each
 * benchmark's last change point, because a step inside the window inflates
 * the spread and hides later regressions. Pure.
 */
import { controlMatcher, estimateDrift } from '../compare/controls.ts';
import { comparisonNoise, MIN_HISTORY_RUNS, type HistoryTerms, type RunNoise } from '../compare/noise.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { Results } from '../schema/types.ts';
import { alignSeries, runIndexOf } from './align.ts';
import { detectChangePoints, sinceLastChange, type ChangePointOptions } from './changepoints.ts';
import type { BenchmarkSeries, SeriesFile } from './series.ts';

export interface SeriesChangePoint {
  id: string;
  metric: string;
  /** Index of the first point of the new level within this benchmark's series. */
  index: number;
  /** Commit of the first run at the new level. */
  commit: string | null;
  timestamp: string;
  /** Runs of this benchmark after that one (0: the newest run). */
  runsAgo: number;
  before: number;
  after: number;
  /** after / before - 1. */
  change: number;
  unit: string;
  direction: BenchmarkSeries['direction'];
}

export function seriesChangePoints(
  file: SeriesFile,
  series: BenchmarkSeries,
  options: Partial<ChangePointOptions> = {},
): SeriesChangePoint[] {
  return detectChangePoints(series.median, options).map((p) => {
    const run = file.runs[series.run[p.index] as number];
    return {
      id: series.id,
      metric: series.metric,
      index: p.index,
      commit: run?.commit ?? null,
      timestamp: run?.timestamp ?? '',
      runsAgo: series.median.length - 1 - p.index,
      before: p.before,
      after: p.after,
      change: p.change,
      unit: series.unit,
      direction: series.direction,
    };
  });
}

/** Every benchmark's change points, oldest first within a benchmark, benchmarks by id. */
export function allChangePoints(file: SeriesFile, options: Partial<ChangePointOptions> = {}): SeriesChangePoint[] {
  return [...file.series]
    .sort((a, b) => a.id.localeCompare(b.id) || a.metric.localeCompare(b.metric))
    .flatMap((s) => seriesChangePoints(file, s, options));
}

function sampleSd(values: readonly number[]): number {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  return Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1));
}

/**
 * The sd of log values around their own segment's mean, pooled over the
 * segments (df = points - segments): the spread without the steps.
 */
function pooledSd(segments: readonly number[][]): RunNoise | null {
  let squares = 0;
  let df = 0;
  for (const segment of segments) {
    if (segment.length < 2) continue;
    const mean = segment.reduce((a, b) => a + b, 0) / segment.length;
    squares += segment.reduce((a, b) => a + (b - mean) ** 2, 0);
    df += segment.length - 1;
  }
  return df >= MIN_HISTORY_RUNS - 1 ? { perRun: Math.sqrt(squares / df), runs: df + 1 } : null;
}

export interface NoiseWindow extends HistoryTerms {
  /** Benchmarks (by benchmarkKey) whose window was cut at a change point, with the runs left. */
  cut: Map<string, number>;
}

/**
 * History terms for one metric from the newest `maxRuns` points of each
 * benchmark, counted only since its last change point (detected over the
 * whole series). When fewer than 3 runs follow that change, the spread is
 * the residual sd around each segment's own level in the window, so a fresh
 * step neither inflates the noise nor leaves the benchmark with none; the
 * range guard then waits for 3 runs at the new level. Keyed by benchmarkKey
 * (the bare id for wall time), as the comparison is.
 */
export function noiseSinceChange(
  file: SeriesFile,
  maxRuns: number,
  options: Partial<ChangePointOptions> = {},
): NoiseWindow {
  const noise = new Map<string, RunNoise>();
  const baseRuns = new Map<string, number[]>();
  const cut = new Map<string, number>();
  for (const s of file.series) {
    const key = benchmarkKey(s);
    const points = detectChangePoints(s.median, options);
    const first = Math.max(0, s.median.length - Math.max(1, maxRuns));
    const start = Math.max(first, sinceLastChange(points));
    const recent = s.median.slice(start);
    if (start > first) cut.set(key, recent.length);
    if (recent.length >= MIN_HISTORY_RUNS) {
      noise.set(key, { perRun: sampleSd(recent.map(Math.log)), runs: recent.length });
      baseRuns.set(key, recent);
      continue;
    }
    const bounds = [first, ...points.map((p) => p.index).filter((i) => i > first), s.median.length];
    const segments = bounds.slice(1).map((end, k) => s.median.slice(bounds[k], end).map(Math.log));
    const pooled = start > first ? pooledSd(segments) : null;
    if (pooled) noise.set(key, pooled);
  }
  return { noise: comparisonNoise(noise), baseRuns, cut };
}

/**
 * noiseSinceChange on the history as if measured on the base's runner when
 * control benchmarks are declared and correct this head (history/align.ts), so
 * the spread that widens each interval holds no more runner drift than the
 * corrected head. When the head's controls are too few or disagree, the head
 * is judged as measured, and so is the history: aligning it then would narrow
 * the intervals around a head that still carries its runner's drift.
 */
export function historyTerms(
  file: SeriesFile,
  base: Results,
  head: Results,
  maxRuns: number,
  controls: readonly string[],
): NoiseWindow {
  const corrects = controls.length > 0 && estimateDrift(base, head, controlMatcher(controls)).applied;
  const aligned = corrects ? alignSeries(file, controls, runIndexOf(file, base.run)) : file;
  return noiseSinceChange(aligned, maxRuns);
}
