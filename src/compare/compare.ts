import { UsageError } from '../common/errors.ts';
import { benchmarkKey, TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark, Direction, Interval, Results } from '../schema/types.ts';
import { controlInputs, controlMatcher, judgedMedian } from './controls.ts';
import { globToRegExp } from './glob.ts';
import { computePairs } from './pairs.ts';
import { exactRatio, isCounted } from './exact.ts';
import { ratioEstimate } from './ratio.ts';
import { medianOfSorted, sortedCopy } from '../common/sample.ts';
import { benjaminiHochberg } from './stats/fdr.ts';
import { deriveSeed } from './stats/rng.ts';
import {
  DEFAULTS,
  type CompareOptions,
  type Comparison,
  type ComparisonRow,
  type ComparisonSummary,
  type MuteRule,
  type ResolvedCompareOptions,
  type ThresholdRule,
  type Verdict,
  type WorstRegression,
} from './types.ts';

export { DEFAULTS } from './types.ts';
export { MIN_SAMPLES } from './ratio.ts';

function checkFraction(name: string, value: number, min: number, max: number, hint: string): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${name} must be ${hint}, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and rejects impossible values with a UsageError naming the option. */
export function resolveOptions(options: CompareOptions = {}): ResolvedCompareOptions {
  const threshold = checkFraction(
    'threshold',
    options.threshold ?? DEFAULTS.threshold,
    0,
    100,
    'a fraction >= 0 (0.10 = 10%)',
  );
  const instructionsThreshold = checkFraction(
    'instructions threshold',
    options.instructionsThreshold ?? DEFAULTS.instructionsThreshold,
    0,
    100,
    'a fraction >= 0 (0.01 = 1%)',
  );
  const thresholds = (options.thresholds ?? []).map((rule) => ({
    pattern: rule.pattern,
    threshold: checkFraction(`threshold for '${rule.pattern}'`, rule.threshold, 0, 100, 'a fraction >= 0 (0.10 = 10%)'),
    ...(rule.metric !== undefined ? { metric: rule.metric } : {}),
  }));
  const alpha = options.alpha ?? DEFAULTS.alpha;
  if (!(alpha > 0 && alpha < 1))
    throw new UsageError(`alpha must be between 0 and 1 (e.g. 0.05), got ${String(alpha)}`);
  const level = options.level ?? DEFAULTS.level;
  if (!(level > 0 && level < 1))
    throw new UsageError(`confidence level must be between 0 and 1 (e.g. 0.95), got ${String(level)}`);
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new UsageError(`seed must be an integer, got ${String(seed)}`);
  const resamples = options.resamples ?? DEFAULTS.resamples;
  if (!Number.isSafeInteger(resamples) || resamples < 100) {
    throw new UsageError(`resamples must be an integer >= 100, got ${String(resamples)}`);
  }
  let noiseTerms = 0;
  for (const [id, sd] of options.noise ?? []) {
    if (!(Number.isFinite(sd) && sd >= 0))
      throw new UsageError(`noise for '${id}' must be a finite number >= 0, got ${String(sd)}`);
    if (sd > 0) noiseTerms++;
  }
  return { threshold, instructionsThreshold, thresholds, alpha, level, seed, resamples, noiseTerms };
}

/**
 * Returns the threshold for an (id, metric): the first matching rule for that
 * kind of metric, else the default. Rules without a metric and the plain
 * default are for wall time (and other sampled metrics); counted metrics take
 * rules that name them and the instructions default.
 */
export function thresholdMatcher(
  options: Pick<ResolvedCompareOptions, 'threshold' | 'thresholds'> &
    Partial<Pick<ResolvedCompareOptions, 'instructionsThreshold'>>,
): (id: string, metric?: string) => number {
  const compiled = options.thresholds.map((rule: ThresholdRule) => ({
    re: globToRegExp(rule.pattern),
    threshold: rule.threshold,
    metric: rule.metric,
  }));
  return (id, metric = TIME_METRIC) => {
    const counted = isCounted(metric);
    const rule = compiled.find((r) => (r.metric === undefined ? !counted : r.metric === metric) && r.re.test(id));
    if (rule) return rule.threshold;
    return counted ? (options.instructionsThreshold ?? DEFAULTS.instructionsThreshold) : options.threshold;
  };
}

/**
 * The change as "how many times worse": above 1 is worse in either direction.
 * For lower-is-better that is the ratio itself; for higher-is-better its inverse.
 */
export function worsening(change: number, direction: Direction): number {
  return direction === 'lower' ? change : 1 / change;
}

function worseningInterval(ci: Interval, direction: Direction): { lower: number; upper: number } {
  return direction === 'lower' ? { lower: ci.lower, upper: ci.upper } : { lower: 1 / ci.upper, upper: 1 / ci.lower };
}

export interface VerdictInput {
  change: number;
  ci: Interval | null;
  qValue: number | null;
  threshold: number;
  direction: Direction;
  alpha: number;
}

/**
 * The verdict rule (docs/statistics.md), one rule for every label. With w =
 * change oriented so that above 1 is worse, its interval [lo, hi], and the
 * band [1/(1+t), 1+t]:
 * - regression: q <= alpha, lo > 1 (the interval says slower) and w > 1+t;
 * - improvement: q <= alpha, hi < 1 (the interval says faster) and w < 1/(1+t);
 * - unchanged: otherwise, if the whole interval lies inside the band;
 * - inconclusive: otherwise (neither a significant change beyond the
 *   threshold nor an interval inside it: the data cannot tell).
 * The rank test and the interval can disagree (a shift in the samples'
 * spread, a noise term that widens only the interval): a label needs both.
 * Without an interval (no spread reported at all) only the point estimate is
 * known: unchanged inside the band, inconclusive outside.
 */
export function decideVerdict(input: VerdictInput): Exclude<Verdict, 'new' | 'missing'> {
  const w = worsening(input.change, input.direction);
  const up = 1 + input.threshold;
  const down = 1 / up;
  const significant = input.qValue !== null && input.qValue <= input.alpha;
  const wci = input.ci ? worseningInterval(input.ci, input.direction) : null;
  const slower = wci === null || wci.lower > 1;
  const faster = wci === null || wci.upper < 1;
  if (significant && slower && w > up) return 'regression';
  if (significant && faster && w < down) return 'improvement';
  if (wci === null) return w > up || w < down ? 'inconclusive' : 'unchanged';
  return wci.upper <= up && wci.lower >= down ? 'unchanged' : 'inconclusive';
}

// ---------------------------------------------------------------------------

/** Benchmarks by (id, metric); validated results hold each pair once. */
function indexByKey(results: Results): Map<string, Benchmark> {
  const map = new Map<string, Benchmark>();
  for (const b of results.benchmarks) if (!map.has(benchmarkKey(b))) map.set(benchmarkKey(b), b);
  return map;
}

function emptyCounts(): Record<Verdict, number> {
  return { regression: 0, improvement: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0, control: 0, muted: 0 };
}

function oneSidedRow(b: Benchmark, verdict: 'new' | 'missing', threshold: number): ComparisonRow {
  const samples = b.samples?.length ?? null;
  const median = b.samples && b.samples.length > 0 ? medianOfSorted(sortedCopy(b.samples)) : b.estimates.median;
  return {
    id: b.id,
    metric: b.metric,
    verdict,
    change: null,
    ci: null,
    pValue: null,
    qValue: null,
    threshold,
    direction: b.direction,
    unit: b.unit,
    baseMedian: verdict === 'missing' ? median : null,
    headMedian: verdict === 'new' ? median : null,
    baseSamples: verdict === 'missing' ? samples : null,
    headSamples: verdict === 'new' ? samples : null,
    method: 'none',
    weak: false,
    extraNoise: 0,
  };
}

/**
 * Compares every benchmark of `base` and `head`: ratio of medians with a
 * bootstrap interval, a Mann-Whitney p-value, Benjamini-Hochberg q-values
 * across all tested rows, and a verdict per row. Pure and deterministic for a
 * given seed. Throws UsageError for impossible options.
 */
export function compare(base: Results, head: Results, options: CompareOptions = {}): Comparison {
  const resolved = resolveOptions(options);
  const thresholdOf = thresholdMatcher(resolved);
  const isControl = controlMatcher(options.controls ?? []);
  // With controls, the head is judged as if measured on the base's runner.
  const controlled = options.controls?.length
    ? controlInputs(base, head, isControl, {
        ...(options.noise ? { noise: options.noise } : {}),
        level: resolved.level,
      })
    : null;
  const noise = controlled?.noise ?? options.noise;
  const baseByKey = indexByKey(base);
  const headByKey = indexByKey(controlled?.head ?? head);
  const rows: ComparisonRow[] = [];
  // The very same measurements on both sides (a run compared with itself): no change, whatever the interval's width.
  const identical = new Set<string>();

  for (const [key, h] of headByKey) {
    const id = h.id;
    const threshold = thresholdOf(id, h.metric);
    const b = baseByKey.get(key);
    if (!b) {
      rows.push(oneSidedRow(h, 'new', threshold));
      continue;
    }
    if (sameMeasurements(b, h)) identical.add(key);
    const extraNoise = noise?.get(key) ?? 0;
    const drift = controlled?.corrected.get(key)?.factor;
    const est = isCounted(h.metric)
      ? exactRatio(h, b, extraNoise, resolved.level)
      : ratioEstimate(h, b, {
          level: resolved.level,
          resamples: resolved.resamples,
          seed: deriveSeed(resolved.seed, key),
          extraLogSd: extraNoise,
        });
    const notes: string[] = [];
    if (est.note) notes.push(est.note);
    let comparable = est.ratio !== null;
    if (h.unit !== b.unit) {
      notes.push(`units differ (base ${b.unit}, head ${h.unit})`);
      comparable = false;
    }
    if (h.direction !== b.direction)
      notes.push(`direction changed from ${b.direction} to ${h.direction}; judged as ${h.direction}`);
    rows.push({
      id,
      metric: h.metric,
      verdict: 'inconclusive', // decided below, once q-values exist
      change: comparable ? est.ratio : null,
      ci: comparable ? est.ci : null,
      pValue: comparable ? est.pValue : null,
      qValue: null,
      threshold,
      direction: h.direction,
      unit: h.unit,
      baseMedian: est.denMedian,
      headMedian: drift === undefined ? est.numMedian : judgedMedian(est.numMedian, h.direction, 1 / drift),
      baseSamples: b.samples?.length ?? null,
      headSamples: h.samples?.length ?? null,
      method: est.method,
      weak: est.method === 'spread',
      extraNoise,
      ...(drift === undefined ? {} : { drift }),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }
  for (const [key, b] of baseByKey) {
    if (!headByKey.has(key)) rows.push(oneSidedRow(b, 'missing', thresholdOf(b.id, b.metric)));
  }

  // Counts are not tests of noisy samples: they stay out of the false-discovery
  // correction, which would otherwise shift the wall-time rows' q-values.
  const qValues = benjaminiHochberg(rows.map((r) => (r.method === 'exact' ? null : r.pValue)));
  rows.forEach((row, i) => {
    row.qValue = row.method === 'exact' ? row.pValue : (qValues[i] ?? null);
    if (row.verdict === 'new' || row.verdict === 'missing') return;
    row.verdict =
      row.change === null
        ? 'inconclusive'
        : decideVerdict({
            change: row.change,
            ci: row.ci,
            qValue: row.qValue,
            threshold: row.threshold,
            direction: row.direction,
            alpha: resolved.alpha,
          });
    if (row.verdict === 'inconclusive' && row.change === 1 && identical.has(benchmarkKey(row))) {
      row.verdict = 'unchanged';
      const note = 'the same measurements on both sides';
      row.note = row.note ? `${row.note}; ${note}` : note;
    }
    if (controlled && controlled.controls.has(benchmarkKey(row))) row.verdict = 'control';
    const runs = options.baseRuns?.get(benchmarkKey(row));
    if (
      (row.verdict === 'regression' || row.verdict === 'improvement') &&
      runs &&
      runs.length > 0 &&
      row.headMedian !== null
    ) {
      if (withinRuns(judgedMedian(row.headMedian, row.direction, row.drift ?? 1), runs)) {
        row.verdict = 'inconclusive';
        const note = `inside the range of ${runs.length} base-branch runs of unchanged code`;
        row.note = row.note ? `${row.note}; ${note}` : note;
      }
    }
  });

  applyMutes(rows, options.mutes ?? []);
  return {
    base: base.run,
    head: head.run,
    options: resolved,
    rows,
    summary: summarize(rows),
    pairs: computePairs(head, { seed: resolved.seed, level: resolved.level, resamples: resolved.resamples }),
    drift: controlled?.drift ?? null,
  };
}

/**
 * Mutes in force: every matching row but a control keeps its numbers, gets
 * the verdict `muted` and remembers what it would have been. First match wins.
 */
export function applyMutes(rows: ComparisonRow[], mutes: readonly MuteRule[]): void {
  if (mutes.length === 0) return;
  const compiled = mutes.map((rule) => ({ rule, re: globToRegExp(rule.pattern) }));
  for (const row of rows) {
    if (row.verdict === 'control' || row.verdict === 'muted') continue;
    const match = compiled.find(
      ({ rule, re }) => (rule.metric === undefined || rule.metric === row.metric) && re.test(row.id),
    );
    if (!match) continue;
    row.muted = { verdict: row.verdict, reason: match.rule.reason, until: match.rule.until };
    row.verdict = 'muted';
  }
}

/** Whether a row was measured on both sides (a muted one by what it would have been). */
function bothSides(row: ComparisonRow): boolean {
  const verdict = row.muted?.verdict ?? row.verdict;
  return verdict !== 'new' && verdict !== 'missing';
}

/** Whether two benchmarks hold the very same measurements: equal samples, or equal estimates without samples. */
function sameMeasurements(a: Benchmark, b: Benchmark): boolean {
  if (a.unit !== b.unit || a.direction !== b.direction) return false;
  if (a.samples && b.samples)
    return a.samples.length === b.samples.length && a.samples.every((value, i) => value === b.samples?.[i]);
  if (a.samples || b.samples) return false;
  return (
    a.estimates.median === b.estimates.median &&
    a.estimates.stdDev === b.estimates.stdDev &&
    a.estimates.ci?.lower === b.estimates.ci?.lower &&
    a.estimates.ci?.upper === b.estimates.ci?.upper
  );
}

/** Whether a median lies within [min, max] of earlier runs' medians. */
function withinRuns(median: number, runs: readonly number[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const run of runs) {
    if (run < min) min = run;
    if (run > max) max = run;
  }
  return median >= min && median <= max;
}

export function summarize(rows: readonly ComparisonRow[]): ComparisonSummary {
  const counts = emptyCounts();
  let logSum = 0;
  let compared = 0;
  let worst: WorstRegression | null = null;
  let weak = 0;
  let inCommon = 0;
  for (const row of rows) {
    counts[row.verdict]++;
    if (bothSides(row)) inCommon++;
    if (row.weak) weak++;
    // Controls measure the runner, not the code; muted rows are not judged: neither is part of the overall change.
    if (row.change === null || row.verdict === 'control' || row.verdict === 'muted') continue;
    const factor = worsening(row.change, row.direction);
    logSum += Math.log(factor);
    compared++;
    if (row.verdict === 'regression' && (worst === null || factor > worst.factor))
      worst = { id: benchmarkKey(row), change: row.change, factor };
  }
  return {
    total: rows.length,
    counts,
    geometricMean: compared > 0 ? Math.exp(logSum / compared) : null,
    compared,
    worstRegression: worst,
    weak,
    inCommon,
  };
}
