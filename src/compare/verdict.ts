/** The verdict rule: a change, its interval and its q-value against the threshold. Pure. */
import type { Direction, Interval } from '../schema/types.ts';
import type { Verdict } from './types.ts';

/**
 * The change as "how many times worse": above 1 is worse in either direction.
 * For lower-is-better that is the ratio itself; for higher-is-better its inverse.
 */
export function worsening(change: number, direction: Direction): number {
  return direction === 'lower' ? change : 1 / change;
}

function worseningInterval(ci: Interval, direction: Direction): { lower: number; upper: number } {
  return direction === 'lower' ? { lower: ci.lower, upper: ci.upper } : { lower: 1 / ci.upper, upper: 1 / ci.lower };
}

export interface VerdictInput {
  change: number;
  ci: Interval | null;
  qValue: number | null;
  threshold: number;
  direction: Direction;
  alpha: number;
}

/**
 * The verdict rule (docs/statistics.md), one rule for every label. With w =
 * change oriented so that above 1 is worse, its interval [lo, hi], and the
 * band [1/(1+t), 1+t]:
 * - regression: q <= alpha, lo > 1 (the interval says slower) and w > 1+t;
 * - improvement: q <= alpha, hi < 1 (the interval says faster) and w < 1/(1+t);
 * - unchanged: otherwise, if the whole interval lies inside the band;
 * - inconclusive: otherwise (neither a significant change beyond the
 *   threshold nor an interval inside it: the data cannot tell).
 * The rank test and the interval can disagree (a shift in the samples'
 * spread, a noise term that widens only the interval): a label needs both.
 * Without an interval (no spread reported at all) only the point estimate is
 * known: unchanged inside the band, inconclusive outside.
 */
export function decideVerdict(input: VerdictInput): Exclude<Verdict, 'new' | 'missing'> {
  const w = worsening(input.change, input.direction);
  const up = 1 + input.threshold;
  const down = 1 / up;
  const significant = input.qValue !== null && input.qValue <= input.alpha;
  const wci = input.ci ? worseningInterval(input.ci, input.direction) : null;
  const slower = wci === null || wci.lower > 1;
  const faster = wci === null || wci.upper < 1;
  if (significant && slower && w > up) return 'regression';
  if (significant && faster && w < down) return 'improvement';
  if (wci === null) return w > up || w < down ? 'inconclusive' : 'unchanged';
  return wci.upper <= up && wci.lower >= down ? 'unchanged' : 'inconclusive';
}
