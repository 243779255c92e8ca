/**
 * Statistics for the compare step. Everything here is pure and seeded: the same
 * inputs and seed give the same numbers on every machine, so a report can be
 * reproduced from its results files. See docs/statistics.md for the method.
 */
import { gammaln, quantileSorted } from 'simple-statistics';
import type { Interval } from '../schema/types.ts';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for resampling (not for crypto). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed for one benchmark, from the run's seed and the benchmark id, so
 * a benchmark's interval does not change when other benchmarks are added,
 * removed or reordered.
 */
export function deriveSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  }
  // murmur3 finalizer: FNV alone leaves nearby keys with correlated low bits.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard normal draw (Box-Muller; one of the pair is dropped for simplicity). */
export function normalDraw(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

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

/**
 * erfc with fractional error below 1.2e-7 everywhere (Numerical Recipes'
 * Chebyshev fit). simple-statistics' errorFunction uses the same fit but returns
 * erf, and 1 - erf loses all precision in the tails where small p-values live.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * Student's t quantile: exact for 1 and 2 degrees of freedom, else the
 * Cornish-Fisher expansion around the normal quantile (within 0.2% of the
 * exact value from 3 degrees of freedom on, e.g. 3.179 for 3.182 at p = 0.975).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t quantile needs df > 0, got ${df}`);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / 96;
  const g3 = (3 * z2 ** 3 * z + 19 * z2 * z2 * z + 17 * z2 * z - 15 * z) / 384;
  const g4 = (79 * z2 ** 4 * z + 776 * z2 ** 3 * z + 1482 * z2 * z2 * z - 1920 * z2 * z - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * Standard normal quantile: Acklam's rational approximation (relative error
 * below 1.2e-9; a Halley step would only import erfc's 1e-7). simple-statistics'
 * probit is accurate to only ~1e-3, which would shift a 95% interval visibly.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  return x;
}

// ---------------------------------------------------------------------------
// Exact bootstrap distribution of the sample median

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return incompleteBeta(p, k, n - k + 1);
}

function logBinomialPmf(n: number, p: number, k: number): number {
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

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
interface MedianTable {
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

function medianTable(n: number): MedianTable {
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
function drawMedian(sorted: Float64Array, table: MedianTable, r: number): number {
  const scaled = r * table.prob.length;
  const i = Math.floor(scaled);
  const pick = scaled - i < (table.prob[i] as number) ? i : (table.alias[i] as number);
  return ((sorted[table.low[pick] as number] as number) + (sorted[table.high[pick] as number] as number)) * 0.5;
}

/** Draws from the bootstrap distribution of the median of an ascending sample. */
export function bootstrapMedians(sorted: Float64Array, count: number, rng: Rng): Float64Array {
  const out = new Float64Array(count);
  const table = medianTable(sorted.length);
  for (let i = 0; i < count; i++) out[i] = drawMedian(sorted, table, rng());
  return out;
}

export interface RatioBootstrapOptions {
  resamples: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  seed: number;
  /**
   * Extra relative noise (standard deviation of the log ratio) to fold into
   * every draw, e.g. run-to-run spread known from history. 0 for none.
   */
  extraLogSd?: number;
}

/**
 * Percentile bootstrap interval for median(numerator) / median(denominator),
 * the two samples resampled independently. Inputs are ascending.
 */
export function bootstrapRatioInterval(numerator: Float64Array, denominator: Float64Array, options: RatioBootstrapOptions): Interval {
  const { resamples, level } = options;
  const extra = options.extraLogSd ?? 0;
  const noise = extra > 0 ? mulberry32(options.seed ^ 0x9e3779b9) : null;
  const num = medianTable(numerator.length);
  const den = medianTable(denominator.length);
  const tails = new TailQuantiles(resamples, (1 - level) / 2);
  // mulberry32 inlined: a closure call per draw cost more than the draw itself.
  let state = options.seed >>> 0;
  for (let i = 0; i < resamples; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r1 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    state = (state + 0x6d2b79f5) >>> 0;
    t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r2 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const top = drawMedian(numerator, num, r1);
    const bottom = drawMedian(denominator, den, r2);
    // 0/0 (samples of zeros on both sides) is no change, not NaN.
    let ratio = bottom === 0 ? (top === 0 ? 1 : Infinity) : top / bottom;
    if (noise !== null) ratio *= Math.exp(extra * normalDraw(noise));
    tails.push(ratio);
  }
  return { ...tails.result(), level };
}

/**
 * Keeps the k smallest of the values pushed (a max-heap), so two tail quantiles
 * of B draws cost about B comparisons instead of a sort: sorting 2,000 draws per
 * benchmark was a third of compare's time.
 */
class SmallestK {
  private readonly heap: Float64Array;
  private size = 0;
  constructor(private readonly k: number) {
    this.heap = new Float64Array(k);
  }

  push(x: number): void {
    const h = this.heap;
    let i: number;
    if (this.size < this.k) {
      i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((h[parent] as number) >= x) break;
        h[i] = h[parent] as number;
        i = parent;
      }
      h[i] = x;
      return;
    }
    if (!(x < (h[0] as number))) return;
    i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.k) break;
      const right = left + 1;
      const child = right < this.k && (h[right] as number) > (h[left] as number) ? right : left;
      if ((h[child] as number) <= x) break;
      h[i] = h[child] as number;
      i = child;
    }
    h[i] = x;
  }

  ascending(): Float64Array {
    return this.heap.slice(0, this.size).sort();
  }
}

function interpolate(a: number, b: number, fraction: number): number {
  // Equal values (including two infinities) interpolate to themselves, not NaN.
  return a === b ? a : a + fraction * (b - a);
}

/** Type-7 quantiles at `tail` and 1 - `tail` of a stream of `count` values. */
class TailQuantiles {
  private readonly low: SmallestK;
  private readonly high: SmallestK;
  private readonly lowIdx: number;
  private readonly highIdx: number;
  constructor(
    private readonly count: number,
    tail: number,
  ) {
    this.lowIdx = (count - 1) * tail;
    this.highIdx = (count - 1) * (1 - tail);
    this.low = new SmallestK(Math.min(count, Math.floor(this.lowIdx) + 2));
    // The largest values, kept negated in the same structure.
    this.high = new SmallestK(count - Math.floor(this.highIdx));
  }

  push(x: number): void {
    this.low.push(x);
    this.high.push(-x);
  }

  result(): { lower: number; upper: number } {
    const low = this.low.ascending();
    const lo = Math.floor(this.lowIdx);
    const lower = interpolate(low[lo] as number, (low[lo + 1] ?? low[lo]) as number, this.lowIdx - lo);
    const high = this.high.ascending().reverse().map((x) => -x); // ascending
    const offset = this.count - high.length; // order statistic of high[0]
    const hi = Math.floor(this.highIdx);
    const upper = interpolate(high[hi - offset] as number, (high[hi - offset + 1] ?? high[hi - offset]) as number, this.highIdx - hi);
    return { lower, upper };
  }
}

/**
 * Standard error of the median of an ascending sample from the distribution-free
 * order-statistic interval: x_(n/2 ± sqrt(n)/2) spans about +/-1 standard error.
 */
export function medianStandardError(sorted: Float64Array): number {
  const n = sorted.length;
  const half = Math.sqrt(n) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return ((sorted[hi] as number) - (sorted[lo] as number)) / 2;
}

// ---------------------------------------------------------------------------
// Mann-Whitney U

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

// ---------------------------------------------------------------------------
// Benjamini-Hochberg

/**
 * Benjamini-Hochberg adjusted p-values (q-values). Nulls (no test possible) are
 * not part of the family and stay null.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const tested: { index: number; p: number }[] = [];
  pValues.forEach((p, index) => {
    if (p !== null) tested.push({ index, p });
  });
  tested.sort((a, b) => a.p - b.p);
  const m = tested.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = tested[rank - 1] as { index: number; p: number };
    running = Math.min(running, (entry.p * m) / rank);
    out[entry.index] = running;
  }
  return out;
}
