import type { Direction, Interval } from '../schema/types.ts';
import { mean, standardDeviation } from '../common/sample.ts';
import { studentTQuantile } from './stats/special.ts';

/**
 * The confirmation round's sequential rule (docs/statistics.md, "The
 * confirmation round"). Pure.
 *
 * Each round pair i (base and head run back to back on this runner, ABBA
 * order) gives one observation d_i = log(head median / base median), oriented
 * so that above 0 is worse. At each look of a fixed schedule (after 3, 5, 8,
 * 12, 16 and 20 pairs) a t interval for the mean of the d_i so far is formed
 * at level 1 - alpha / looks. By the union bound, the chance that any
 * interval a benchmark ever gets misses the true mean is at most alpha,
 * however the rounds are stopped (Bonferroni alpha spending over a
 * group-sequential design with a fixed horizon): the looks are priced in, not
 * repeated testing at 95%. Few looks, spaced out, cost less width than a look
 * after every pair (docs/statistics.md has the simulation behind the schedule).
 */
export interface SequentialDesign {
  /** Error rate over all looks: P(any interval misses the true change) <= alpha. */
  alpha: number;
  /**
   * The pair counts at which the rule looks, ascending; the first needs 3 pairs (2 degrees of freedom) to be of use.
   */
  looksAt: readonly number[];
}

export const SEQUENTIAL_DESIGN: SequentialDesign = { alpha: 0.05, looksAt: [3, 5, 8, 12, 16, 20] };

/** Pairs before the first look. */
export function minPairs(design: SequentialDesign): number {
  return design.looksAt[0] ?? 3;
}

/** Pairs after which a benchmark is undecided for good. */
export function maxPairs(design: SequentialDesign): number {
  return design.looksAt[design.looksAt.length - 1] ?? 3;
}

/** How many looks the design takes at most. */
export function looks(design: SequentialDesign): number {
  return design.looksAt.length;
}

/** The two-sided error each look may spend. */
export function lookAlpha(design: SequentialDesign): number {
  return design.alpha / looks(design);
}

export type SequentialOutcome = 'confirmed' | 'cleared' | 'undecided';

export interface SequentialState {
  outcome: SequentialOutcome;
  pairs: number;
  /** exp(mean d): head/base on this runner, oriented as measured (not as worsening). */
  change: number | null;
  /** The interval of `change` at this look; null before minPairs. */
  ci: Interval | null;
  /** Standard deviation of d between pairs (log scale); null before 2 pairs. */
  pairSd: number | null;
  /** For an undecided candidate: about how many pairs in all would decide it at this spread; null when none would. */
  pairsToDecide: number | null;
  /** The estimate lies past the threshold on the worse side: the round measures such a candidate to the last look. */
  pastThreshold: boolean;
}

/** The interval's half-width factor on the log scale, per unit of sd, after n pairs, with `perLook` two-sided error. */
function halfWidthFactor(n: number, perLook: number): number {
  const key = `${n}:${perLook}`;
  let factor = FACTORS.get(key);
  if (factor === undefined) {
    factor = studentTQuantile(1 - perLook / 2, n - 1) / Math.sqrt(n);
    FACTORS.set(key, factor);
  }
  return factor;
}

/** Quantiles are slow to invert and few distinct ones are asked for: (pairs, per-look error) -> factor. */
const FACTORS = new Map<string, number>();

/** The largest design a projection considers: beyond this, no budget a workflow would grant pays. */
export const PROJECTION_LIMIT = 200;

/**
 * How many pairs in all would put the interval wholly on one side of the
 * threshold if the estimate and spread stayed as they are: the first look of
 * the schedule after `from` pairs that would, or beyond the schedule, the
 * pairs of one more look (the design stretched by it: less error per look);
 * null when none up to PROJECTION_LIMIT would (the estimate is too near the
 * threshold for its spread).
 */
export function projectPairs(distance: number, pairSd: number, from: number, design: SequentialDesign): number | null {
  const perLook = lookAlpha(design);
  for (const n of design.looksAt) if (n >= from && halfWidthFactor(n, perLook) * pairSd < distance) return n;
  // Beyond the schedule: one more look at n, its error shared among looks + 1.
  const stretched = design.alpha / (looks(design) + 1);
  const decides = (n: number): boolean => halfWidthFactor(n, stretched) * pairSd < distance;
  let lo = Math.max(from, maxPairs(design) + 1);
  let hi = PROJECTION_LIMIT;
  if (lo > hi || !decides(hi)) return null;
  // The half-width shrinks as pairs are added: bisect.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decides(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The state of one candidate after the pairs measured so far. `logRatios` are
 * log(head / base) per pair as measured; `direction` orients them (a
 * throughput that falls is worse); `threshold` is the row's (0.10 = 10%).
 * Confirmed: the whole interval is beyond +threshold. Cleared: the whole
 * interval is below it (a regression of the threshold's size is excluded).
 * Otherwise undecided.
 */
export function sequentialState(
  logRatios: readonly number[],
  threshold: number,
  direction: Direction,
  design: SequentialDesign = SEQUENTIAL_DESIGN,
): SequentialState {
  const n = logRatios.length;
  const sign = direction === 'lower' ? 1 : -1;
  // The interval is formed at looks only: between two, the last look's data stand (its error is what was spent).
  const look = [...design.looksAt].reverse().find((at) => at <= n) ?? null;
  const worse = logRatios.slice(0, look ?? n).map((d) => sign * d);
  const tau = Math.log1p(threshold);
  const m = worse.length > 0 ? mean(worse) : null;
  const s = standardDeviation(worse);
  const change = m === null ? null : Math.exp(sign * m);
  if (m === null || s === null || look === null) {
    return { outcome: 'undecided', pairs: n, change, ci: null, pairSd: s, pairsToDecide: null, pastThreshold: false };
  }
  const half = halfWidthFactor(look, lookAlpha(design)) * s;
  const [lo, hi] = [m - half, m + half];
  // The interval of the change as measured (a throughput's is the inverse of its worsening's).
  const ci: Interval = {
    lower: Math.exp(sign === 1 ? lo : -hi),
    upper: Math.exp(sign === 1 ? hi : -lo),
    level: 1 - design.alpha,
  };
  const outcome: SequentialOutcome = lo > tau ? 'confirmed' : hi < tau ? 'cleared' : 'undecided';
  const pairsToDecide = outcome === 'undecided' ? projectPairs(Math.abs(m - tau), s, n + 1, design) : null;
  return { outcome, pairs: n, change, ci, pairSd: s, pairsToDecide, pastThreshold: m > tau };
}

/**
 * Whether an undecided candidate is undecided for good before the design's
 * last look: from its third look on (8 pairs), when the projection needs more
 * than twice the design's pairs, or none decides it. Even the last look would
 * decide it only if its spread fell by more than a factor of sqrt(2), so the
 * round stops spending pairs on it. Stopping for futility never makes a
 * decision, so the error rate stands; it costs power only. A candidate whose
 * estimate lies past the threshold is never given up: an early low draw of a
 * real slowdown projected 44 pairs at 8 (+14.8% [+1.0%, +30.5%] on a true 20%,
 * the jittered e2e), and the round exists to confirm or clear exactly these.
 */
export function hopeless(state: SequentialState, design: SequentialDesign = SEQUENTIAL_DESIGN): boolean {
  const third = design.looksAt[2];
  if (third === undefined || state.outcome !== 'undecided' || state.pairs < third || state.pastThreshold) return false;
  return state.pairsToDecide === null || state.pairsToDecide > 2 * maxPairs(design);
}

/** The need of a candidate no projection decides within the design: last, but still measured when the budget allows. */
const NEVER = 1e9;

export interface SequentialCandidate {
  key: string;
  state: SequentialState;
}

/**
 * Which undecided candidates the next round pair measures, at most
 * `affordable` of them: those nearest a decision first. Before the first look,
 * the pairs still missing to it (ties in the given order, which the caller sets
 * from the baseline); after it, the pairs still missing to the look the
 * projection says decides; candidates no look of the schedule decides come
 * last, and one at the last look, or hopeless, is done.
 */
export function nextPair(
  candidates: readonly SequentialCandidate[],
  affordable: number,
  design: SequentialDesign = SEQUENTIAL_DESIGN,
): string[] {
  const need = ({ state }: SequentialCandidate): number => {
    if (state.pairs < minPairs(design)) return minPairs(design) - state.pairs;
    const total = state.pairsToDecide ?? NEVER;
    return total > maxPairs(design) ? NEVER : total - state.pairs;
  };
  return candidates
    .map((candidate, order) => ({ candidate, order, need: need(candidate) }))
    .filter(({ candidate }) => candidate.state.outcome === 'undecided' && candidate.state.pairs < maxPairs(design))
    .filter(({ candidate }) => !hopeless(candidate.state, design))
    .sort((a, b) => a.need - b.need || a.order - b.order)
    .slice(0, Math.max(0, affordable))
    .map(({ candidate }) => candidate.key);
}

/** One `cargo bench` run of a round pair: a side and the candidates it measures. */
export interface PairRun {
  side: 'base' | 'head';
  keys: string[];
}

/**
 * The runs of one round pair, so that each candidate's own pairs alternate
 * (ABBA: its even pairs base first, its odd ones head first) whatever pairs
 * the other candidates got, and a drift within a pair cancels over two of its
 * pairs: the base of the candidates on an even pair, the head of all, the base
 * of those on an odd pair. A candidate's two runs are adjacent; a pair whose
 * candidates share a parity takes two runs. `done`: the pairs a candidate has.
 */
export function pairRuns(batch: readonly { key: string; done: number }[]): PairRun[] {
  const even = batch.filter((c) => c.done % 2 === 0).map((c) => c.key);
  const odd = batch.filter((c) => c.done % 2 === 1).map((c) => c.key);
  return [
    ...(even.length > 0 ? [{ side: 'base' as const, keys: even }] : []),
    { side: 'head' as const, keys: batch.map((c) => c.key) },
    ...(odd.length > 0 ? [{ side: 'base' as const, keys: odd }] : []),
  ];
}

/**
 * The part of a batch that shares the parity of pairs done of its first
 * candidate, the one nearest a decision (nextPair's order), so its pair takes
 * two runs, not three, and the budget goes to the nearest first: the part
 * left out has the other parity and joins on the next pair, when the measured
 * part has flipped to it. (Taking the larger part instead could leave the
 * nearest candidate out of every pair the budget paid for.) Misalignment (the
 * first pair prices one candidate alone; a candidate drops out) costs one
 * pair's wait, once.
 */
export function sameParity(batch: readonly { key: string; done: number }[]): string[] {
  const [first] = batch;
  if (first === undefined) return [];
  return batch.filter((c) => c.done % 2 === first.done % 2).map((c) => c.key);
}
