/**
 * `bench-action history`: the change points of a base-branch series as
 * markdown lines ("cache_get_warm/sark_cache: +12% at a1b2c3d (7 runs ago)")
 * or JSON. Pure: strings out.
 */
import type { SeriesChangePoint } from '../history/changes.ts';
import type { SeriesFile } from '../history/series.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import { escapeText, formatValue, plural, shortSha } from './format.ts';

export interface HistoryJson {
  historyVersion: 1;
  runs: number;
  benchmarks: number;
  /** A change point as history/changes.ts finds it, less its direction (historyVersion 1 never carried it). */
  changePoints: Array<Omit<SeriesChangePoint, 'direction'>>;
}

export function historyJson(file: SeriesFile, points: readonly SeriesChangePoint[]): HistoryJson {
  return {
    historyVersion: 1,
    runs: file.runs.length,
    benchmarks: file.series.length,
    changePoints: points.map((p) => ({
      id: p.id,
      metric: p.metric,
      index: p.index,
      commit: p.commit,
      timestamp: p.timestamp,
      runsAgo: p.runsAgo,
      before: p.before,
      after: p.after,
      change: p.change,
      unit: p.unit,
    })),
  };
}

function signedPercent(change: number): string {
  const pct = change * 100;
  return `${pct >= 0 ? '+' : ''}${Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function ago(runsAgo: number): string {
  return runsAgo === 0 ? 'the newest run' : `${plural(runsAgo, 'run')} ago`;
}

/** One change point as the report says it; the metric is named when it is not wall time. */
export function describeChangePoint(p: SeriesChangePoint): string {
  const worse = p.direction === 'lower' ? p.change > 0 : p.change < 0;
  return `${escapeText(benchmarkLabel(p))}: ${signedPercent(p.change)} at ${shortSha(p.commit)} (${ago(p.runsAgo)}), ${formatValue(p.before, p.unit)} → ${formatValue(p.after, p.unit)}${worse ? ' (worse)' : ' (better)'}`;
}

export function renderHistoryMarkdown(file: SeriesFile, points: readonly SeriesChangePoint[]): string {
  const head = `## Base-branch history\n\n${plural(file.series.length, 'benchmark')} over ${plural(file.runs.length, 'run')}`;
  if (points.length === 0) return `${head}: no change points.\n`;
  const lines = points.map((p) => `- ${describeChangePoint(p)}`);
  return `${head}: ${plural(points.length, 'change point')}.\n\n${lines.join('\n')}\n`;
}
