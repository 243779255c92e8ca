/**
 * Counted metrics (instructions under Valgrind): the same binary on the same
 * input counts the same, so there is nothing to resample. The change is the
 * ratio of the counts; only a run-to-run spread that the base branch's history
 * shows (code whose counts do vary, e.g. hashing with a random seed) widens it,
 * as it widens wall time's interval. Pure.
 */
import { INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import type { Benchmark, Interval } from '../schema/types.ts';
import type { RatioEstimate } from './ratio.ts';
import { normalQuantile, twoSidedP } from './stats/special.ts';

/** Metrics compared as exact counts rather than as noisy samples. */
export function isCounted(metric: string): boolean {
  return metric === INSTRUCTIONS_METRIC;
}

/** The count a benchmark reports: its median (the adapters put the count there). */
function count(b: Benchmark): number {
  return b.estimates.median;
}

/**
 * head/base of the counts. Without history noise the interval is the point and
 * the change is certain (p 0, or 1 when nothing changed); with a run-to-run
 * log-sd s the interval is ratio·exp(±z·s) and p comes from log(ratio)/s.
 */
export function exactRatio(head: Benchmark, base: Benchmark, extraLogSd: number, level: number): RatioEstimate {
  const numMedian = count(head);
  const denMedian = count(base);
  if (numMedian === 0 || denMedian === 0) {
    return {
      ratio: null,
      ci: null,
      pValue: null,
      numMedian,
      denMedian,
      method: 'exact',
      note: 'a count is 0, so the ratio is undefined',
    };
  }
  const ratio = numMedian / denMedian;
  const logRatio = Math.log(ratio);
  if (!(extraLogSd > 0)) {
    const ci: Interval = { lower: ratio, upper: ratio, level };
    return { ratio, ci, pValue: logRatio === 0 ? 1 : 0, numMedian, denMedian, method: 'exact' };
  }
  const z = normalQuantile(0.5 + level / 2);
  const ci: Interval = {
    lower: Math.exp(logRatio - z * extraLogSd),
    upper: Math.exp(logRatio + z * extraLogSd),
    level,
  };
  return { ratio, ci, pValue: twoSidedP(logRatio / extraLogSd), numMedian, denMedian, method: 'exact' };
}
