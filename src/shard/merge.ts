/**
 * One results document from the shards of one run: every shard present once,
 * all on the same commit, no (id, metric) measured twice, each shard's run
 * metadata kept. Pure: results in, results (or an InputError naming the part)
 * out.
 */
import { InputError } from '../common/errors.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { NamedResults } from '../schema/merge.ts';
import { MAX_SHARDS, SCHEMA_VERSION, type Results, type RunMeta, type ShardParts } from '../schema/types.ts';

export interface ShardMergeOptions {
  /**
   * Merge what is there when shards are missing, listing them in
   * `shards.missing` (the action's report of an incomplete run); otherwise a
   * missing shard is an error naming it.
   */
  allowMissing?: boolean;
  /**
   * The declared control benchmarks (the `controls` globs): every shard runs
   * them, so their ids are in every part. The merged benchmarks keep the
   * lowest shard's copy (one (id, metric) once, as everywhere else) and
   * `shards.controls` keeps each shard's own, measured on its runner.
   */
  isControl?: (id: string) => boolean;
}

function describeCommit(commit: string | null): string {
  return commit === null ? 'no commit' : `commit ${commit.slice(0, 12)}`;
}

/** The shards' indexes 1..count that no part holds. */
export function missingShards(count: number, present: Iterable<number>): number[] {
  if (!(Number.isSafeInteger(count) && count >= 0 && count <= MAX_SHARDS))
    throw new RangeError(`shard count must be 0 to ${MAX_SHARDS}, got ${count}`);
  const have = new Set(present);
  return Array.from({ length: count }, (_, i) => i + 1).filter((index) => !have.has(index));
}

export function mergeShards(parts: readonly NamedResults[], options: ShardMergeOptions = {}): Results {
  const [first] = parts;
  if (!first) throw new InputError('merge', 'no shard results given');
  const byIndex = new Map<number, NamedResults>();
  let count: number | null = null;
  for (const part of parts) {
    const shard = part.results.run.shard;
    if (!shard)
      throw new InputError(
        part.origin,
        "is not a shard's results (its run has no 'shard'); merge the files a sharded run wrote",
      );
    if (part.results.shards) throw new InputError(part.origin, 'is already a merged run; merge the shards themselves');
    // The schema bounds it too; the merge lists every shard, so it never trusts a count past the bound.
    if (shard.count > MAX_SHARDS || shard.index > shard.count)
      throw new InputError(
        part.origin,
        `is shard ${shard.index}/${shard.count}: a run has at most ${MAX_SHARDS} shards, each index from 1 to the count`,
      );
    if (count === null) count = shard.count;
    else if (shard.count !== count) {
      throw new InputError(
        part.origin,
        `is shard ${shard.index}/${shard.count} but ${first.origin} is one of ${count} shards; merge shards of one run`,
      );
    }
    const basis = first.results.run.shard?.basis;
    if (shard.basis !== basis) {
      throw new InputError(
        part.origin,
        `planned its share from ${shard.basis ?? 'an unstated basis'} but ${first.origin} from ${basis ?? 'an unstated basis'}, so benchmarks may be missing or doubled; re-run all the shards`,
      );
    }
    const twin = byIndex.get(shard.index);
    if (twin)
      throw new InputError(
        part.origin,
        `is shard ${shard.index}/${shard.count}, as is ${twin.origin}; give each shard once`,
      );
    byIndex.set(shard.index, part);
    if (part.results.run.commit !== first.results.run.commit) {
      throw new InputError(
        part.origin,
        `measured ${describeCommit(part.results.run.commit)} but ${first.origin} measured ${describeCommit(first.results.run.commit)}; merge shards of one run`,
      );
    }
  }
  const total = count ?? 1;
  const missing = missingShards(total, byIndex.keys());
  if (missing.length > 0 && !options.allowMissing) {
    const names = missing.map((index) => `${index}/${total}`).join(', ');
    throw new InputError(
      'merge',
      `shard${missing.length === 1 ? '' : 's'} ${names} missing; every shard of the run is needed (${byIndex.size} of ${total} given)`,
    );
  }

  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  const seen = new Map<string, string>();
  const lead = (ordered[0] ?? first).results.run;
  const run: RunMeta = { ...lead, versions: {} };
  delete run.shard;
  const merged: Results = {
    schemaVersion: SCHEMA_VERSION,
    run,
    benchmarks: [],
    shards: { count: total, parts: [], missing },
  };
  const isControl = options.isControl ?? (() => false);
  const controls: NonNullable<ShardParts['controls']> = [];
  for (const { origin, results } of ordered) {
    const own = results.benchmarks.filter((b) => isControl(b.id));
    if (own.length > 0) controls.push({ index: results.run.shard?.index ?? 0, benchmarks: own });
    for (const benchmark of results.benchmarks) {
      const key = benchmarkKey(benchmark);
      const other = seen.get(key);
      if (other !== undefined && isControl(benchmark.id)) continue;
      if (other !== undefined) {
        throw new InputError(
          origin,
          `benchmark '${key}' is also in ${other}; each benchmark belongs to one shard (control benchmarks every shard runs must be declared as controls)`,
        );
      }
      seen.set(key, origin);
      merged.benchmarks.push(benchmark);
    }
    // Versions of the first shard win; later shards fill in what it lacks (a toolchain only one shard used).
    run.versions = { ...results.run.versions, ...run.versions };
    // The run's time is when its last shard finished.
    if (Date.parse(results.run.timestamp) > Date.parse(run.timestamp)) run.timestamp = results.run.timestamp;
    if (results.pairs?.length) merged.pairs = [...(merged.pairs ?? []), ...results.pairs];
    if (results.checks?.length) merged.checks = [...(merged.checks ?? []), ...results.checks];
    merged.shards?.parts.push(structuredClone(results.run));
  }
  if (controls.length > 0 && merged.shards) merged.shards.controls = controls;
  return merged;
}
