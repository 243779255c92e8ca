/**
 * Step 5: the sticky comment on the pull request (or this suite's section of
 * it); from a fork, whose token is read-only, the results as data for the
 * comment workflow instead. A GitHub failure is kept for the end of the run.
 */
import type { Analysis } from '../../analysis/analyze.ts';
import { UserError } from '../../common/errors.ts';
import type { RunContext } from '../../github/context.ts';
import { REPORT_ARTIFACT_NAME, type ReportVerdict } from '../../github/fork-report.ts';
import { uploadForkData } from '../../github/report-artifact.ts';
import { stickyMarker, upsertStickyComment, type UpsertArgs } from '../../github/sticky-comment.ts';
import { upsertSection } from '../../github/sticky-sections.ts';
import { shortSha } from '../../report/format.ts';
import type { Results } from '../../schema/types.ts';
import { scratchDir, type JobDeps } from '../job.ts';
import { OUTPUT } from '../outputs.ts';
import type { RunPlan } from '../plan.ts';
import type { Compared } from './analysis.ts';

/** Whether the comment has news: `comment: on-change` posts only then. */
export function hasNews(analysis: Analysis, verdict: ReportVerdict): boolean {
  const counts = analysis.comparison?.summary.counts;
  const changed = counts ? counts.improvement + counts.new + counts.missing > 0 : false;
  return verdict !== 'pass' || changed || analysis.claims.some((c) => c.status !== 'pass');
}

/** Runs a GitHub step whose failure must not stop the report: the error is returned, kept for the end. */
export async function kept(work: () => Promise<void>): Promise<UserError | null> {
  try {
    await work();
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error;
  }
}

async function commentOnPullRequest(
  plan: RunPlan,
  context: RunContext,
  head: Results,
  { analysis, verdict }: Compared,
  { octokit, outputs, log }: JobDeps,
): Promise<void> {
  const pr = context.pullRequest;
  const { comment, suite } = plan.publish;
  if (!pr || comment === 'never') return;
  const marker = stickyMarker(context.workflow, context.job);
  if (pr.isFork) {
    const data = { prNumber: pr.number, headSha: pr.headSha, results: head };
    const { id } = await uploadForkData(data, await scratchDir(plan, 'fork-data'));
    log.info(
      `A pull request from a fork gets a read-only token: its results are saved as artifact ${REPORT_ARTIFACT_NAME} (${id}); a workflow_run workflow with mode: comment compares them and comments.`,
    );
    return;
  }
  const upsert = suite ? (a: UpsertArgs) => upsertSection({ ...a, suite }) : upsertStickyComment;
  const result = await upsert({
    octokit,
    owner: context.owner,
    repo: context.repo,
    issueNumber: pr.number,
    body: analysis.markdown,
    marker,
    mode: comment,
    hasNews: hasNews(analysis, verdict),
    staleNote: `⚠️ The latest benchmark report (commit ${shortSha(pr.headSha)}) could not be posted here; it is in the job summary of [run ${context.runId}](${plan.github.runUrl}).`,
  });
  if (result.action === 'noted') {
    const why = result.reason ?? 'GitHub refused the report';
    log.warning(`${why}; the previous comment on PR #${pr.number} now points to this run's job summary.`);
  } else log.info(`PR #${pr.number} comment: ${result.action}.`);
  if (result.commentId !== null) outputs.set(OUTPUT.commentId, String(result.commentId));
}

/** Step 5; a failure is returned, kept for the end. */
export function publish(
  plan: RunPlan,
  context: RunContext,
  head: Results,
  compared: Compared,
  deps: JobDeps,
): Promise<UserError | null> {
  return kept(() => commentOnPullRequest(plan, context, head, compared, deps));
}
