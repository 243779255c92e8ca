/**
 * The bootstrap of medians and of their ratio, drawn from the exact bootstrap
 * distribution of the sample median. Pure and seeded. See docs/statistics.md.
 */
import type { Interval } from '../../schema/types.ts';
import { drawMedian, medianTable } from './median-table.ts';
import { mulberry32, normalDraw, type Rng } from './rng.ts';
import { TailQuantiles } from './tail-quantiles.ts';

/** Draws from the bootstrap distribution of the median of an ascending sample. */
export function bootstrapMedians(sorted: Float64Array, count: number, rng: Rng): Float64Array {
  const out = new Float64Array(count);
  const table = medianTable(sorted.length);
  for (let i = 0; i < count; i++) out[i] = drawMedian(sorted, table, rng());
  return out;
}

export interface RatioBootstrapOptions {
  resamples: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  seed: number;
  /**
   * Extra relative noise (standard deviation of the log ratio) to fold into
   * every draw, e.g. run-to-run spread known from history. 0 for none.
   */
  extraLogSd?: number;
}

/**
 * Percentile bootstrap interval for median(numerator) / median(denominator),
 * the two samples resampled independently. Inputs are ascending.
 */
export function bootstrapRatioInterval(
  numerator: Float64Array,
  denominator: Float64Array,
  options: RatioBootstrapOptions,
): Interval {
  const { resamples, level } = options;
  const extra = options.extraLogSd ?? 0;
  const noise = extra > 0 ? mulberry32(options.seed ^ 0x9e3779b9) : null;
  const num = medianTable(numerator.length);
  const den = medianTable(denominator.length);
  const tails = new TailQuantiles(resamples, (1 - level) / 2);
  // mulberry32 inlined: a closure call per draw cost more than the draw itself.
  let state = options.seed >>> 0;
  for (let i = 0; i < resamples; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r1 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    state = (state + 0x6d2b79f5) >>> 0;
    t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r2 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const top = drawMedian(numerator, num, r1);
    const bottom = drawMedian(denominator, den, r2);
    // 0/0 (samples of zeros on both sides) is no change, not NaN.
    let ratio = bottom === 0 ? (top === 0 ? 1 : Infinity) : top / bottom;
    if (noise !== null) ratio *= Math.exp(extra * normalDraw(noise));
    tails.push(ratio);
  }
  return { ...tails.result(), level };
}

/**
 * Standard error of the median of an ascending sample from the distribution-free
 * order-statistic interval: x_(n/2 ± sqrt(n)/2) spans about +/-1 standard error.
 */
export function medianStandardError(sorted: Float64Array): number {
  const n = sorted.length;
  const half = Math.sqrt(n) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return ((sorted[hi] as number) - (sorted[lo] as number)) / 2;
}
