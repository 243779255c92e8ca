/**
 * Step 2: what to compare with. The base measured beside the head (same
 * runner), else the base branch's newest successful baseline artifact. A
 * GitHub failure here must not lose the report: it is returned, reported,
 * and fails the step at the end.
 */
import { GitHubError, UserError } from '../../common/errors.ts';
import type { Log } from '../../common/log.ts';
import { BASELINE_ZIP_LIMITS } from '../../github/artifact-zip.ts';
import { downloadArtifactTo } from '../../github/artifact-download.ts';
import type { BaselineContents } from '../../github/baseline-layout.ts';
import { findBaseline, findMergeBase, readBaselineDir, type SkippedBaseline } from '../../github/baseline.ts';
import type { Octokit } from '../../github/client.ts';
import type { RunContext } from '../../github/context.ts';
import { seriesFromRuns, type SeriesFile } from '../../history/series.ts';
import { baselineNote, daysOld, unusableBaselineNote } from '../../report/baseline-note.ts';
import type { Results } from '../../schema/types.ts';
import { scratchDir, type Produced } from '../job.ts';
import type { RunPlan } from '../plan.ts';

export interface Baseline {
  /** Null when every baseline found was skipped (its run failed): `note` says so. */
  contents: BaselineContents<Results> | null;
  /** The stored series completed with the full runs (an older artifact has only those); null with no contents. */
  series: SeriesFile | null;
  note: string;
}

/** What step 2 found: a baseline, none yet, or a failure kept for the end of the run. */
export type BaselineFetch = { baseline: Baseline | null; error: null } | { baseline: null; error: UserError };

/**
 * The PR's merge base, which only decides which baseline is preferred: when
 * GitHub cannot compare the commits (a force-pushed or deleted base), the
 * newest baseline will do. An outage still fails, as every other call would.
 */
export async function mergeBaseOf(octokit: Octokit, context: RunContext, log: Log): Promise<string | null> {
  const pr = context.pullRequest;
  if (!pr) return null;
  try {
    return await findMergeBase(octokit, context.owner, context.repo, pr.baseSha, pr.headSha);
  } catch (error) {
    if (!(error instanceof GitHubError) || (error.status !== 404 && error.status !== 422)) throw error;
    log.warning(`The PR's merge base is unknown, so the newest baseline is used: ${error.message}`);
    return null;
  }
}

/** The base branch's baseline, or the failure to fetch it, kept for the end. */
export async function fetchBaseline(
  octokit: Octokit,
  plan: RunPlan,
  context: RunContext,
  log: Log,
): Promise<BaselineFetch> {
  try {
    const baseline = await log.group('Find the baseline', () => newestBaseline(octokit, plan, context, log));
    return { baseline, error: null };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { baseline: null, error };
  }
}

/** The newest successful base-branch baseline, or null when there is none yet. */
async function newestBaseline(
  octokit: Octokit,
  plan: RunPlan,
  context: RunContext,
  log: Log,
): Promise<Baseline | null> {
  const baseBranch = plan.baseline.branch;
  if (baseBranch === null) {
    log.warning("No base branch: set the 'base-branch' input; nothing will be compared.");
    return null;
  }
  const mergeBase = await mergeBaseOf(octokit, context, log);
  const passedOver: SkippedBaseline[] = [];
  const ref = await findBaseline({
    octokit,
    owner: context.owner,
    repo: context.repo,
    artifactName: plan.baseline.artifact,
    baseBranch,
    ...(mergeBase ? { mergeBaseSha: mergeBase } : {}),
    onSkip: (run) => passedOver.push(run),
  });
  if (ref === null) {
    if (passedOver.length === 0) return null;
    return { contents: null, series: null, note: unusableBaselineNote(baseBranch, passedOver) };
  }
  const dir = await downloadArtifactTo({
    octokit,
    owner: context.owner,
    repo: context.repo,
    limits: BASELINE_ZIP_LIMITS,
    artifactId: ref.artifactId,
    runId: ref.runId,
    path: await scratchDir(plan, 'baseline'),
    artifactName: plan.baseline.artifact,
  });
  const { contents, skipped, series } = await readBaselineDir(dir);
  for (const name of skipped) log.warning(`Baseline history file ${name} is damaged; it was left out.`);
  const age = daysOld(ref.createdAt, Date.now());
  const found = {
    branch: baseBranch,
    headSha: ref.headSha,
    runId: ref.runId,
    age,
    historyRuns: contents.history.length,
    mergeBase,
    skipped: passedOver,
  };
  const runs = [...(contents.latest ? [contents.latest] : []), ...contents.history];
  return { contents, note: baselineNote(found), series: seriesFromRuns(runs, series) };
}

/** Step 2: nothing to fetch when the base was measured beside the head; else the baseline. */
export async function loadBaseline(
  octokit: Octokit,
  plan: RunPlan,
  context: RunContext,
  produced: Produced,
  log: Log,
): Promise<BaselineFetch> {
  if (produced.sameRunner) return { baseline: null, error: null };
  return fetchBaseline(octokit, plan, context, log);
}
