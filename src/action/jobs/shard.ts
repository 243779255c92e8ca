/**
 * The shard job (`shard: i/n`, docs/sharding.md): it measures its share of
 * the benchmarks, balanced by the baseline, and hands its results to the
 * merge job (jobs/merge.ts) as an artifact: no comparison, comment or
 * baseline. Shell: GitHub and processes; the share itself is pure (shard/share.ts).
 */
import { controlMatcher } from '../../compare/controls.ts';
import type { UserError } from '../../common/errors.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import { writeResults } from '../../files/write.ts';
import { uploadShardResults } from '../../github/shard-artifacts.ts';
import type { ProduceArgs } from '../../run/produce.ts';
import { produceShard } from '../../run/shard.ts';
import type { Results, ShardSpec } from '../../schema/types.ts';
import { scratchDir, type JobDeps, type JobRunner } from '../job.ts';
import { OUTPUT } from '../outputs.ts';
import { fetchBaseline } from '../steps/baseline.ts';

/** What the plan balanced by: every shard of a run must name the same. */
export function planBasis(baseline: Results | null): string {
  return baseline
    ? `the baseline of commit ${(baseline.run.commit ?? 'unknown').slice(0, 12)} (${baseline.run.timestamp})`
    : 'no baseline';
}

export interface ShardJobArgs extends ProduceArgs {
  spec: ShardSpec;
  /** The matrix leg's name (the artifact's), or empty. */
  suite: string;
  /**
   * The baseline as the job found it; a failure to read it fails the shard (siblings that read it would plan
   * differently).
   */
  fetched: { baseline: { contents: { latest: Results | null } | null } | null; error: UserError | null };
  /** Control globs, the input's and the thresholds file's (analysis/settings.ts): every shard runs them. */
  controls: readonly string[];
  resultsPath: string;
}

/** The shard's steps: measure the share, write and upload it, say so in the summary. */
export async function measureShare(
  args: ShardJobArgs,
  { outputs, log }: Pick<JobDeps, 'outputs' | 'log'>,
): Promise<void> {
  const { spec } = args;
  if (args.fetched.error) throw args.fetched.error;
  const baseline = args.fetched.baseline?.contents?.latest ?? null;
  const { results, share, instructionsSkipped } = await produceShard(
    {
      ...args,
      spec,
      baseline: baseline?.benchmarks ?? null,
      basis: planBasis(baseline),
      isControl: controlMatcher(args.controls),
    },
    log,
  );
  await writeResults(args.resultsPath, results);
  outputs.set(OUTPUT.resultsPath, args.resultsPath);
  const { name, id } = await uploadShardResults(results, { instructionsSkipped }, spec, args.suite, args.scratch);
  log.info(
    `Shard ${spec.index}/${spec.count}: ${results.benchmarks.length} benchmarks uploaded as artifact ${name} (${id}); the mode: merge job compares and reports them.`,
  );
  const lines = [
    `### bench-action: shard ${spec.index} of ${spec.count}`,
    '',
    `Measured ${share.ids.length} benchmarks of the plan${share.controls.length > 0 ? ` and the ${share.controls.length} controls every shard runs` : ''}${share.nodeSuite ? ', and the Node suite' : ''} (${results.benchmarks.length} results), planned from ${planBasis(baseline)}.`,
    `They are in artifact \`${name}\`; the merge job's report compares the whole run.`,
  ];
  await outputs.summary(`${lines.join('\n')}\n`);
}

export const runShardJob: JobRunner = async ({ plan, context }, deps) => {
  const settings = await loadAnalysisSettings(plan.analysis);
  const spec = plan.measure.shard;
  if (!spec) throw new Error('the shard job without a shard in its plan');
  const args = { build: plan.build, spec, suite: plan.publish.suite, controls: settings.controls };
  const scratch = await scratchDir(plan, 'shard');
  const fetched = await fetchBaseline(deps.octokit, plan, context, deps.log);
  await measureShare({ ...args, resultsPath: plan.resultsPath, scratch, fetched }, deps);
};
