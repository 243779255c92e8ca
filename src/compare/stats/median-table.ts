/** The exact bootstrap distribution of a sample's median, as an alias table to draw from. Pure. */
import { binomialUpperTail, logBinomialPmf } from './special.ts';

/**
 * What a bootstrap resample's median looks like for a sample of size n, which
 * depends on n only (the data enter by index into the sorted sample).
 *
 * A resample's k-th order statistic is x_(J) with P(J <= a) = P(#draws <= x_(a)
 * is >= k) = P(Binomial(n, a/n) >= k). For odd n the median is the k = (n+1)/2
 * order statistic. For even n it is the mean of the m-th and (m+1)-th (m = n/2);
 * given J_m = a, the (m+1)-th is x_(a) again unless exactly m draws fell at or
 * below x_(a), in which case the other n - m draws are uniform over the n - a
 * points above and the (m+1)-th is the lowest of them, a + T with
 * P(T > t) = (1 - t/(n-a))^(n-m).
 *
 * The outcomes (lower index, upper index) and their probabilities go into an
 * alias table (Vose), so a draw is one uniform and two array reads.
 */
export interface MedianTable {
  /** 0-based indices of the two order statistics averaged (equal for odd n). */
  low: Int32Array;
  high: Int32Array;
  /** Alias method: keep outcome i when the fraction is below prob[i], else take alias[i]. */
  prob: Float64Array;
  alias: Int32Array;
}

const TAIL = 1e-17;
const tableCache = new Map<number, MedianTable>();
const TABLE_CACHE_SIZE = 64;

/** P(J <= a-1) for 1-based a = 1..n, i.e. cdf[a-1]; only the window that carries probability is computed. */
function orderStatisticCdf(n: number, k: number): Float64Array {
  // Walk out from the middle and stop once the tail is negligible: keeps large
  // samples (tinybench can keep 100k+) cheap.
  const cdf = new Float64Array(n);
  cdf[n - 1] = 1;
  for (let a = k; a >= 1; a--) {
    const f = binomialUpperTail(n, a / n, k);
    cdf[a - 1] = f;
    if (f < TAIL) break; // the rest stays 0
  }
  for (let a = k + 1; a < n; a++) {
    const f = binomialUpperTail(n, a / n, k);
    cdf[a - 1] = f;
    if (1 - f < TAIL) {
      cdf.fill(1, a, n);
      break;
    }
  }
  return cdf;
}

function buildMedianTable(n: number): MedianTable {
  const even = n % 2 === 0;
  const k = even ? n / 2 : (n + 1) / 2;
  const cdf = orderStatisticCdf(n, k);
  const low: number[] = [];
  const high: number[] = [];
  const weight: number[] = [];
  const rest = n - k; // draws above the m-th order statistic (even n)
  for (let a = 1; a <= n; a++) {
    const pA = (cdf[a - 1] as number) - (a >= 2 ? (cdf[a - 2] as number) : 0);
    if (pA <= 0) continue;
    if (!even || a === n) {
      low.push(a - 1);
      high.push(a - 1);
      weight.push(pA);
      continue;
    }
    // P(J_m = a and exactly m draws <= x_(a)) = P(C_a = m) * P(not all m of them below x_(a)).
    const pExact = Math.exp(logBinomialPmf(n, a / n, k)) * -Math.expm1(k * Math.log1p(-1 / a));
    const leave = Math.min(1, Math.max(0, pExact / pA));
    low.push(a - 1);
    high.push(a - 1);
    weight.push(pA * (1 - leave));
    if (leave === 0) continue;
    const above = n - a;
    let survival = 1;
    for (let t = 1; t <= above; t++) {
      const next = t === above ? 0 : Math.pow(1 - t / above, rest);
      // The negligible remainder goes to the last step kept, so nothing is lost.
      const mass = next * pA * leave < TAIL ? survival : survival - next;
      low.push(a - 1);
      high.push(a - 1 + t);
      weight.push(pA * leave * mass);
      if (mass === survival) break;
      survival = next;
    }
  }
  return { low: Int32Array.from(low), high: Int32Array.from(high), ...aliasTable(weight) };
}

/** Vose's alias method over weights summing to 1 (up to rounding). */
function aliasTable(weight: readonly number[]): { prob: Float64Array; alias: Int32Array } {
  const size = weight.length;
  const total = weight.reduce((sum, w) => sum + w, 0);
  const scaled = Float64Array.from(weight, (w) => (w * size) / total);
  const prob = new Float64Array(size);
  const alias = new Int32Array(size);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((w, i) => (w < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number;
    const l = large[large.length - 1] as number;
    prob[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    if ((scaled[l] as number) < 1) small.push(large.pop() as number);
  }
  // Left-overs are 1 up to rounding.
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return { prob, alias };
}

export function medianTable(n: number): MedianTable {
  let table = tableCache.get(n);
  if (!table) {
    table = buildMedianTable(n);
    if (tableCache.size >= TABLE_CACHE_SIZE) {
      const oldest = tableCache.keys().next().value;
      if (oldest !== undefined) tableCache.delete(oldest);
    }
    tableCache.set(n, table);
  }
  return table;
}

/** One draw from the exact bootstrap distribution of the median of `sorted`, from one uniform r. */
export function drawMedian(sorted: Float64Array, table: MedianTable, r: number): number {
  const scaled = r * table.prob.length;
  const i = Math.floor(scaled);
  const pick = scaled - i < (table.prob[i] as number) ? i : (table.alias[i] as number);
  // Halved before the sum, so two values near the top of the double range do not overflow.
  return (sorted[table.low[pick] as number] as number) * 0.5 + (sorted[table.high[pick] as number] as number) * 0.5;
}
