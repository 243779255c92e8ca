/**
 * Order statistics and summaries of one sample, shared by every layer that
 * needs a median or a quantile (formats, compare, claims, report). Pure, and
 * it imports nothing of the project.
 */
import { mean, median, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Median of an ascending array (the mean of the two middle values when n is even). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median of an empty sample');
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-quantile (0..1) of an ascending array, linear interpolation (R type 7, numpy's default). */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  return quantileSorted(sorted as number[], p);
}

/** A sample's median, mean and standard deviation (null for one value), for sources that report few estimates or none. */
export function summarize(samples: readonly number[]): { median: number; mean: number; stdDev: number | null } {
  return {
    median: median([...samples]),
    mean: mean([...samples]),
    stdDev: samples.length > 1 ? sampleStandardDeviation([...samples]) : null,
  };
}
