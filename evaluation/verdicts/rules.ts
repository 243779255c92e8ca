/**
 * Regression rules of other tools, implemented from their documentation so
 * the same corpus can be judged by each. Every rule answers one question:
 * is `head` a regression of `base` at this threshold? Pure.
 */
import { mulberry32 } from '../../src/compare/stats/rng.ts';
import { erfc } from '../../src/compare/stats/special.ts';
import type { Benchmark } from '../../src/schema/types.ts';

export type Rule = (base: Benchmark, head: Benchmark, threshold: number, seed: number) => boolean;

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function variance(values: readonly number[], m: number): number {
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / (values.length - 1);
}

/**
 * github-action-benchmark: the ratio of the new value to the previous one
 * (for Criterion, its point estimate, close to the mean) against
 * `alert-threshold`, here 1 + threshold.
 */
export const ratioOfMeans: Rule = (base, head, threshold) => head.estimates.mean / base.estimates.mean > 1 + threshold;

/**
 * criterion-compare-action style: a change counts when the mean ± one
 * standard deviation ranges of the two runs do not overlap; applied at the
 * same threshold so the rules are judged alike.
 */
export const sdOverlap: Rule = (base, head, threshold) => {
  const bs = base.estimates.stdDev ?? 0;
  const hs = head.estimates.stdDev ?? 0;
  return (
    head.estimates.mean - hs > base.estimates.mean + bs && head.estimates.mean / base.estimates.mean > 1 + threshold
  );
};

/**
 * Criterion's own change detection: a two-sample test on the samples
 * (significance 0.05) and a bootstrap interval of the relative change in the
 * mean; "regressed" when significant and the whole interval lies above
 * +noise_threshold (set to the threshold here; Criterion's default is 1%).
 * Welch's t approximates Criterion's bootstrapped t-test.
 */
export function criterionRule(resamples = 400): Rule {
  return (base, head, threshold, seed) => {
    const a = base.samples;
    const b = head.samples;
    if (!a || !b || a.length < 2 || b.length < 2) return false;
    const ma = mean(a);
    const mb = mean(b);
    const se = Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
    const p = se > 0 ? erfc(Math.abs(mb - ma) / se / Math.SQRT2) : 0;
    // The interval's lower end sits below the point estimate: skip the bootstrap when that cannot clear the band.
    if (p >= 0.05 || mb / ma - 1 <= threshold) return false;
    const rng = mulberry32(seed);
    const changes = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      let sa = 0;
      let sb = 0;
      for (let i = 0; i < a.length; i++) sa += a[Math.floor(rng() * a.length)] ?? 0;
      for (let i = 0; i < b.length; i++) sb += b[Math.floor(rng() * b.length)] ?? 0;
      changes[r] = sb / b.length / (sa / a.length) - 1;
    }
    changes.sort();
    const lower = changes[Math.floor(0.025 * resamples)] ?? 0;
    return lower > threshold;
  };
}
