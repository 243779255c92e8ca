/**
 * Full mode with `shard: i/n`: build, list the benchmarks, run this shard's
 * share (its Criterion filter, plus the Node suite and the gungraun benches
 * when the plan gives those units to this shard) and stamp the results with the shard. The plan itself is pure
 * (shard/share.ts); the baseline it balances by is the caller's.
 */
import { join } from 'node:path';
import type { Log } from '../common/log.ts';
import { loadResults } from '../files/load.ts';
import { combineResults } from '../schema/merge.ts';
import type { Benchmark, Results, ShardSpec } from '../schema/types.ts';
import { parseBenchList, shareOf, type ShardShare } from '../shard/share.ts';
import { buildWorkspace, criterionSetup, listBenchmarks, runBenches, withFilter, type CargoRun } from './cargo.ts';
import { filterMatch, roundFilter, type FilterMatch } from './confirm-args.ts';
import { runMetaOnce } from './metadata.ts';
import { countLimits, gungraunLimits } from './count-limits.ts';
import { countableCriterion, instructionCounts, notCountedIn } from './instruction-pass.ts';
import { nodeBenchmarks, prepareRust, type ProduceArgs } from './produce.ts';
import { criterionOnly, findBenchTargets } from './bench-targets.ts';
import { countsInstructions } from './settings.ts';

export interface ShardArgs extends ProduceArgs {
  spec: ShardSpec;
  /** The baseline's benchmarks, whose durations balance the plan; null without one. */
  baseline: readonly Benchmark[] | null;
  /** Names what the plan was computed from, so the merge can tell shards that planned differently. */
  basis: string;
  isControl: (id: string) => boolean;
}

export async function produceShard(
  args: ShardArgs,
  log: Log,
): Promise<{ results: Results; share: ShardShare; instructionsSkipped: string | null }> {
  const { build, scratch, spec } = args;
  const rust = await prepareRust(build, log);
  const criterionHome = join(scratch, 'criterion');
  const targets = await findBenchTargets(rust.nativeDir, rust.env);
  // gungraun benches reject Criterion's flags: name the Criterion ones when both exist.
  const criterionTargets = criterionOnly(targets);
  const cargo = {
    nativeDir: rust.nativeDir,
    env: rust.env,
    userArgs: build.cargoBenchArgs,
    quick: build.quick,
    criterionHome,
    criterionTargets,
  };
  const buildStart = Date.now();
  await buildWorkspace(cargo, log);
  const buildSeconds = (Date.now() - buildStart) / 1000;
  const listed = parseBenchList(await listBenchmarks(cargo, log));
  const gungraun = countsInstructions(build.instructions, targets.gungraun.length);
  const share = shareOf({
    spec,
    listed,
    baseline: args.baseline,
    isControl: args.isControl,
    nodeSuite: build.nodeBenchCommand !== '',
    gungraun,
  });
  const how = share.balancedByDuration
    ? `balanced by the baseline's durations, about ${Math.round(share.seconds)} s of ${Math.round(share.totalSeconds)} s`
    : 'split by a stable hash of the ids (no baseline durations)';
  log.info(
    `Shard ${spec.index}/${spec.count}: ${share.ids.length} of ${listed.length - share.controls.length} benchmarks (${how})` +
      `${share.controls.length > 0 ? `, plus ${share.controls.length} controls every shard runs` : ''}${share.nodeSuite ? ', plus the Node suite' : ''}${share.gungraun ? ', plus the gungraun benches' : ''}.`,
  );
  const meta = runMetaOnce({ ...build.meta, versions: rust.versions, shard: { ...spec, basis: args.basis } });
  const parts = [];
  let instructionsSkipped: string | null = null;
  if (share.filter !== null) {
    const match = filterMatch((await criterionSetup(rust.nativeDir, rust.env, 'shard')).versions);
    const filters = shardFilters(share, match);
    if (match !== 'regex')
      log.info(
        `Shard ${spec.index}/${spec.count}: the locked Criterion matches its filter as a substring (0.3.0 or older${match === 'either' ? ', beside a newer one' : ''}), which one filter cannot name several ids in: ${filters.length} runs, one per benchmark, keeping this shard's benchmarks alone.`,
      );
    await runShardFilters(cargo, build.cargoBenchArgs, filters, log);
    const loaded = await loadResults(criterionHome, meta);
    parts.push({ origin: 'cargo bench', results: match === 'regex' ? loaded : keepShare(loaded, share) });
  }
  if (share.gungraun) {
    // A shard runs no Criterion bench it could time its gungraun benches by: the limits' floors and the build's.
    const limits = gungraunLimits(countLimits({ buildSeconds, benchSeconds: 0 }));
    const counts = await instructionCounts(args, rust, targets.gungraun, limits, log);
    parts.push(...counts.parts);
    instructionsSkipped = counts.skipped;
  }
  // Said once per matrix: by the shard that took the gungraun unit, else by shard 1.
  const says = share.gungraun || (!gungraun && spec.index === 1);
  const uncounted = notCountedIn('shard mode', build.instructions, countableCriterion(targets).length);
  if (says && uncounted !== null) instructionsSkipped = [instructionsSkipped, uncounted].filter(Boolean).join(' ');
  if (share.nodeSuite) parts.push(...(await nodeBenchmarks(args, rust.env, log)));
  const results = combineResults(parts, meta);
  return {
    results: { ...results, run: { ...results.run, shard: { ...spec, basis: args.basis } } },
    share,
    instructionsSkipped,
  };
}

/**
 * The filters a shard's Criterion runs take: the share's one anchored regex, or, for a Criterion that reads its
 * filter as a substring (0.3.0 and older), where `^(?:a|b)$` is text no id contains and every run measured nothing,
 * one filter per benchmark (the id, or the safe shape when the lock also holds a regex Criterion). Pure.
 */
export function shardFilters(share: ShardShare, match: FilterMatch): string[] {
  if (share.filter === null) return [];
  if (match === 'regex') return [share.filter];
  return [...share.ids, ...share.controls].map((id) => roundFilter([id], match));
}

async function runShardFilters(cargo: CargoRun, userArgs: readonly string[], filters: string[], log: Log) {
  for (const filter of filters) await runBenches({ ...cargo, userArgs: withFilter(userArgs, filter) }, log);
}

/** The shard's own benchmarks of a run: a substring filter also runs the ids that contain it, another shard's. */
export function keepShare(results: Results, share: ShardShare): Results {
  const wanted = new Set([...share.ids, ...share.controls]);
  return { ...results, benchmarks: results.benchmarks.filter((b) => wanted.has(b.id)) };
}
