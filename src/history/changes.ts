/**
 * Change points over a whole series file, and the noise window they imply:
 * the baseline's run-to-run spread is estimated only from runs since each
 * benchmark's last change point, because a step inside the window inflates
 * the spread and hides later regressions. Pure.
 */
import { comparisonNoise, MIN_HISTORY_RUNS, type HistoryTerms, type RunNoise } from '../compare/noise.ts';
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

export function seriesChangePoints(file: SeriesFile, series: BenchmarkSeries, options: Partial<ChangePointOptions> = {}): SeriesChangePoint[] {
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

export interface NoiseWindow extends HistoryTerms {
  /** Benchmarks whose window was cut at a change point, with the runs left. */
  cut: Map<string, number>;
}

/**
 * History terms for one metric from the newest `maxRuns` points of each
 * benchmark, cut at its last change point (detected over the whole series).
 * Keyed by benchmark id, as the comparison is.
 */
export function noiseSinceChange(file: SeriesFile, maxRuns: number, metric = 'time', options: Partial<ChangePointOptions> = {}): NoiseWindow {
  const noise = new Map<string, RunNoise>();
  const baseRuns = new Map<string, number[]>();
  const cut = new Map<string, number>();
  for (const s of file.series) {
    if (s.metric !== metric) continue;
    const start = sinceLastChange(detectChangePoints(s.median, options));
    const from = Math.max(start, s.median.length - Math.max(1, maxRuns));
    const window = s.median.slice(from);
    if (start > 0 && start >= s.median.length - maxRuns) cut.set(s.id, window.length);
    if (window.length < MIN_HISTORY_RUNS) continue;
    noise.set(s.id, { perRun: sampleSd(window.map(Math.log)), runs: window.length });
    baseRuns.set(s.id, window);
  }
  return { noise: comparisonNoise(noise), baseRuns, cut };
}
