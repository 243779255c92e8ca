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
import { buildWorkspace, listBenchmarks, runBenches, withFilter } from './cargo.ts';
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
    await runBenches({ ...cargo, userArgs: withFilter(build.cargoBenchArgs, share.filter) }, log);
    parts.push({ origin: 'cargo bench', results: await loadResults(criterionHome, meta) });
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
