import type { Direction, Interval, RunMeta } from '../schema/types.ts';
import type { Drift } from './controls.ts';

/**
 * `control`: a control benchmark (compare/controls.ts): it measures the runner and never fails the build.
 * `muted`: a thresholds-file mute matched it: shown, with what it would have been, never failing.
 */
export type Verdict =
  'regression' | 'improvement' | 'unchanged' | 'inconclusive' | 'new' | 'missing' | 'control' | 'muted';

export const VERDICTS: readonly Verdict[] = [
  'regression',
  'improvement',
  'inconclusive',
  'unchanged',
  'new',
  'missing',
  'control',
  'muted',
];

export const DEFAULTS = {
  threshold: 0.1,
  instructionsThreshold: 0.01,
  alpha: 0.05,
  level: 0.95,
  seed: 1,
  resamples: 2000,
} as const;

/** A threshold for the benchmark ids matching a glob (`*`, `?` within a segment, `**` across). */
export interface ThresholdRule {
  pattern: string;
  /** Fraction, 0.10 = 10%. */
  threshold: number;
  /**
   * The metric the rule is for: a rule without one sets wall-time (and other
   * sampled metrics') thresholds; 'instructions' sets instruction-count ones.
   */
  metric?: string;
}

/**
 * A benchmark muted by the thresholds file: a noisy or known-slow benchmark is
 * still measured and shown, but never fails the build, until `until`.
 */
export interface MuteRule {
  /** Glob over benchmark ids, as for thresholds. */
  pattern: string;
  /** Why, shown beside every muted row. */
  reason: string;
  /** Last day the mute holds (YYYY-MM-DD, UTC); null: until removed. */
  until: string | null;
  /** Only this metric ('time', 'instructions', ...); absent: every metric of the id. */
  metric?: string;
}

/** What a muted row would have been, and why it is not. */
export interface Muted {
  verdict: Verdict;
  reason: string;
  until: string | null;
}

export interface CompareOptions {
  /** Default threshold as a fraction (0.10 = 10% slower). Default 0.10. */
  threshold?: number;
  /** Default threshold for instruction counts, as a fraction. Default 0.01. */
  instructionsThreshold?: number;
  /** Per-benchmark overrides, first match wins. */
  thresholds?: readonly ThresholdRule[];
  /** False-discovery-rate level for Benjamini-Hochberg. Default 0.05. */
  alpha?: number;
  /** Confidence level of the intervals. Default 0.95. */
  level?: number;
  /** Seed of the bootstrap; same seed, same report. Default 1. */
  seed?: number;
  /** Bootstrap draws per benchmark. Default 2000. */
  resamples?: number;
  /**
   * Extra per-benchmark noise: the standard deviation of log(median ratio)
   * between runs of unchanged code (e.g. 0.03 for ~3% run-to-run swing), keyed
   * by benchmarkKey (the bare id for wall time). Widens that benchmark's interval and test. For history-aware
   * verdicts; absent ids get none.
   */
  noise?: ReadonlyMap<string, number>;
  /**
   * Per benchmarkKey, the medians of earlier runs of the base (its history, or
   * same-runner rounds). A head inside their range is what unchanged code
   * already does between runs, so it is never a regression or an improvement,
   * whatever the interval says: run-to-run drift has heavier tails than any
   * interval assumes.
   */
  baseRuns?: ReadonlyMap<string, readonly number[]>;
  /**
   * Globs of control benchmarks: code the change cannot touch, whose head/base
   * ratios measure run-wide drift (compare/controls.ts). Their rows get the
   * verdict `control`; every other wall-time benchmark's change is divided by
   * the drift when it can be measured.
   */
  controls?: readonly string[];
  /** Mutes in force (expired ones already left out): matching rows get the verdict `muted`. */
  mutes?: readonly MuteRule[];
}

/** The options a comparison actually used, defaults filled in (JSON-friendly). */
export interface ResolvedCompareOptions {
  threshold: number;
  instructionsThreshold: number;
  thresholds: ThresholdRule[];
  alpha: number;
  level: number;
  seed: number;
  resamples: number;
  /** How many benchmarks had an extra noise term. */
  noiseTerms: number;
}

/**
 * How a row's numbers were obtained: `samples` = bootstrap and rank test on raw
 * samples; `spread` = normal approximation from reported spreads (weak);
 * `exact` = ratio of counts (instructions), widened only by history noise;
 * `none` = not computed (new, missing, or nothing to compare).
 */
export type RowMethod = 'samples' | 'spread' | 'exact' | 'none';

export interface ComparisonRow {
  id: string;
  /** The metric compared ('time', 'instructions', ...); rows are per (id, metric). */
  metric: string;
  verdict: Verdict;
  /** head median / base median; null when a side is absent, or a median is 0 on one side only (1 when on both). */
  change: number | null;
  /** Confidence interval of `change`. */
  ci: Interval | null;
  /** Two-sided p-value (Mann-Whitney, or the z test of the weak fallback). */
  pValue: number | null;
  /** Benjamini-Hochberg adjusted p-value across all tested rows. */
  qValue: number | null;
  /** Threshold applied to this row (fraction). */
  threshold: number;
  direction: Direction;
  unit: string;
  baseMedian: number | null;
  headMedian: number | null;
  /** Number of raw samples per side, null when the side has none. */
  baseSamples: number | null;
  headSamples: number | null;
  method: RowMethod;
  /** True when the verdict rests on reported spreads instead of samples. */
  weak: boolean;
  /** Extra noise term applied (log-scale standard deviation), 0 when none. */
  extraNoise: number;
  /**
   * The runner drift this row's change was divided by (above 1: the head's
   * runner was slower); absent when not corrected. `headMedian` stays as measured.
   */
  drift?: number;
  /** Present when a mute matched: `verdict` is then `muted`, and this says what it would have been. */
  muted?: Muted;
  /**
   * Present when a confirmation round re-measured (or had no time for) this benchmark; `verdict` is then the final one.
   */
  confirmation?: Confirmation;
  /** Why a verdict is weaker or undecided, one line. */
  note?: string;
}

/**
 * What a confirmation round (compare/confirm.ts) did with a benchmark the
 * baseline comparison could not clear, by the sequential rule
 * (compare/sequential.ts): `confirmed` (the whole interval beyond the
 * threshold), `cleared` (the whole interval below it), `undecided` (the
 * interval spans it after the pairs spent), `not-measured` (too few pairs for a
 * look, for want of budget or because the round was skipped: the baseline's
 * verdict stands).
 */
export type ConfirmationStatus = 'confirmed' | 'cleared' | 'undecided' | 'not-measured';

export interface Confirmation {
  status: ConfirmationStatus;
  /** What the comparison with the baseline said. */
  baselineVerdict: Verdict;
  baselineChange: number | null;
  baselineCi: Interval | null;
  /** The change (head/base) on this runner and its sequential interval; null when not measured enough. */
  change: number | null;
  ci: Interval | null;
  /** Round pairs (one base run and one head run) measured for it. */
  pairs: number;
  /** For an undecided or not-measured benchmark: what would decide it. */
  decideBy?: string;
}

/**
 * How a confirmation round went: `complete` (every candidate decided, spent
 * the design's pairs or was hopeless: compare/sequential.ts), `partial` (the budget ran out first), `skipped` (it
 * could not run: `reason` says why; the baseline's verdicts stand).
 */
export type ConfirmationRoundState = 'complete' | 'partial' | 'skipped';

/** The cost and reach of a confirmation round. */
export interface ConfirmationRound {
  state: ConfirmationRoundState;
  /** Why the round was skipped or partial. */
  reason?: string;
  /** Benchmarks the baseline comparison could not clear and the round could re-measure. */
  candidates: number;
  /**
   * Wall-time rows the baseline could not clear that were not re-measured: their instruction count decides (it
   * overrules wall time).
   */
  leftToCounts: number;
  /** Candidates with at least one look. */
  remeasured: number;
  confirmed: number;
  cleared: number;
  undecided: number;
  /** Candidates without a look (budget, or a skipped round). */
  notMeasured: number;
  /** Round pairs measured, over all candidates. */
  pairs: number;
  /** Wall-clock seconds, the base's build included; and of those, the build. */
  seconds: number;
  buildSeconds: number;
  /** The sequential design: error rate over all looks, and the pair counts it looks at. */
  alpha: number;
  looksAt: number[];
  /** Every compared row was inconclusive against the baseline: it decided nothing. */
  baselineUnusable: boolean;
}

export interface WorstRegression {
  /** benchmarkKey: the id, with the metric when it is not wall time. */
  id: string;
  change: number;
  /** How many times worse, >1 (slower for time, lower for throughput). */
  factor: number;
}

export interface ComparisonSummary {
  total: number;
  counts: Record<Verdict, number>;
  /**
   * Geometric mean over benchmarks present on both sides of the
   * direction-normalised change (head/base for lower-is-better, base/head for
   * higher-is-better): above 1 means head is worse overall.
   */
  geometricMean: number | null;
  /** Rows in the geometric mean. */
  compared: number;
  worstRegression: WorstRegression | null;
  /** Rows decided on reported spreads only. */
  weak: number;
  /**
   * Rows measured on both sides (every verdict but `new` and `missing`). Zero
   * with a non-empty base means the head shares nothing with its baseline: a
   * renamed suite or a wrong path, never a pass.
   */
  inCommon: number;
}

export interface PairResult {
  name: string;
  contender: string;
  reference: string;
  /**
   * How many times better the contender is: reference/contender medians for
   * lower-is-better, contender/reference for higher-is-better. Null when either
   * benchmark is absent or they cannot be compared.
   */
  speedup: number | null;
  ci: Interval | null;
  contenderMedian: number | null;
  referenceMedian: number | null;
  unit: string | null;
  weak: boolean;
  note?: string;
}

export interface Comparison {
  base: RunMeta;
  head: RunMeta;
  options: ResolvedCompareOptions;
  rows: ComparisonRow[];
  summary: ComparisonSummary;
  /** Contender/reference pairs declared in the head results. */
  pairs: PairResult[];
  /** What the control benchmarks said about the runner; null when none were declared. */
  drift: Drift | null;
  /** Present when a confirmation round ran. */
  confirmationRound?: ConfirmationRound;
}
