/**
 * The comment job (`mode: comment`), step 1: instead of measuring, take a fork's results from
 * the triggering run, checked (report-artifact.ts), and describe the PR as
 * GitHub does. From here on the comment job runs the same steps as any pull
 * request run (baseline, compare, report, comment) with its own code and its
 * own inputs, so every character posted comes from our renderer.
 */
import { join } from 'node:path';
import type { Log } from '../../common/log.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import { writeResults } from '../../files/write.ts';
import type { Results } from '../../schema/types.ts';
import type { Octokit } from '../../github/client.ts';
import type { RunContext } from '../../github/context.ts';
import { parseWorkflowRunEvent } from '../../github/fork-report.ts';
import { loadForkData } from '../../github/report-artifact.ts';
import { pathsBeside, scratchDir, type JobRunner } from '../job.ts';
import { compareAndPublish } from '../steps/pipeline.ts';

export interface ForkRun {
  /** The run's context with the PR as GitHub's API describes it and the triggering workflow's name. */
  context: RunContext;
  head: Results;
}

export async function forkRun(
  octokit: Octokit,
  context: RunContext,
  payload: unknown,
  eventPath: string,
  scratch: string,
  log: Log,
): Promise<ForkRun | null> {
  const run = parseWorkflowRunEvent(payload, eventPath);
  const loaded = await loadForkData({ octokit, owner: context.owner, repo: context.repo, run, workDir: scratch });
  if (loaded.data === null) {
    log.info(`Nothing to post: ${loaded.reason}.`);
    return null;
  }
  const { data, pull } = loaded;
  log.info(
    `Run ${run.runId} of '${run.workflowName}' measured ${data.results.benchmarks.length} benchmarks for PR #${pull.number} at ${pull.headSha.slice(0, 12)}; comparing them here.`,
  );
  return {
    // What the report says about the head comes from the checked claim (the run's commit, which is the PR's head), not
    // from the document.
    head: {
      ...data.results,
      run: { ...data.results.run, commit: pull.headSha, ref: `refs/pull/${pull.number}/merge` },
    },
    context: {
      ...context,
      // The marker is made from the triggering workflow's name (GitHub's
      // payload, matched by this workflow's `workflows:` filter), never from the data.
      workflow: run.workflowName,
      // This job's token can write; the PR's head is a fork's, which is why we are here.
      pullRequest: {
        number: pull.number,
        baseRef: pull.baseRef,
        baseSha: pull.baseSha,
        headSha: pull.headSha,
        isFork: false,
      },
    },
  };
}

export const runCommentJob: JobRunner = async ({ plan, context, payload, planFor }, deps) => {
  const settings = await loadAnalysisSettings(plan.analysis);
  const scratch = await scratchDir(plan, 'fork-data');
  const fork = await forkRun(deps.octokit, context, payload, plan.github.eventPath, scratch, deps.log);
  if (!fork) return;
  const results = join(await scratchDir(plan, 'report'), `pr-${fork.context.pullRequest?.number ?? 0}-results.json`);
  await writeResults(results, fork.head);
  // The fork's pull request decides the base branch and the upload rule, as for any pull request run.
  const forkPlan = planFor(fork.context);
  const produced = { head: fork.head, sameRunner: null, rust: null };
  await compareAndPublish({ plan: forkPlan, context: fork.context }, settings, produced, pathsBeside(results), deps);
};
