/**
 * The action's main step, top to bottom: the inputs, validated; the event and
 * the run context; one run plan (action/plan.ts) deciding every rule once;
 * then the plan's job (action/jobs/), handed the GitHub client, the outputs
 * and summary writer and the log. A failure a user can cause fails the step
 * with its one-line message; anything else is a bug and says so.
 */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { JobRunner } from './action/job.ts';
import { runCommentJob } from './action/jobs/comment.ts';
import { runCompareJob } from './action/jobs/compare.ts';
import { runFullJob } from './action/jobs/full.ts';
import { runMergeJob } from './action/jobs/merge.ts';
import { runShardJob } from './action/jobs/shard.ts';
import { actionsOutputs, type Outputs } from './action/outputs.ts';
import { planRun, requireToken, type Job } from './action/plan.ts';
import { MissingBenchmarksFailure, RegressionFailure, UserError } from './common/errors.ts';
import { actionsLog, type Log } from './common/log.ts';
import { parseActionInputs } from './config/action-inputs.ts';
import { createClient } from './github/client.ts';
import { readRunContext, type RunContext } from './github/context.ts';
import { readEventPayload } from './github/event-payload.ts';
import { failureReport, renderFailure } from './report/failure.ts';

/** One job per plan: `mode`, with `shard: i/n` a job of its own. */
export const JOBS: Readonly<Record<Job, JobRunner>> = {
  full: runFullJob,
  shard: runShardJob,
  merge: runMergeJob,
  compare: runCompareJob,
  comment: runCommentJob,
};

export async function run(log: Log = actionsLog, outputs: Outputs = actionsOutputs): Promise<void> {
  try {
    const config = requireToken(parseActionInputs((name) => core.getInput(name)));
    const payload = await readEventPayload(process.env.GITHUB_EVENT_PATH);
    const context = readRunContext(process.env, payload);
    const planFor = (runContext: RunContext) =>
      planRun({ config, context: runContext, env: process.env, tmpdir: tmpdir(), exists: existsSync });
    const plan = planFor(context);
    // The REST client at the runner's GITHUB_API_URL (GHES and tests differ from api.github.com).
    const { token, apiUrl, timeoutMs } = plan.github;
    const octokit = createClient({ token, apiUrl, timeoutMs, onWait: (message) => log.info(message) });
    await JOBS[plan.job]({ plan, context, payload, planFor }, { octokit, outputs, log });
  } catch (error) {
    if (error instanceof UserError) core.setFailed(error.message);
    else core.setFailed(`bench-action crashed, which is a bug: ${(error as Error).stack ?? String(error)}`);
    // A regression already has its report in the summary; anything else gets one saying what failed.
    if (!(error instanceof RegressionFailure || error instanceof MissingBenchmarksFailure))
      await outputs.summary(renderFailure(failureReport(error)));
  }
}
