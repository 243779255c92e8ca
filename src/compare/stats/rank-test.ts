/** The Mann-Whitney U rank test, checked against scipy.stats.mannwhitneyu. */
import { normalSf } from './special.ts';

export interface MannWhitneyResult {
  /** U statistic of the first sample (number of pairs where it is the larger, ties count 1/2). */
  u: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * Two-sided Mann-Whitney U test on two ascending samples, one merge pass over
 * them. Method choice follows scipy's 'auto': exact when there are no ties and
 * one sample has at most 8 values (and n1 * n2 <= 1e6), else the normal
 * approximation with tie and continuity corrections.
 */
export function mannWhitneyU(x: Float64Array, y: Float64Array): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  let i = 0;
  let j = 0;
  let position = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const xv = i < n1 ? (x[i] as number) : Infinity;
    const yv = j < n2 ? (y[j] as number) : Infinity;
    const v = xv <= yv ? xv : yv;
    let cx = 0;
    let cy = 0;
    while (i < n1 && x[i] === v) {
      i++;
      cx++;
    }
    while (j < n2 && y[j] === v) {
      j++;
      cy++;
    }
    if (cx + cy === 0) {
      // Only when a sample holds +Infinity: rank the rest as one tie group.
      cx = n1 - i;
      cy = n2 - j;
      i = n1;
      j = n2;
    }
    const t = cx + cy;
    rankSumX += cx * (position + (t + 1) / 2);
    tieTerm += t * t * t - t;
    position += t;
  }
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  // The exact distribution needs n1 * n2 counts; past a million the normal
  // approximation is as good and far cheaper.
  if (tieTerm === 0 && Math.min(n1, n2) <= 8 && n1 * n2 <= 1_000_000) {
    return { u: u1, pValue: Math.min(1, 2 * exactUpperTail(n1, n2, u)), method: 'exact' };
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u: u1, pValue: 1, method: 'asymptotic' };
  const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return { u: u1, pValue: Math.min(1, Math.max(0, 2 * normalSf(z))), method: 'asymptotic' };
}

/**
 * P(U >= u) under the null without ties. The counts of U are the coefficients
 * of the Gaussian binomial [n1+n2 choose n1]_q = prod (1 - q^(n2+i)) / (1 - q^i);
 * the tail is read from the low end (U is symmetric) where no cancellation occurs.
 */
function exactUpperTail(n1: number, n2: number, u: number): number {
  const small = Math.min(n1, n2);
  const large = Math.max(n1, n2);
  const top = small * large;
  const counts = new Float64Array(top + 1);
  counts[0] = 1;
  for (let i = 1; i <= small; i++) {
    // Dividing by (1 - q^i) is a running sum with stride i; truncating at `top`
    // is exact because later factors never move mass to lower degrees.
    for (let k = i; k <= top; k++) counts[k] = (counts[k] as number) + (counts[k - i] as number);
    const s = large + i;
    for (let k = top; k >= s; k--) counts[k] = (counts[k] as number) - (counts[k - s] as number);
  }
  let total = 0;
  for (let k = 0; k <= top; k++) total += counts[k] as number;
  // P(U >= u) = P(U <= top - u).
  const limit = Math.floor(top - u + 1e-9);
  let tail = 0;
  for (let k = 0; k <= limit; k++) tail += counts[k] as number;
  return tail / total;
}
