import { benchmarkKey, TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark, Interval, Results } from '../schema/types.ts';
import { globToRegExp } from './glob.ts';
import { medianOfSorted, sortedCopy } from '../common/sample.ts';
import { normalQuantile } from './stats/special.ts';
import { estimationFactor } from './noise.ts';

/**
 * Control benchmarks: code a pull request cannot change (third-party caches
 * timed beside ours, a calibration loop). Whatever moves them between the base
 * run and the head run is the runner, not the code, so their head/base ratios
 * measure run-wide drift, and every other benchmark's change is divided by it.
 * Pure. The method is in docs/statistics.md ("Control benchmarks").
 */

/** Fewer controls than this give no estimate of drift worth dividing by. */
export const MIN_CONTROLS = 3;

/**
 * The most the controls may disagree, as the robust standard deviation of their
 * log ratios (1.4826 MAD): 0.7 is about a factor of 2 around the drift. Beyond
 * it the runner did not slow down in any describable way (a load that came and
 * went during the run, one benchmark family hit far harder than others), so
 * one factor would move many benchmarks the wrong way; no correction is
 * applied. Set above what the verdict corpus shows on a heavily loaded 2-core
 * machine (spreads 0.18 to 0.60), where correcting still halved the false
 * alarms (docs/statistics.md).
 */
export const MAX_CONTROL_SPREAD = 0.7;

/**
 * Whether a slower runner moves this benchmark: wall time, or a rate per
 * second measured with a clock. Counts (instructions, bytes allocated) it
 * does not, so they are never controls and never corrected.
 */
export function isWallTime(benchmark: Pick<Benchmark, 'metric' | 'unit'>): boolean {
  return benchmark.metric === TIME_METRIC || benchmark.unit.endsWith('/s');
}

export interface Drift {
  /**
   * How many times slower the head's runner was than the base's (above 1:
   * slower), the median over the controls; 1 when not applied.
   */
  factor: number;
  /** Interval of the factor at the comparison's level; null when there are too few controls. */
  ci: Interval | null;
  /** Standard error of log(factor), added in quadrature to every corrected benchmark's noise. */
  logSe: number;
  /** Robust sd of the controls' log ratios (1.4826 MAD): how much they disagree. */
  spread: number;
  /** Controls present on both sides, with a usable wall-time ratio (benchmark keys). */
  controls: string[];
  /** Whether the other benchmarks' changes were divided by the factor. */
  applied: boolean;
  /** Why no correction was applied, when it was not. */
  reason?: string;
}

/** One predicate for a list of globs (`*` within a segment, `**` across). */
export function controlMatcher(globs: readonly string[]): (id: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (id) => patterns.some((re) => re.test(id));
}

function worseningLogRatio(base: Benchmark, head: Benchmark): number | null {
  if (
    !(base.estimates.median > 0 && head.estimates.median > 0) ||
    base.unit !== head.unit ||
    base.direction !== head.direction
  )
    return null;
  const log = Math.log(head.estimates.median / base.estimates.median);
  return head.direction === 'lower' ? log : -log;
}

/**
 * The run-wide drift from the controls: d = median of their oriented log
 * ratios, its standard error 1.2533 · σ / √k with σ = 1.4826 · MAD (the
 * median's asymptotic efficiency under normality), widened by Student's t for
 * k − 1 degrees of freedom. Not applied with fewer than MIN_CONTROLS controls
 * or a spread above `maxSpread`.
 */
export function estimateDrift(
  base: Results,
  head: Results,
  isControl: (id: string) => boolean,
  level = 0.95,
  maxSpread = MAX_CONTROL_SPREAD,
): Drift {
  const baseByKey = new Map(base.benchmarks.map((b) => [benchmarkKey(b), b]));
  const controls: string[] = [];
  const logs: number[] = [];
  for (const h of head.benchmarks) {
    const b = baseByKey.get(benchmarkKey(h));
    if (!b || !isControl(h.id) || !isWallTime(h)) continue;
    const log = worseningLogRatio(b, h);
    if (log === null) continue;
    controls.push(benchmarkKey(h));
    logs.push(log);
  }
  const none = { factor: 1, ci: null, logSe: 0, spread: 0, controls, applied: false };
  if (logs.length < MIN_CONTROLS) {
    return {
      ...none,
      reason: `${logs.length} control benchmark${logs.length === 1 ? '' : 's'} on both sides; at least ${MIN_CONTROLS} are needed to measure the runner`,
    };
  }
  const d = medianOfSorted(sortedCopy(logs));
  const spread = 1.4826 * medianOfSorted(sortedCopy(logs.map((x) => Math.abs(x - d))));
  const logSe = ((1.2533 * spread) / Math.sqrt(logs.length)) * estimationFactor(logs.length - 1, level);
  const z = normalQuantile(0.5 + level / 2);
  const measured = {
    factor: Math.exp(d),
    ci: { lower: Math.exp(d - z * logSe), upper: Math.exp(d + z * logSe), level },
    logSe,
    spread,
    controls,
  };
  if (spread > maxSpread) {
    return {
      ...measured,
      applied: false,
      reason: `the controls disagree (spread ±${(spread * 100).toFixed(0)}%, more than the ±${(maxSpread * 100).toFixed(0)}% within which the runner counts as uniformly faster or slower)`,
    };
  }
  return { ...measured, applied: true };
}

function scaled(benchmark: Benchmark, factor: number): Benchmark {
  const e = benchmark.estimates;
  return {
    ...benchmark,
    samples: benchmark.samples?.map((x) => x * factor) ?? null,
    estimates: {
      ...e,
      median: e.median * factor,
      mean: e.mean * factor,
      stdDev: e.stdDev === null ? null : e.stdDev * factor,
      ci: e.ci ? { ...e.ci, lower: e.ci.lower * factor, upper: e.ci.upper * factor } : null,
      ...(e.spread !== undefined && e.spread !== null ? { spread: e.spread * factor } : {}),
    },
  };
}

/** Whether a benchmark's change is divided by the drift: a wall-time benchmark that is not a control. */
export function isCorrected(
  benchmark: Pick<Benchmark, 'id' | 'metric' | 'unit'>,
  isControl: (id: string) => boolean,
): boolean {
  return !isControl(benchmark.id) && isWallTime(benchmark);
}

/** A head median as judged: divided by the drift for times, multiplied for throughput. */
export function judgedMedian(median: number, direction: Benchmark['direction'], drift: number): number {
  return direction === 'lower' ? median / drift : median * drift;
}

/**
 * The controls measured most like `id`: those in its group whose ids differ
 * from it in one path segment only (`cache_get_warm/moka` for `cache_get_warm/sark_cache`,
 * `cache_scaling_get/moka/100000` for `cache_scaling_get/sark_cache/100000`).
 * Criterion runs a group's functions one after another, so these were timed
 * within seconds of the benchmark, on the same workload shape: the load the
 * runner carried then, not averaged over a run in which it came and went.
 */
export function siblingControls(id: string, controls: readonly string[]): string[] {
  const parts = id.split('/');
  return controls.filter((c) => {
    const other = c.split('/');
    // Same group (first segment): a group's functions are what Criterion runs back to back.
    if (other.length !== parts.length || parts.length < 2 || other[0] !== parts[0]) return false;
    let differ = 0;
    for (let i = 0; i < parts.length; i++) if (parts[i] !== other[i]) differ++;
    return differ === 1;
  });
}

/** The drift one corrected benchmark is divided by. */
export interface AppliedDrift {
  factor: number;
  logSe: number;
  /** Whether it came from the benchmark's sibling controls rather than the run-wide estimate. */
  local: boolean;
}

export interface ControlledInputs {
  /** The head with every corrected benchmark's values divided by the drift (times) or multiplied (throughput). */
  head: Results;
  /** The drift each corrected benchmark (by key) was divided by. */
  corrected: Map<string, AppliedDrift>;
  /** Keys of the control benchmarks: every wall-time benchmark a glob matches. */
  controls: Set<string>;
  /** The extra noise per benchmark, with the drift's uncertainty added in quadrature for corrected ones. */
  noise: Map<string, number>;
  /** The run-wide drift (the report's header line). */
  drift: Drift;
}

/**
 * Applies the drift to what compare() judges: the head's corrected benchmarks
 * as if measured on the base's runner, and their noise widened by the drift's
 * standard error. A benchmark with at least MIN_CONTROLS sibling controls that
 * agree is divided by their drift; the others by the run-wide one. Nothing is
 * corrected when the run-wide drift cannot be applied. Controls and counts are
 * left as they are.
 */
export function controlInputs(
  base: Results,
  head: Results,
  isControl: (id: string) => boolean,
  options: { noise?: ReadonlyMap<string, number>; level?: number; maxSpread?: number } = {},
): ControlledInputs {
  const noise = options.noise ?? new Map<string, number>();
  const drift = estimateDrift(base, head, isControl, options.level, options.maxSpread);
  const merged = new Map(noise);
  const corrected = new Map<string, AppliedDrift>();
  const controls = new Set(
    [...base.benchmarks, ...head.benchmarks].filter((b) => isControl(b.id) && isWallTime(b)).map(benchmarkKey),
  );
  if (!drift.applied) return { head, corrected, controls, noise: merged, drift };
  const controlIds = [...new Set(head.benchmarks.filter((b) => isControl(b.id) && isWallTime(b)).map((b) => b.id))];
  const local = new Map<string, Drift>();
  const benchmarks = head.benchmarks.map((b) => {
    if (!isCorrected(b, isControl)) return b;
    const key = benchmarkKey(b);
    const siblings = siblingControls(b.id, controlIds);
    let applied: AppliedDrift = { factor: drift.factor, logSe: drift.logSe, local: false };
    if (siblings.length >= MIN_CONTROLS) {
      const set = siblings.join('\n');
      let near = local.get(set);
      if (!near) {
        const wanted = new Set(siblings);
        near = estimateDrift(base, head, (id) => wanted.has(id), options.level, options.maxSpread);
        local.set(set, near);
      }
      if (near.applied) applied = { factor: near.factor, logSe: near.logSe, local: true };
    }
    corrected.set(key, applied);
    merged.set(key, Math.hypot(noise.get(key) ?? 0, applied.logSe));
    return scaled(b, judgedMedian(1, b.direction, applied.factor));
  });
  return { head: { ...head, benchmarks }, corrected, controls, noise: merged, drift };
}
