/**
 * The compact base-branch series kept in the baseline artifact beside the
 * full runs: per benchmark and metric, the median and interval of up to
 * MAX_SERIES_RUNS runs, each run stamped with its commit, date and runner.
 * Parallel arrays keep 1,000 runs x 150 benchmarks small (docs/history.md).
 * Pure: no fs, no clock.
 */
import { compiledOnce } from '../schema/compile.ts';
import type { Direction, Results } from '../schema/types.ts';
import schema from './series.schema.json' with { type: 'json' };

export const SERIES_VERSION = 1 as const;
export const MAX_SERIES_RUNS = 1000;

export interface SeriesRun {
  commit: string | null;
  /** ISO 8601. */
  timestamp: string;
  runner: string | null;
}

/** One benchmark's points: element i of each array belongs to run `run[i]`. */
export interface BenchmarkSeries {
  id: string;
  metric: string;
  group: string;
  unit: string;
  direction: Direction;
  run: number[];
  median: number[];
  lower: (number | null)[];
  upper: (number | null)[];
}

export interface SeriesFile {
  $schema?: string;
  seriesVersion: typeof SERIES_VERSION;
  /** Oldest first. */
  runs: SeriesRun[];
  series: BenchmarkSeries[];
}

export function seriesKey(id: string, metric: string): string {
  return `${metric}\u0000${id}`;
}

/** Five significant digits: a thousandth of a percent, far below run-to-run noise. */
function round(value: number): number {
  return Number(value.toPrecision(5));
}

function runnerOf(results: Results): string | null {
  const r = results.run.runner;
  if (!r) return null;
  return (r.name ?? `${r.os}/${r.arch} ${r.cpuModel}`).slice(0, 200);
}

function stampOf(results: Results): SeriesRun {
  return { commit: results.run.commit, timestamp: results.run.timestamp, runner: runnerOf(results) };
}

function sameRun(a: SeriesRun, b: SeriesRun): boolean {
  return a.commit === b.commit && a.timestamp === b.timestamp;
}

export function emptySeries(): SeriesFile {
  return { seriesVersion: SERIES_VERSION, runs: [], series: [] };
}

/**
 * The series with `results` appended as its newest run, the oldest runs
 * dropped beyond `maxRuns`. A re-run of the newest run (same commit and
 * timestamp) replaces it instead of adding a duplicate.
 */
export function appendRun(
  previous: SeriesFile | null,
  results: Results,
  maxRuns = MAX_SERIES_RUNS,
  replaceRerun = true,
): SeriesFile {
  const base = previous ?? emptySeries();
  const stamp = stampOf(results);
  const lastRun = base.runs[base.runs.length - 1];
  const replace = replaceRerun && lastRun !== undefined && sameRun(lastRun, stamp);
  const runIndex = replace ? base.runs.length - 1 : base.runs.length;
  const runs = [...base.runs.slice(0, runIndex), stamp];
  const byKey = new Map<string, BenchmarkSeries>();
  for (const s of base.series) {
    const keep = s.run.findIndex((r) => r >= runIndex);
    const end = keep === -1 ? s.run.length : keep;
    byKey.set(seriesKey(s.id, s.metric), {
      ...s,
      run: s.run.slice(0, end),
      median: s.median.slice(0, end),
      lower: s.lower.slice(0, end),
      upper: s.upper.slice(0, end),
    });
  }
  for (const b of results.benchmarks) {
    if (!(b.estimates.median > 0)) continue;
    const metric = b.metric;
    const key = seriesKey(b.id, metric);
    const s = byKey.get(key) ?? {
      id: b.id,
      metric,
      group: b.group,
      unit: b.unit,
      direction: b.direction,
      run: [],
      median: [],
      lower: [],
      upper: [],
    };
    // The newest run's unit and direction win: a benchmark that changed unit starts afresh.
    if (s.unit !== b.unit || s.direction !== b.direction) {
      Object.assign(s, { unit: b.unit, direction: b.direction, run: [], median: [], lower: [], upper: [] });
    }
    if (s.run[s.run.length - 1] === runIndex) continue;
    s.group = b.group;
    s.run.push(runIndex);
    s.median.push(round(b.estimates.median));
    s.lower.push(b.estimates.ci ? round(b.estimates.ci.lower) : null);
    s.upper.push(b.estimates.ci ? round(b.estimates.ci.upper) : null);
    byKey.set(key, s);
  }
  return trim({ seriesVersion: SERIES_VERSION, runs, series: [...byKey.values()] }, maxRuns);
}

/** Keeps the newest `maxRuns` runs, renumbering the points and dropping emptied series. */
export function trim(file: SeriesFile, maxRuns: number): SeriesFile {
  const drop = Math.max(0, file.runs.length - Math.max(1, Math.floor(maxRuns)));
  if (drop === 0) return file;
  const series: BenchmarkSeries[] = [];
  for (const s of file.series) {
    const start = s.run.findIndex((r) => r >= drop);
    if (start === -1) continue;
    series.push({
      ...s,
      run: s.run.slice(start).map((r) => r - drop),
      median: s.median.slice(start),
      lower: s.lower.slice(start),
      upper: s.upper.slice(start),
    });
  }
  return { seriesVersion: SERIES_VERSION, runs: file.runs.slice(drop), series };
}

function timeOf(results: Results): number {
  const t = Date.parse(results.run.timestamp);
  return Number.isFinite(t) ? t : 0;
}

/**
 * A series from full runs, for baselines written before the series existed
 * and for `compare --history` directories. Runs are put in time order; a run
 * already in `into` (same commit and timestamp) is not added twice, but runs
 * given together are all kept even when stamped alike (copies of one file
 * given as history are still separate runs).
 */
export function seriesFromRuns(
  runs: readonly Results[],
  into: SeriesFile | null = null,
  maxRuns = MAX_SERIES_RUNS,
): SeriesFile {
  let file = into;
  const known = new Set((into?.runs ?? []).map((r) => `${r.commit}\u0000${r.timestamp}`));
  const newestKnown = Math.max(0, ...(into?.runs ?? []).map((r) => Date.parse(r.timestamp)).filter(Number.isFinite));
  for (const run of [...runs].sort((a, b) => timeOf(a) - timeOf(b))) {
    if (known.has(`${run.run.commit}\u0000${run.run.timestamp}`)) continue;
    // Appending keeps time order; an older run the series lacks is only missing detail.
    if (file !== null && timeOf(run) < newestKnown) continue;
    file = appendRun(file, run, maxRuns, false);
  }
  return file ?? emptySeries();
}

const validator = compiledOnce(schema);

export type SeriesOutcome = { ok: true; value: SeriesFile } | { ok: false; issue: string };

/** Checks untrusted JSON against series.schema.json and the arrays' agreement. */
export function validateSeries(data: unknown): SeriesOutcome {
  const validate = validator();
  if (!validate(data)) {
    const e = validate.errors?.[0];
    return {
      ok: false,
      issue: `does not match the series schema at ${e?.instancePath || '/'}: ${e?.message ?? 'invalid'}`,
    };
  }
  const file = data as SeriesFile;
  for (const s of file.series) {
    const n = s.run.length;
    if (s.median.length !== n || s.lower.length !== n || s.upper.length !== n)
      return { ok: false, issue: `series ${s.id} has arrays of different lengths` };
    for (let i = 0; i < n; i++) {
      const r = s.run[i] as number;
      if (r >= file.runs.length || (i > 0 && r <= (s.run[i - 1] as number)))
        return { ok: false, issue: `series ${s.id} has run indexes out of order or out of range` };
    }
  }
  return { ok: true, value: file };
}
