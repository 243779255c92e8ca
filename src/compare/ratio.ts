/**
 * The ratio of two benchmarks' medians with its interval and p-value: a
 * bootstrap and rank test on raw samples, else a normal approximation from
 * the spreads the sources reported (weak). Pure.
 */
import type { Benchmark, Interval } from '../schema/types.ts';
import { medianOfSorted, sortedCopy } from '../common/sample.ts';
import { bootstrapRatioInterval, medianStandardError } from './stats/bootstrap.ts';
import { mannWhitneyU } from './stats/rank-test.ts';
import { normalQuantile, twoSidedP } from './stats/special.ts';
import type { RowMethod } from './types.ts';

/** Below this many samples the bootstrap of a median says little; use the spread fallback. */
export const MIN_SAMPLES = 5;

export interface RatioEstimate {
  ratio: number | null;
  ci: Interval | null;
  pValue: number | null;
  numMedian: number;
  denMedian: number;
  method: RowMethod;
  note?: string;
}

export interface RatioContext {
  level: number;
  resamples: number;
  seed: number;
  extraLogSd: number;
  /**
   * A benchmark's samples in ascending order; pass one from `sortOnce` when a benchmark takes part in several ratios.
   */
  sorted?: SortedOf;
}

/** A benchmark's samples, ascending. */
export type SortedOf = (b: Benchmark, samples: readonly number[]) => Float64Array;

const sortEachTime: SortedOf = (_b, samples) => sortedCopy(samples);

/**
 * Sorts each benchmark's samples the first time they are asked for and keeps them: pairs reuse a benchmark many times.
 */
export function sortOnce(): SortedOf {
  const sorted = new Map<Benchmark, Float64Array>();
  return (b, samples) => {
    let s = sorted.get(b);
    if (s === undefined) {
      s = sortedCopy(samples);
      sorted.set(b, s);
    }
    return s;
  };
}

function usableSamples(b: Benchmark): readonly number[] | null {
  return b.samples !== null && b.samples.length >= MIN_SAMPLES ? b.samples : null;
}

/**
 * A side's point estimate and the standard error of it, for the weak path.
 * Preference: samples (order-statistic standard error of the median), the
 * source's interval (its half-width over z), its standard deviation (as if it
 * were one measurement: conservative, n is unknown), libtest's +/- (a range of
 * samples; half of it taken as one standard deviation).
 */
function spreadEstimate(b: Benchmark): { center: number; se: number | null; from: string } {
  if (b.samples !== null && b.samples.length >= 2) {
    const sorted = sortedCopy(b.samples);
    return { center: medianOfSorted(sorted), se: medianStandardError(sorted), from: 'samples' };
  }
  const e = b.estimates;
  if (e.ci !== null && e.ci.upper >= e.ci.lower) {
    const z = normalQuantile(0.5 + e.ci.level / 2);
    return { center: e.median, se: (e.ci.upper - e.ci.lower) / (2 * z), from: 'interval' };
  }
  if (e.stdDev !== null) return { center: e.median, se: e.stdDev, from: 'standard deviation' };
  if (e.spread !== undefined && e.spread !== null) return { center: e.median, se: e.spread / 2, from: 'reported +/-' };
  return { center: e.median, se: null, from: 'nothing' };
}

export function ratioEstimate(num: Benchmark, den: Benchmark, ctx: RatioContext): RatioEstimate {
  const numSamples = usableSamples(num);
  const denSamples = usableSamples(den);
  if (numSamples && denSamples) {
    const sorted = ctx.sorted ?? sortEachTime;
    const a = sorted(num, numSamples);
    const b = sorted(den, denSamples);
    const numMedian = medianOfSorted(a);
    const denMedian = medianOfSorted(b);
    const { pValue } = mannWhitneyU(a, b);
    if (numMedian === 0 || denMedian === 0)
      return { ...zeroMedian(numMedian, denMedian, ctx.level), pValue, method: 'samples' };
    const ratio = numMedian / denMedian;
    if (!Number.isFinite(ratio)) return { ...outOfRange(numMedian, denMedian), pValue, method: 'samples' };
    const ci = bootstrapRatioInterval(a, b, {
      resamples: ctx.resamples,
      level: ctx.level,
      seed: ctx.seed,
      extraLogSd: ctx.extraLogSd,
    });
    if (ctx.extraLogSd > 0) {
      // The rank test knows only within-run noise; the widened interval also
      // carries the run-to-run term, so test on it too and keep the larger p.
      const z = normalQuantile(0.5 + ctx.level / 2);
      const se = (Math.log(ci.upper) - Math.log(ci.lower)) / (2 * z);
      const widened = se > 0 ? twoSidedP(Math.log(ratio) / se) : 1;
      return { ratio, ci, pValue: Math.max(pValue, widened), numMedian, denMedian, method: 'samples' };
    }
    return { ratio, ci, pValue, numMedian, denMedian, method: 'samples' };
  }
  return spreadRatio(num, den, ctx);
}

const OUT_OF_RANGE = 'a median is past the range of numbers, so the ratio is undefined';

/**
 * A median of 0 on a side (Go's `0 allocs/op`, `0 B/op`). On both: the medians are the same, so nothing changed
 * (ratio 1, a degenerate interval: the verdict is unchanged). On one: a change from or to zero has no ratio, and a
 * threshold in percent cannot judge it; the row stays inconclusive (never green, never failing the build), and the
 * report's change cell shows both medians (docs/statistics.md, "Zero medians").
 */
function zeroMedian(
  numMedian: number,
  denMedian: number,
  level: number,
): Pick<RatioEstimate, 'ratio' | 'ci' | 'numMedian' | 'denMedian'> & { note: string } {
  if (numMedian === 0 && denMedian === 0)
    return { ratio: 1, ci: { lower: 1, upper: 1, level }, numMedian, denMedian, note: 'the median is 0 on both sides' };
  return {
    ratio: null,
    ci: null,
    numMedian,
    denMedian,
    note: 'the median is 0 on one side only: a change from or to zero has no ratio',
  };
}

/** No ratio: a median overflowed (1e400 in JSON reads as Infinity) or the quotient did; never a NaN in a report. */
function outOfRange(
  numMedian: number,
  denMedian: number,
): Pick<RatioEstimate, 'ratio' | 'ci' | 'numMedian' | 'denMedian' | 'note'> {
  return { ratio: null, ci: null, numMedian, denMedian, note: OUT_OF_RANGE };
}

/** Normal approximation on the log ratio from reported spreads (delta method). */
function spreadRatio(num: Benchmark, den: Benchmark, ctx: RatioContext): RatioEstimate {
  const n = spreadEstimate(num);
  const d = spreadEstimate(den);
  const numMedian = n.center;
  const denMedian = d.center;
  const missingSide = [num, den].filter((b) => usableSamples(b) === null).length;
  const base = `no raw samples on ${missingSide === 2 ? 'either side' : 'one side'}: normal approximation from ${n.from === d.from ? n.from : `${n.from} and ${d.from}`}`;
  if (numMedian === 0 || denMedian === 0) {
    const zero = zeroMedian(numMedian, denMedian, ctx.level);
    return { ...zero, pValue: zero.ratio === null ? null : 1, method: 'spread', note: `${base}; ${zero.note}` };
  }
  const ratio = numMedian / denMedian;
  if (!Number.isFinite(ratio))
    return { ...outOfRange(numMedian, denMedian), pValue: null, method: 'spread', note: `${base}; ${OUT_OF_RANGE}` };
  if (n.se === null || d.se === null) {
    return {
      ratio,
      ci: null,
      pValue: null,
      numMedian,
      denMedian,
      method: 'spread',
      note: `${base}; no spread reported, so no interval or test`,
    };
  }
  const logRatio = Math.log(ratio);
  const se = Math.sqrt((n.se / numMedian) ** 2 + (d.se / denMedian) ** 2 + ctx.extraLogSd ** 2);
  const z = normalQuantile(0.5 + ctx.level / 2);
  const pValue = se > 0 ? twoSidedP(logRatio / se) : logRatio === 0 ? 1 : 0;
  const ci = { lower: Math.exp(logRatio - z * se), upper: Math.exp(logRatio + z * se), level: ctx.level };
  return { ratio, ci, pValue, numMedian, denMedian, method: 'spread', note: base };
}
