/**
 * Seeded random numbers: the same seed gives the same draws on every machine,
 * so a report can be reproduced from its results files.
 */

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
