/**
 * The counting pass's time limits, derived from the wall-time pass that ran
 * before it on the same runner (pure). The pass is extra evidence: at a limit
 * it stops, says so in the report, and wall time decides what it did not count.
 */

export interface CountLimits {
  /** The whole patched `cargo bench --no-run` build, all benches together. */
  buildSeconds: number;
  /** One bench binary under Valgrind. */
  binarySeconds: number;
  /** The whole pass: the build and every bench binary. */
  passSeconds: number;
}

/** What the wall-time pass took on this runner. */
export interface WallTimeCost {
  /** The `cargo bench --no-run` build of the wall-time pass. */
  buildSeconds: number;
  /** The `cargo bench` runs. */
  benchSeconds: number;
}

// A cold build of Criterion's dependencies and a small crate's benches took 13 minutes at load 20 on this
// project's 2-core machine (docs/verdicts.md): the build's floor leaves room for it on a busy runner.
const MIN_BUILD_SECONDS = 1200;
// The patched build compiles at most what the wall-time build did, once more, in a target directory of its own.
const BUILD_FACTOR = 3;
// Each routine runs a handful of times under Valgrind (about 50x slower than native) against Criterion's seconds
// of sampling each: a bench binary needs far less than its wall-time pass; ten times it is a generous bound.
const MIN_BINARY_SECONDS = 600;
const BINARY_FACTOR = 10;

/** How long one bench binary may run under Valgrind: ten wall-time passes, never under ten minutes. */
export function countLimitSeconds(wallTimePassSeconds: number): number {
  return Math.max(MIN_BINARY_SECONDS, Math.ceil(wallTimePassSeconds * BINARY_FACTOR));
}

/**
 * The limits of a counting pass after a wall-time pass of `cost`: the pass as a whole gets the build's limit
 * plus one bench binary's, so a suite of many binaries cannot take many times the bound of one.
 */
export function countLimits(cost: WallTimeCost): CountLimits {
  const buildSeconds = Math.max(MIN_BUILD_SECONDS, Math.ceil(cost.buildSeconds * BUILD_FACTOR));
  const binarySeconds = countLimitSeconds(cost.benchSeconds);
  return { buildSeconds, binarySeconds, passSeconds: buildSeconds + binarySeconds };
}
