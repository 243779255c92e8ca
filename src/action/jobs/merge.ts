/**
 * The merge job (`mode: merge`, docs/sharding.md): it downloads every shard
 * of its workflow run (jobs/shard.ts uploads them) and merges them into the
 * head the pipeline's steps 2 to 6 compare and report; with a shard missing,
 * into an incomplete head that is reported but never becomes a baseline.
 * Shell: GitHub; the merge itself is pure (shard/merge.ts).
 */
import { controlMatcher } from '../../compare/controls.ts';
import type { Log } from '../../common/log.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import type { Octokit } from '../../github/client.ts';
import type { RunContext } from '../../github/context.ts';
import { downloadShards, shardArtifactName } from '../../github/shard-artifacts.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { Results, RunMeta } from '../../schema/types.ts';
import { mergeShards } from '../../shard/merge.ts';
import { pathsBeside, scratchDir, type JobRunner } from '../job.ts';
import { compareAndPublish, writeHead } from '../steps/pipeline.ts';

export interface MergedHead {
  head: Results;
  /** Set when shards are missing: what the report says first, and the error the step fails with. */
  incomplete: string | null;
  /** Why a shard's instruction counts are missing, for the report's note. */
  instructionsSkipped: string | null;
}

/** The merge job's head: every shard of this workflow run, merged. */
export interface MergeArgs {
  /** The matrix leg's name (the shard artifacts'), or empty. */
  suite: string;
  /** Control globs, the input's and the thresholds file's (analysis/settings.ts). */
  controls: readonly string[];
  /** This run's metadata from the run context (commit, ref). */
  meta: Partial<RunMeta>;
  /** A fresh directory for the downloads. */
  workDir: string;
}

export async function mergeShardArtifacts(
  octokit: Octokit,
  context: RunContext,
  { suite, controls, meta, workDir }: MergeArgs,
  log: Log,
): Promise<MergedHead> {
  const { count, parts, notes } = await log.group(`Download the shards of run ${context.runId}`, () =>
    downloadShards({
      octokit,
      owner: context.owner,
      repo: context.repo,
      runId: context.runId,
      suite,
      workDir,
      meta: runMetaOnce(meta),
    }),
  );
  const head = mergeShards(parts, { allowMissing: true, isControl: controlMatcher(controls) });
  const missing = head.shards?.missing ?? [];
  log.info(`Merged ${parts.length} of ${count} shards: ${head.benchmarks.length} benchmarks.`);
  const skipped = [...notes].flatMap(([index, note]) =>
    note.instructionsSkipped === null ? [] : [`Shard ${index}/${count}: ${note.instructionsSkipped}`],
  );
  const instructionsSkipped = skipped.length > 0 ? skipped.join(' ') : null;
  if (missing.length === 0) return { head, incomplete: null, instructionsSkipped };
  const names = missing
    .map((index) => `${index}/${count} (artifact ${shardArtifactName({ index, count }, suite)})`)
    .join(', ');
  const incomplete = `Incomplete run: shard${missing.length === 1 ? '' : 's'} ${names} ${missing.length === 1 ? 'is' : 'are'} missing (${missing.length === 1 ? 'its job failed or did not upload' : 'their jobs failed or did not upload'}); this report covers the ${head.benchmarks.length} benchmarks of ${parts.length} of ${count} shards, and no baseline is uploaded.`;
  return { head, incomplete, instructionsSkipped };
}

export const runMergeJob: JobRunner = async (run, deps) => {
  const { plan, context } = run;
  const settings = await loadAnalysisSettings(plan.analysis);
  const paths = pathsBeside(plan.resultsPath);
  const mergeArgs = {
    suite: plan.publish.suite,
    controls: settings.controls,
    meta: plan.build.meta,
    workDir: await scratchDir(plan, 'shards'),
  };
  const merged = await mergeShardArtifacts(deps.octokit, context, mergeArgs, deps.log);
  await writeHead(merged.head, null, paths, deps);
  const { head, incomplete, instructionsSkipped } = merged;
  await compareAndPublish(
    run,
    settings,
    { head, sameRunner: null, rust: null, incomplete, instructionsSkipped },
    paths,
    deps,
  );
};
