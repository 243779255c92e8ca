/**
 * Contender/reference pairs of one results file (sark-cache vs Redis, ...):
 * the speedup of each with its interval. Pure.
 */
import { findById } from '../schema/metric.ts';
import type { Results } from '../schema/types.ts';
import { ratioEstimate } from './ratio.ts';
import { deriveSeed } from './stats/rng.ts';
import { DEFAULTS, type PairResult } from './types.ts';

export interface PairOptions {
  seed?: number;
  level?: number;
  resamples?: number;
}

/**
 * Speedup of each contender over its reference in one results file (its
 * `pairs`), with a bootstrap interval. A pair whose benchmarks are absent or
 * incomparable comes back with speedup null and a note, never dropped.
 */
export function computePairs(results: Results, options: PairOptions = {}): PairResult[] {
  const level = options.level ?? DEFAULTS.level;
  const resamples = options.resamples ?? DEFAULTS.resamples;
  const seed = options.seed ?? DEFAULTS.seed;
  return (results.pairs ?? []).map((pair): PairResult => {
    // A pair names ids only: it compares their wall time (or an id's only metric).
    const contender = findById(results.benchmarks, pair.contender);
    const reference = findById(results.benchmarks, pair.reference);
    const empty = {
      ...pair,
      speedup: null,
      ci: null,
      contenderMedian: null,
      referenceMedian: null,
      unit: null,
      weak: false,
    };
    const absent = [contender ? null : pair.contender, reference ? null : pair.reference].filter((x) => x !== null);
    if (!contender || !reference) return { ...empty, note: `benchmark ${absent.join(' and ')} not in the results` };
    if (contender.unit !== reference.unit || contender.direction !== reference.direction) {
      return {
        ...empty,
        note: `contender and reference differ in unit or direction (${contender.unit}/${contender.direction} vs ${reference.unit}/${reference.direction})`,
      };
    }
    const lowerIsBetter = contender.direction === 'lower';
    const ctx = { level, resamples, seed: deriveSeed(seed, `pair:${pair.name}`), extraLogSd: 0 };
    const est = lowerIsBetter ? ratioEstimate(reference, contender, ctx) : ratioEstimate(contender, reference, ctx);
    return {
      ...pair,
      speedup: est.ratio,
      ci: est.ci,
      contenderMedian: lowerIsBetter ? est.denMedian : est.numMedian,
      referenceMedian: lowerIsBetter ? est.numMedian : est.denMedian,
      unit: contender.unit,
      weak: est.method === 'spread',
      ...(est.note ? { note: est.note } : {}),
    };
  });
}
