/**
 * The action's two sharded steps (docs/sharding.md). A shard job (`shard:
 * i/n`) measures its share, balanced by the baseline, and hands its results to
 * the merge job as an artifact: no comparison, comment or baseline. The merge
 * job (`mode: merge`) downloads every shard of its workflow run and merges
 * them into the head the rest of the pipeline compares and reports, or, with a
 * shard missing, into an incomplete head that is reported but never becomes
 * a baseline. Shell: GitHub and processes; the plan and merge are pure.
 */
import * as core from '@actions/core';
import { controlMatcher } from '../../compare/controls.ts';
import type { Octokit } from '../../github/client.ts';
import type { RunContext } from '../../github/context.ts';
import { downloadShards, shardArtifactName, uploadShardResults } from '../../github/shard-artifacts.ts';
import type { UserError } from '../../common/errors.ts';
import { writeResults } from '../../files/load.ts';
import type { Log } from '../../common/log.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { ProduceArgs } from '../../run/produce.ts';
import { produceShard } from '../../run/shard.ts';
import type { Results, RunMeta, ShardSpec } from '../../schema/types.ts';
import { mergeShards } from '../../shard/merge.ts';

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
  /** The baseline as the job found it; a failure to read it fails the shard (siblings that read it would plan differently). */
  fetched: { baseline: { contents: { latest: Results | null } | null } | null; error: UserError | null };
  /** Control globs, the input's and the thresholds file's (analysis/settings.ts): every shard runs them. */
  controls: readonly string[];
  resultsPath: string;
}

/** A shard job, start to end: measure the share, write and upload it, say so in the summary. */
export async function runShardJob(args: ShardJobArgs, log: Log): Promise<void> {
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
  core.setOutput('results-path', args.resultsPath);
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
  await core.summary.addRaw(`${lines.join('\n')}\n`).write();
}

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
