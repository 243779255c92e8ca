/**
 * Contender/reference pairs of one results file (sark-cache vs Redis, ...):
 * the speedup of each with its interval. Pure.
 */
import { findById } from '../schema/metric.ts';
import type { Benchmark, Results } from '../schema/types.ts';
import { MIN_SAMPLES, ratioEstimate, sortOnce } from './ratio.ts';
import { deriveSeed } from './stats/rng.ts';
import { DEFAULTS, type PairResult } from './types.ts';

export interface PairOptions {
  seed?: number;
  level?: number;
  resamples?: number;
  /** The most work all pairs together may do, in samples visited (see PAIR_WORK_BUDGET). */
  workBudget?: number;
}

/**
 * The most samples the pairs of one results file may visit, all pairs
 * together: a pair with raw samples costs both its sample counts (the rank
 * test's merge) plus one bootstrap draw per resample. A results file may come
 * from a fork and declare any number of pairs over benchmarks of a million
 * samples each; past this budget the remaining pairs are reported as not
 * computed instead of stalling the job (docs/github.md, threat model). A suite
 * of 50 pairs of 100,000 samples a side uses half of it.
 */
export const PAIR_WORK_BUDGET = 20_000_000;

/** The work a pair costs against the budget (0 for the spread path, which does a few operations). */
function pairWork(a: Benchmark, b: Benchmark, resamples: number): number {
  const n = a.samples?.length ?? 0;
  const m = b.samples?.length ?? 0;
  return n >= MIN_SAMPLES && m >= MIN_SAMPLES ? n + m + resamples : 0;
}

/** findById over an index of the benchmarks by id, so many pairs do not scan the list each. */
function byId(benchmarks: readonly Benchmark[]): (id: string) => Benchmark | undefined {
  const index = new Map<string, Benchmark[]>();
  for (const b of benchmarks) {
    const same = index.get(b.id);
    if (same) same.push(b);
    else index.set(b.id, [b]);
  }
  return (id) => findById(index.get(id) ?? [], id);
}

/**
 * Speedup of each contender over its reference in one results file (its
 * `pairs`), with a bootstrap interval. A pair whose benchmarks are absent or
 * incomparable, or that the work budget does not reach, comes back with
 * speedup null and a note, never dropped. Each benchmark's samples are sorted
 * once, however many pairs name it.
 */
export function computePairs(results: Results, options: PairOptions = {}): PairResult[] {
  const level = options.level ?? DEFAULTS.level;
  const resamples = options.resamples ?? DEFAULTS.resamples;
  const seed = options.seed ?? DEFAULTS.seed;
  const budget = options.workBudget ?? PAIR_WORK_BUDGET;
  const find = byId(results.benchmarks);
  const sorted = sortOnce();
  let spent = 0;
  return (results.pairs ?? []).map((pair): PairResult => {
    // A pair names ids only: it compares their wall time (or an id's only metric).
    const contender = find(pair.contender);
    const reference = find(pair.reference);
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
    const work = pairWork(contender, reference, resamples);
    if (spent + work > budget) {
      return {
        ...empty,
        note: `not computed: the pairs of one report may compare ${budget.toLocaleString('en-US')} samples in all, and the pairs before this one used ${spent.toLocaleString('en-US')}`,
      };
    }
    spent += work;
    const lowerIsBetter = contender.direction === 'lower';
    const ctx = { level, resamples, seed: deriveSeed(seed, `pair:${pair.name}`), extraLogSd: 0, sorted };
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
