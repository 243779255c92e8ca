/**
 * Order statistics and summaries of one sample, shared by every layer that
 * needs a median or a quantile (formats, compare, claims, report). Pure, and
 * it imports nothing of the project.
 */
import { mean as meanOf, median, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Median of an ascending array (the mean of the two middle values when n is even). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median of an empty sample');
  const mid = n >> 1;
  if (n % 2 === 1) return sorted[mid] as number;
  const a = sorted[mid - 1] as number;
  const b = sorted[mid] as number;
  // Halved first when the sum overflows: two values near 1.8e308 have a finite mean.
  const mean = (a + b) / 2;
  return Number.isFinite(mean) || !Number.isFinite(a) || !Number.isFinite(b) ? mean : a / 2 + b / 2;
}

/** The p-quantile (0..1) of an ascending array, linear interpolation (R type 7, numpy's default). */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  return quantileSorted(sorted as number[], p);
}

/**
 * A sample's median, mean and standard deviation (null for one value), for sources that report few estimates or none.
 */
export function summarize(samples: readonly number[]): { median: number; mean: number; stdDev: number | null } {
  return {
    median: median([...samples]),
    mean: meanOf([...samples]),
    stdDev: samples.length > 1 ? sampleStandardDeviation([...samples]) : null,
  };
}

/** The arithmetic mean (NaN for an empty sample). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : meanOf([...values]);
}

/** The sample standard deviation (n - 1), or null for fewer than two values. */
export function standardDeviation(values: readonly number[]): number | null {
  return values.length > 1 ? sampleStandardDeviation([...values]) : null;
}

/** The median of an unsorted sample, or null for an empty one. */
export function medianOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : medianOfSorted(sortedCopy(values));
}

/**
 * A distribution-free confidence interval for the median of an ascending
 * sample: the order statistics x(j) and x(n-j+1), with j the largest rank for
 * which P(Bin(n, 1/2) <= j-1) <= (1 - level)/2, so it covers the median with at
 * least `level` whatever the distribution. No bootstrap, no seed; with fewer
 * than 6 values no 95% interval exists (null).
 */
export function medianInterval(
  sorted: readonly number[],
  level = 0.95,
): { lower: number; upper: number; level: number } | null {
  const n = sorted.length;
  const tail = (1 - level) / 2;
  // P(X = j) for X ~ Bin(n, 1/2), in log space so thousands of samples cannot underflow.
  let logPmf = n * Math.log(0.5);
  let cdf = Math.exp(logPmf);
  let j = 0;
  while (cdf <= tail && j < n) {
    j++;
    logPmf += Math.log((n - j + 1) / j);
    cdf += Math.exp(logPmf);
  }
  if (j === 0) return null;
  const lower = sorted[j - 1];
  const upper = sorted[n - j];
  return lower === undefined || upper === undefined ? null : { lower, upper, level };
}
