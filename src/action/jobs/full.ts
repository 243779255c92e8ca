/**
 * The full job (`mode: full`): benchmark on this runner (the `run` command,
 * and the Cargo workspace where the plan found one; with compare-mode
 * same-runner on a pull request, its base commit too, interleaved with the
 * head), then the pipeline's steps 2 to 6.
 */
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import type { Log } from '../../common/log.ts';
import type { Octokit } from '../../github/client.ts';
import type { RunContext } from '../../github/context.ts';
import { produceResults } from '../../run/produce.ts';
import { produceSameRunner } from '../../run/produce-same-runner.ts';
import { pathsBeside, scratchDir, type JobDeps, type JobRunner, type Produced } from '../job.ts';
import type { RunPlan } from '../plan.ts';
import { mergeBaseOf } from '../steps/baseline.ts';
import { compareAndPublish, writeHead } from '../steps/pipeline.ts';

/**
 * The commit same-runner mode benchmarks as the base: the PR's merge base, else its base; null when not same-runner.
 */
export async function sameRunnerBase(
  octokit: Octokit,
  plan: RunPlan,
  context: RunContext,
  log: Log,
): Promise<string | null> {
  const pr = context.pullRequest;
  if (plan.measure.sameRunnerSkipped !== null) log.info(plan.measure.sameRunnerSkipped);
  if (!plan.measure.sameRunner || !pr) return null;
  return (await mergeBaseOf(octokit, context, log)) ?? pr.baseSha;
}

/** Step 1: the head measured here, and in same-runner mode the base beside it. */
export async function measure(plan: RunPlan, context: RunContext, { octokit, log }: JobDeps): Promise<Produced> {
  const baseSha = await sameRunnerBase(octokit, plan, context, log);
  const args = { build: plan.build, scratch: await scratchDir(plan, 'run') };
  if (baseSha) {
    const { instructionsSkipped, ...measured } = await produceSameRunner({ ...args, baseSha }, log);
    const sameRunner = { ...measured, baseSha };
    return { head: sameRunner.head, sameRunner, rust: null, incomplete: null, instructionsSkipped };
  }
  const { results: head, rust, command, instructionsSkipped } = await produceResults(args, log);
  return { head, sameRunner: null, rust, command, incomplete: null, instructionsSkipped };
}

export const runFullJob: JobRunner = async (run, deps) => {
  const settings = await loadAnalysisSettings(run.plan.analysis);
  const paths = pathsBeside(run.plan.resultsPath);
  const produced = await measure(run.plan, run.context, deps);
  await writeHead(produced.head, produced.sameRunner?.base ?? null, paths, deps);
  await compareAndPublish(run, settings, produced, paths, deps);
};
