/**
 * Change points in one benchmark's base-branch series: PELT (Killick,
 * Fearnhead & Eckley 2012, "Optimal detection of changepoints with a linear
 * computational cost", JASA 107(500)) with a normal mean-shift cost on
 * log(median), the run-to-run sd estimated robustly from first differences.
 * See docs/statistics.md for why PELT and how the penalty was chosen. Pure.
 */

export interface ChangePointOptions {
  /** Penalty per change point, in units of log(n) (MBIC-like). */
  penaltyPerLogN: number;
  /** Shortest segment, in runs; a single odd run is an outlier, not a change. */
  minSegment: number;
  /** Relative shifts smaller than this are not reported, however certain (e.g. exact instruction counts). */
  minChange: number;
  /** Fewer points than this: nothing is detected. */
  minPoints: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS: ChangePointOptions = {
  penaltyPerLogN: 6,
  minSegment: 2,
  minChange: 0.02,
  minPoints: 6,
};

/** A detected shift: the series' level changes from `before` to `after` at `index`. */
export interface ChangePoint {
  /** Index of the first point of the new level. */
  index: number;
  /** Median of the segment before and after, in the series' unit. */
  before: number;
  after: number;
  /** after / before - 1. */
  change: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Run-to-run sd of a series from its first differences: a level shift moves
 * one difference only, so it barely counts (divided by sqrt 2, since a
 * difference carries two runs' noise). Deliberately the classical sd, not
 * the MAD: wall-time series under load have heavy tails, and a robust sd
 * makes every outlier pair look like a step (35% false alarms against 1%
 * with this one, docs/verdicts.md).
 */
export function differenceSd(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++) diffs.push((values[i] as number) - (values[i - 1] as number));
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  return Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / (diffs.length - 1)) / Math.SQRT2;
}

/**
 * Optimal segmentation of `y` (a normal series with known sd `sd`) under the
 * penalty `beta` per change, by PELT's pruned dynamic programme. Returns the
 * first index of every segment but the first.
 */
export function pelt(y: readonly number[], sd: number, beta: number, minSegment: number): number[] {
  const n = y.length;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = (s1[i] as number) + (y[i] as number);
    s2[i + 1] = (s2[i] as number) + (y[i] as number) ** 2;
  }
  const scale = 1 / (sd * sd);
  // A segment y[a..b) costs its residual sum of squares around its mean, in sd units.
  const best = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1).fill(-1);
  best[0] = -beta;
  // The candidate set, compacted in place: without changes PELT's pruning keeps
  // O(n) candidates, so the inner loop must not allocate.
  const candidates = new Int32Array(n + 1);
  const totals = new Float64Array(n + 1);
  let count = 0;
  for (let t = minSegment; t <= n; t++) {
    // A new candidate start becomes admissible once a minimal segment fits after it.
    const admissible = t - minSegment;
    if (admissible === 0 || (admissible >= minSegment && Number.isFinite(best[admissible] as number)))
      candidates[count++] = admissible;
    let min = Infinity;
    let arg = -1;
    for (let k = 0; k < count; k++) {
      const tau = candidates[k] as number;
      // cost(tau, t), inlined: this loop is the whole run time.
      const sum = (s1[t] as number) - (s1[tau] as number);
      const total =
        (best[tau] as number) + ((s2[t] as number) - (s2[tau] as number) - (sum * sum) / (t - tau)) * scale + beta;
      totals[k] = total;
      if (total < min) {
        min = total;
        arg = tau;
      }
    }
    best[t] = min;
    last[t] = arg;
    // PELT's pruning: a start that cannot beat the optimum now never will (K = 0 for this cost).
    let kept = 0;
    for (let k = 0; k < count; k++)
      if ((totals[k] as number) - beta <= min) candidates[kept++] = candidates[k] as number;
    count = kept;
  }
  const starts: number[] = [];
  for (let t = n; t > 0 && (last[t] as number) > 0; t = last[t] as number) starts.push(last[t] as number);
  return starts.reverse();
}

/**
 * The persistent shifts in a series of positive values (medians), oldest
 * first. Detection runs on log values so that a step is a ratio whatever the
 * benchmark's scale; each reported step is re-measured as the ratio of the
 * adjacent segments' medians.
 */
export function detectChangePoints(
  values: readonly number[],
  options: Partial<ChangePointOptions> = {},
): ChangePoint[] {
  const o = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...options };
  if (values.length < o.minPoints || values.some((v) => !(v > 0))) return [];
  const y = values.map(Math.log);
  // Exact series (instruction counts) have sd 0; a floor keeps the cost finite
  // and lets minChange decide what is worth reporting.
  const sd = Math.max(differenceSd(y), 1e-4);
  const beta = o.penaltyPerLogN * Math.log(values.length);
  const starts = pelt(y, sd, beta, o.minSegment);
  const bounds = [0, ...starts, values.length];
  const points: ChangePoint[] = [];
  for (let k = 1; k < bounds.length - 1; k++) {
    const before = median(values.slice(bounds[k - 1], bounds[k]));
    const after = median(values.slice(bounds[k], bounds[k + 1]));
    const change = after / before - 1;
    if (Math.abs(change) >= o.minChange) points.push({ index: bounds[k] as number, before, after, change });
  }
  return points;
}

/** The first index after the last reported change point (0 when there is none). */
export function sinceLastChange(points: readonly ChangePoint[]): number {
  return points.length === 0 ? 0 : (points[points.length - 1] as ChangePoint).index;
}
