/**
 * Which benchmarks each of n shards runs: a deterministic partition of the
 * suite's ids, balanced by how long the baseline says each benchmark takes.
 * Every shard of one workflow run computes the same plan from the same ids
 * and baseline, so the shards are disjoint and together cover the suite
 * without talking to each other. Pure.
 */
import { createHash } from 'node:crypto';
import { MAX_SHARDS, type Benchmark, type ShardSpec } from '../schema/types.ts';

/**
 * Criterion's defaults (3 s warm-up, 5 s measurement). The results do not
 * record a group's configured times, and the same constant for every
 * benchmark leaves their balance to the benchmarks that overrun it.
 */
const CRITERION_WARM_UP_S = 3;
const CRITERION_MEASUREMENT_S = 5;
export { MAX_SHARDS };

export type ShardSpecResult = { ok: true; spec: ShardSpec } | { ok: false; reason: string };

/** Reads `i/n` (shard i of n, counted from 1). */
export function parseShardSpec(text: string): ShardSpecResult {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return { ok: false, reason: `expected i/n such as 1/4; got '${text}'` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS)
    return { ok: false, reason: `the shard count must be 1 to ${MAX_SHARDS}; got '${text}'` };
  if (index < 1 || index > count) return { ok: false, reason: `the shard index must be 1 to ${count}; got '${text}'` };
  return { ok: true, spec: { index, count } };
}

/**
 * Estimated wall seconds one benchmark took, from what its results hold, or
 * null when they hold no samples. Criterion (linear sampling) runs sample i
 * for at least i iterations, so n samples take at least mean * n(n+1)/2 even
 * when that exceeds the measurement target; other tools ran each sample once.
 */
export function estimateSeconds(b: Benchmark): number | null {
  if (b.samples === null || b.samples.length === 0 || b.unit !== 'ns') return null;
  const n = b.samples.length;
  const mean = b.estimates.mean;
  if (b.source === 'criterion' || b.source === 'cargo-criterion') {
    return CRITERION_WARM_UP_S + Math.max(CRITERION_MEASUREMENT_S, (mean * n * (n + 1)) / 2 / 1e9);
  }
  return (mean * n) / 1e9;
}

/** Estimated seconds per id (an id's metrics summed); ids without an estimate are absent. */
export function durationsFrom(benchmarks: readonly Benchmark[]): Map<string, number> {
  const durations = new Map<string, number>();
  for (const b of benchmarks) {
    const seconds = estimateSeconds(b);
    if (seconds !== null) durations.set(b.id, (durations.get(b.id) ?? 0) + seconds);
  }
  return durations;
}

/** A stable order-breaker that does not follow the ids' names (so one group does not land on one shard). */
export function stableHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export interface Shard {
  index: number;
  count: number;
  /** Sorted. */
  ids: string[];
  /** Sum of the ids' estimates (ids without one count as the median estimate). */
  seconds: number;
}

export interface Plan {
  shards: Shard[];
  /** True when the baseline gave a duration for at least one id; else all ids weigh the same. */
  balancedByDuration: boolean;
  /** Ids with no recorded duration (new benchmarks, or no baseline). */
  unestimated: string[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 1) : ((sorted[mid - 1] ?? 1) + (sorted[mid] ?? 1)) / 2;
}

/**
 * Longest-processing-time-first: ids by estimate, longest first (ties by
 * stable hash), each to the shard with the least time so far (ties to the
 * lowest index). Its longest shard is within 4/3 of the best possible.
 * Without any durations every id weighs 1 and the hash order alone decides.
 */
export function planShards(ids: Iterable<string>, durations: ReadonlyMap<string, number>, count: number): Plan {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const unique = [...new Set(ids)];
  const known = unique
    .map((id) => durations.get(id))
    .filter((s): s is number => s !== undefined && Number.isFinite(s) && s >= 0);
  const fallback = known.length > 0 ? median(known) : 1;
  const unestimated = unique.filter((id) => !Number.isFinite(durations.get(id) ?? Number.NaN)).sort();
  const items = unique
    .map((id) => {
      const seconds = durations.get(id);
      return {
        id,
        seconds: seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : fallback,
        hash: stableHash(id),
      };
    })
    .sort(
      (a, b) => b.seconds - a.seconds || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0) || (a.id < b.id ? -1 : 1),
    );
  const shards: Shard[] = Array.from({ length: count }, (_, i) => ({ index: i + 1, count, ids: [], seconds: 0 }));
  for (const item of items) {
    let target = shards[0] as Shard;
    for (const shard of shards) if (shard.seconds < target.seconds) target = shard;
    target.ids.push(item.id);
    target.seconds += item.seconds;
  }
  for (const shard of shards) shard.ids.sort();
  return { shards, balancedByDuration: known.length > 0, unestimated };
}

/** Escapes what Rust's regex crate (Criterion's filter) and JavaScript read as syntax, as regex::escape does. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, (c) => `\\${c}`);
}

/**
 * A Criterion filter (`cargo bench -- <filter>`) matching exactly these ids:
 * Criterion searches the regex in each benchmark's full id. A shard with no
 * ids gets a filter that matches nothing.
 */
export function criterionFilter(ids: readonly string[]): string {
  if (ids.length === 0) return '^$.';
  return `^(?:${ids.map(escapeRegex).join('|')})$`;
}
