/** Two tail quantiles of a stream of draws without sorting them all. Pure. */

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
export class TailQuantiles {
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
    const high = this.high
      .ascending()
      .reverse()
      .map((x) => -x); // ascending
    const offset = this.count - high.length; // order statistic of high[0]
    const hi = Math.floor(this.highIdx);
    const upper = interpolate(
      high[hi - offset] as number,
      (high[hi - offset + 1] ?? high[hi - offset]) as number,
      this.highIdx - hi,
    );
    return { lower, upper };
  }
}
