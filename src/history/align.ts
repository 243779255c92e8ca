import { controlMatcher, isWallTime, MAX_CONTROL_SPREAD, MIN_CONTROLS, siblingControls } from '../compare/controls.ts';
import { medianOfSorted, sortedCopy } from '../common/sample.ts';
import type { BenchmarkSeries, SeriesFile } from './series.ts';

/**
 * The base branch's history as if every run had been measured on one runner:
 * each corrected benchmark's point in run r is divided by the drift of run r
 * against the reference run, measured by its sibling controls in those two runs
 * (the whole set of controls when it has fewer than MIN_CONTROLS siblings), so
 * the points are in the frame of the `reference` run, the comparison's base.
 * Without this the history's spread, which widens every interval, holds the
 * runner-to-runner drift that the controls remove from the head: intervals
 * stay as wide as if nothing were corrected, and detection drops. A run whose
 * controls are too few or disagree beyond MAX_CONTROL_SPREAD is left as it
 * was. Pure; the method is in docs/statistics.md ("Control benchmarks").
 */
export function alignSeries(
  file: SeriesFile,
  controlGlobs: readonly string[],
  reference = file.runs.length - 1,
  maxSpread = MAX_CONTROL_SPREAD,
): SeriesFile {
  const isControl = controlMatcher(controlGlobs);
  const controls = file.series.filter((s) => isControl(s.id) && isWallTime(s));
  if (controls.length < MIN_CONTROLS || file.runs.length < 2) return file;
  // log(median in run r / median in the reference run), worsening-oriented, per control id.
  const logRatios = new Map<string, Map<number, number>>();
  for (const c of controls) {
    const ref = c.median[c.run.indexOf(reference)];
    if (!(ref !== undefined && ref > 0)) continue;
    const byRun = new Map<number, number>();
    c.run.forEach((r, i) => {
      const m = c.median[i] as number;
      if (m > 0) byRun.set(r, (c.direction === 'lower' ? 1 : -1) * Math.log(m / ref));
    });
    logRatios.set(c.id, byRun);
  }
  const controlIds = [...logRatios.keys()];
  const cache = new Map<string, number | null>();
  const driftOf = (ids: readonly string[], run: number): number | null => {
    const memo = `${run}\u0000${ids.join('\n')}`;
    if (cache.has(memo)) return cache.get(memo) ?? null;
    const logs = ids.map((id) => logRatios.get(id)?.get(run)).filter((x): x is number => x !== undefined);
    let d: number | null = null;
    if (logs.length >= MIN_CONTROLS) {
      const median = medianOfSorted(sortedCopy(logs));
      const spread = 1.4826 * medianOfSorted(sortedCopy(logs.map((x) => Math.abs(x - median))));
      if (spread <= maxSpread) d = median;
    }
    cache.set(memo, d);
    return d;
  };
  const aligned = (s: BenchmarkSeries): BenchmarkSeries => {
    const siblings = siblingControls(s.id, controlIds);
    const near = siblings.length >= MIN_CONTROLS ? siblings : controlIds;
    const factorAt = (i: number): number => {
      const run = s.run[i] as number;
      const d = driftOf(near, run) ?? (near === controlIds ? null : driftOf(controlIds, run));
      if (d === null) return 1;
      const drift = Math.exp(d);
      return s.direction === 'lower' ? 1 / drift : drift;
    };
    const scale = (v: number | null, i: number) => (v === null ? null : v * factorAt(i));
    return {
      ...s,
      median: s.median.map((v, i) => v * factorAt(i)),
      lower: s.lower.map(scale),
      upper: s.upper.map(scale),
    };
  };
  return { ...file, series: file.series.map((s) => (isControl(s.id) || !isWallTime(s) ? s : aligned(s))) };
}

/** The index in `file.runs` of the run with this commit and timestamp (the comparison's base), or the newest. */
export function runIndexOf(file: SeriesFile, run: { commit: string | null; timestamp: string }): number {
  const i = file.runs.findIndex((r) => r.commit === run.commit && r.timestamp === run.timestamp);
  return i >= 0 ? i : file.runs.length - 1;
}
