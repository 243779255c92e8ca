/**
 * The counting pass's time limits, derived from the wall-time pass that ran
 * before it on the same runner and capped at an hour whatever that took (pure).
 * The pass is extra evidence: at a limit it stops, says so in the report, and
 * wall time decides what it did not count.
 */

export interface CountLimits {
  /** The whole patched `cargo bench --no-run` build, all benches together. */
  buildSeconds: number;
  /** One bench binary under Valgrind. */
  binarySeconds: number;
  /** The whole pass: the build and every bench binary. */
  passSeconds: number;
  /** The cap (PASS_CAP_SECONDS), not the wall-time pass, set `passSeconds`: the report says so at a limit. */
  capped: boolean;
}

/** What the wall-time pass took on this runner. */
export interface WallTimeCost {
  /** `cargo build --release --workspace` and the `cargo bench --no-run` build of the benches it runs. */
  buildSeconds: number;
  /** The `cargo bench` runs, the benches already built. */
  benchSeconds: number;
}

// The build's floor leaves a cold build of Criterion and its dependencies room on a busy 2-core runner.
const MIN_BUILD_SECONDS = 1200;
// The patched build compiles at most what the wall-time build did, once more, in a target directory of its own.
const BUILD_FACTOR = 3;
// Each routine runs a handful of times under Valgrind (about 50x slower than native) against Criterion's seconds
// of sampling each: a bench binary needs far less than its wall-time pass; ten times it is a generous bound.
const MIN_BINARY_SECONDS = 600;
const BINARY_FACTOR = 10;
/**
 * The most a counting pass may take, whatever the wall-time pass took: the derived limits grow with the suite
 * and the cache's state, and a pass that outlived the job's `timeout-minutes` would lose the job, not the counts.
 */
export const PASS_CAP_SECONDS = 3600;

/** How long one bench binary may run under Valgrind: ten wall-time passes, never under ten minutes. */
export function countLimitSeconds(wallTimePassSeconds: number): number {
  return Math.max(MIN_BINARY_SECONDS, Math.ceil(wallTimePassSeconds * BINARY_FACTOR));
}

/**
 * The limits of a counting pass after a wall-time pass of `cost`: the pass as a whole gets the build's limit
 * plus one bench binary's, so a suite of many binaries cannot take many times the bound of one, and never more
 * than PASS_CAP_SECONDS; no part's limit is longer than the pass's.
 */
export function countLimits(cost: WallTimeCost): CountLimits {
  const build = Math.max(MIN_BUILD_SECONDS, Math.ceil(cost.buildSeconds * BUILD_FACTOR));
  const binary = countLimitSeconds(cost.benchSeconds);
  const passSeconds = Math.min(build + binary, PASS_CAP_SECONDS);
  return {
    buildSeconds: Math.min(build, passSeconds),
    binarySeconds: Math.min(binary, passSeconds),
    passSeconds,
    capped: build + binary > PASS_CAP_SECONDS,
  };
}

/** The pass's limit as the report names it: the cap by its name when it decided. */
export function passLimitText(limits: CountLimits): string {
  return limits.capped
    ? `the ${PASS_CAP_SECONDS / 60}-minute cap on a counting pass`
    : `its ${limits.passSeconds} s limit`;
}

/** The counting build's limit as the report names it. */
export function buildLimitText(limits: CountLimits): string {
  return limits.capped && limits.buildSeconds === limits.passSeconds
    ? `the ${PASS_CAP_SECONDS / 60}-minute cap on a counting pass`
    : `its ${limits.buildSeconds} s limit`;
}

/** The limits in one line for the log, saying when the cap decided. */
export function describeLimits(limits: CountLimits, cost: WallTimeCost): string {
  const cap = limits.capped
    ? ` (capped at ${PASS_CAP_SECONDS / 60} minutes; the wall-time pass, ${cost.buildSeconds.toFixed(0)} s of build and ${cost.benchSeconds.toFixed(0)} s of runs, would have allowed more)`
    : '';
  return `Counting pass limits: the build ${limits.buildSeconds} s, each bench binary ${limits.binarySeconds} s, the whole pass ${limits.passSeconds} s${cap}.`;
}

/** The limits of the gungraun benches, which run first in the counting pass. */
export interface GungraunLimits {
  /** One gungraun bench's `cargo bench`: its build and its run under Valgrind. */
  benchSeconds: number;
  /** The gungraun benches together, gungraun-runner's install included. */
  passSeconds: number;
}

/**
 * A gungraun bench's `cargo bench` builds it and runs it under Valgrind: it gets what a Criterion bench's build and
 * run together get (the counting pass's limit, at least 30 minutes); the gungraun benches together, the cap.
 */
export function gungraunLimits(limits: CountLimits): GungraunLimits {
  return { benchSeconds: limits.passSeconds, passSeconds: PASS_CAP_SECONDS };
}

/**
 * The Criterion benches' limits once the gungraun benches have taken `spentSeconds` of the cap, which bounds the
 * counting pass as a whole; null when nothing of it is left.
 */
export function afterGungraun(limits: CountLimits, spentSeconds: number): CountLimits | null {
  const left = Math.floor(PASS_CAP_SECONDS - spentSeconds);
  if (left <= 0) return null;
  if (left >= limits.passSeconds) return limits;
  return {
    buildSeconds: Math.min(limits.buildSeconds, left),
    binarySeconds: Math.min(limits.binarySeconds, left),
    passSeconds: left,
    capped: true,
  };
}
