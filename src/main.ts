import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze, type Analysis, type AnalysisInput } from './analysis/analyze.ts';
import { verdictOutput } from './analysis/verdict.ts';
import { shortSha } from './report/format.ts';
import { confirmFlagged } from './action/jobs/confirm.ts';
import { historyTerms } from './history/changes.ts';
import { appendRun, seriesFromRuns, type SeriesFile } from './history/series.ts';
import { parseActionInputs } from './config/action-inputs.ts';
import { planRun, requireToken, type RunPlan } from './action/plan.ts';
import type { AnalysisSettings } from './analysis/settings.ts';
import { loadAnalysisSettings } from './files/analysis-settings.ts';
import { GitHubError, InputError, RegressionFailure, UserError } from './common/errors.ts';
import { baselineFiles, rollBaseline, type BaselineContents } from './github/baseline-layout.ts';
import { findBaseline, findMergeBase, readBaselineDir, uploadBaseline, writeBaselineDir, type SkippedBaseline } from './github/baseline.ts';
import { downloadArtifactTo } from './github/artifact-download.ts';
import { BASELINE_ZIP_LIMITS } from './github/artifact-zip.ts';
import { publishDashboard } from './github/dashboard-artifact.ts';
import { createClient, type Octokit } from './github/client.ts';
import { annotate, failOnRegressions } from './github/regressions.ts';
import { readRunContext, type RunContext } from './github/context.ts';
import { forkRun, withTrustedPairs } from './action/jobs/comment.ts';
import { readEventPayload } from './github/event-payload.ts';
import { REPORT_ARTIFACT_NAME, type ReportVerdict } from './github/fork-report.ts';
import { uploadForkData } from './github/report-artifact.ts';
import { stickyMarker, upsertStickyComment, type UpsertArgs } from './github/sticky-comment.ts';
import { upsertSection } from './github/sticky-sections.ts';
import { parseResultsLine } from './config/results-inputs.ts';
import { loadCombined, writeResults, writeTextFile } from './files/load.ts';
import { actionsLog, type Log } from './common/log.ts';
import { baselineNote, daysOld, noBaselineNote, unusableBaselineNote } from './report/baseline-note.ts';
import { failureReport, renderFailure } from './report/failure.ts';
import { runMedians } from './compare/index.ts';
import { runMetaOnce } from './run/metadata.ts';
import { produceResults, produceSameRunner, type RustBuild } from './run/produce.ts';
import { mergeShardArtifacts, runShardJob } from './action/jobs/sharded.ts';
import type { SameRunnerResult } from './run/same-runner.ts';
import type { Results } from './schema/types.ts';

interface Baseline {
  /** Null when every baseline found was skipped (its run failed): `note` says so. */
  contents: BaselineContents<Results> | null;
  /** The stored series completed with the full runs (an older artifact has only those); null with no contents. */
  series: SeriesFile | null;
  note: string;
}

function scratchDir(plan: RunPlan, prefix: string): Promise<string> {
  return mkdtemp(join(plan.tempDir, `bench-action-${prefix}-`));
}

/**
 * The PR's merge base, which only decides which baseline is preferred: when
 * GitHub cannot compare the commits (a force-pushed or deleted base), the
 * newest baseline will do. An outage still fails, as every other call would.
 */
async function mergeBaseOf(octokit: Octokit, context: RunContext, log: Log): Promise<string | null> {
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

/** The commit same-runner mode benchmarks as the base: the PR's merge base, else its base. */
async function sameRunnerBase(octokit: Octokit, plan: RunPlan, context: RunContext, log: Log): Promise<string | null> {
  const pr = context.pullRequest;
  if (plan.measure.sameRunnerSkipped !== null) log.info(plan.measure.sameRunnerSkipped);
  if (!plan.measure.sameRunner || !pr) return null;
  return (await mergeBaseOf(octokit, context, log)) ?? pr.baseSha;
}

/** What step 2 found: a baseline, none yet, or a failure kept for the end of the run. */
type BaselineFetch = { baseline: Baseline | null; error: null } | { baseline: null; error: UserError };

/**
 * The base branch's baseline. A GitHub failure here must not lose the report:
 * it is returned, reported, and fails the step at the end.
 */
async function fetchBaseline(octokit: Octokit, plan: RunPlan, context: RunContext, log: Log): Promise<BaselineFetch> {
  try {
    return { baseline: await log.group('Find the baseline', () => newestBaseline(octokit, plan, context, log)), error: null };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { baseline: null, error };
  }
}

/** The newest successful base-branch baseline, or null when there is none yet. */
async function newestBaseline(octokit: Octokit, plan: RunPlan, context: RunContext, log: Log): Promise<Baseline | null> {
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
  if (ref === null) return passedOver.length === 0 ? null : { contents: null, series: null, note: unusableBaselineNote(baseBranch, passedOver) };
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
  const found = { branch: baseBranch, headSha: ref.headSha, runId: ref.runId, age, historyRuns: contents.history.length, mergeBase, skipped: passedOver };
  return { contents, note: baselineNote(found), series: seriesFromRuns([...(contents.latest ? [contents.latest] : []), ...contents.history], series) };
}

/** The REST client at the runner's GITHUB_API_URL (GHES and tests differ from api.github.com). */
function githubClient(plan: RunPlan, log: Log): Octokit {
  const { token, apiUrl, timeoutMs } = plan.github;
  return createClient({ token, apiUrl, timeoutMs, onWait: (message) => log.info(message) });
}

function hasNews(analysis: Analysis, verdict: ReportVerdict): boolean {
  const counts = analysis.comparison?.summary.counts;
  return verdict !== 'pass' || (counts ? counts.improvement + counts.new + counts.missing > 0 : false) || analysis.claims.some((c) => c.status !== 'pass');
}

/** Runs a GitHub step whose failure must not stop the report: the error is returned, kept for the end. */
async function kept(work: () => Promise<void>): Promise<UserError | null> {
  try {
    await work();
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error;
  }
}

/** The sticky comment on the PR; from a fork (read-only token), its results as data for the comment workflow instead. */
async function commentOnPullRequest(octokit: Octokit, plan: RunPlan, context: RunContext, head: Results, { analysis, verdict }: Compared, log: Log): Promise<void> {
  const pr = context.pullRequest;
  const { comment, suite } = plan.publish;
  if (!pr || comment === 'never') return;
  const marker = stickyMarker(context.workflow, context.job);
  if (pr.isFork) {
    const { id } = await uploadForkData({ prNumber: pr.number, headSha: pr.headSha, results: head }, await scratchDir(plan, 'fork-data'));
    log.info(
      `A pull request from a fork gets a read-only token: its results are saved as artifact ${REPORT_ARTIFACT_NAME} (${id}); a workflow_run workflow with mode: comment compares them and comments.`,
    );
    return;
  }
  const result = await (suite ? (a: UpsertArgs) => upsertSection({ ...a, suite }) : upsertStickyComment)({
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
  if (result.action === 'noted') log.warning(`${result.reason ?? 'GitHub refused the report'}; the previous comment on PR #${pr.number} now points to this run's job summary.`);
  else log.info(`PR #${pr.number} comment: ${result.action}.`);
  if (result.commentId !== null) core.setOutput('comment-id', String(result.commentId));
}

/** Where this run writes: the results file, with the base's results, the report and its JSON beside it. */
interface OutputPaths {
  results: string;
  beside(suffix: string): string;
}

/** Step 1's output: this run's results and, in same-runner mode, the base measured here too. */
interface Produced {
  head: Results;
  sameRunner: (SameRunnerResult & { baseSha: string }) | null;
  /** How the head was built (full mode), for the confirmation round. */
  rust: RustBuild | null;
  /** A merge with shards missing: the report says so first, no baseline is uploaded, the step fails. */
  incomplete?: string | null;
  instructionsSkipped?: string | null; // counts wanted but not measured (no Valgrind): the report says why
}

/** Step 3's output. */
interface Compared {
  analysis: Analysis;
  verdict: ReportVerdict;
}

/**
 * 1. Results of this run: measured here (full) or given (compare). In
 *    same-runner mode a pull request's base commit is measured here too.
 */
async function produce(octokit: Octokit, plan: RunPlan, context: RunContext, paths: OutputPaths, settings: AnalysisSettings, log: Log): Promise<Produced> {
  const { job, build } = plan;
  const merged =
    job === 'merge'
      ? await mergeShardArtifacts(octokit, context, { suite: plan.publish.suite, controls: settings.controls, meta: build.meta, workDir: await scratchDir(plan, 'shards') }, log)
      : null;
  const baseSha = job === 'full' ? await sameRunnerBase(octokit, plan, context, log) : null;
  const args = { build, scratch: await scratchDir(plan, 'run') };
  const sameRunner = baseSha ? { ...(await produceSameRunner({ ...args, baseSha }, log)), baseSha } : null;
  const measured = job === 'full' && !sameRunner ? await produceResults(args, log) : null;
  const given = () => plan.results.map((line) => parseResultsLine(line)).map((input) => ({ ...input, path: resolve(plan.workDir, input.path) }));
  const head = merged?.head ?? sameRunner?.head ?? measured?.results ?? (await loadCombined(given(), runMetaOnce(build.meta), { warn: (message) => log.warning(message) }));
  await writeResults(paths.results, head);
  if (sameRunner) await writeResults(paths.beside('.base.json'), sameRunner.base);
  core.setOutput('results-path', paths.results);
  log.info(`${head.benchmarks.length} benchmarks written to ${paths.results}.`);
  const instructionsSkipped = measured?.instructionsSkipped ?? merged?.instructionsSkipped ?? null;
  return { head, sameRunner, rust: measured?.rust ?? null, incomplete: merged?.incomplete ?? null, instructionsSkipped };
}

/**
 * 2. What to compare with: the base measured beside the head, else the base
 *    branch's baseline (a failure to fetch it is kept for the end).
 */
async function loadBaseline(octokit: Octokit, plan: RunPlan, context: RunContext, produced: Produced, log: Log): Promise<BaselineFetch> {
  if (produced.sameRunner) return { baseline: null, error: null };
  return fetchBaseline(octokit, plan, context, log);
}

/**
 * 3. Analysis, pure; then the confirmation round for what the comparison with
 *    the baseline flagged.
 */
async function compare(plan: RunPlan, settings: AnalysisSettings, produced: Produced, fetched: BaselineFetch, log: Log): Promise<Compared> {
  const [{ sameRunner }, { baseline, error: baselineError }] = [produced, fetched];
  const history = baseline?.contents?.history ?? [];
  const base = sameRunner?.base ?? baseline?.contents?.latest ?? null;
  const head = plan.job === 'comment' ? withTrustedPairs(produced.head, base) : produced.head; // a fork's data under the base branch's pairs
  const baseBranch = plan.baseline.branchLabel;
  // Spread counted only since each benchmark's last change point on the base branch.
  const terms =
    sameRunner ?? (base && history.length > 0 ? historyTerms(baseline?.series ?? seriesFromRuns([base, ...history]), base, head, history.length + 1, settings.controls) : null);
  const note = sameRunner
    ? `Same runner: the base ${sameRunner.baseSha.slice(0, 7)} was built and benchmarked on this runner, interleaved with the head in ${plan.build.rounds} rounds per side; the spread between rounds widens the intervals.`
    : baselineError
      ? `No comparison: the baseline could not be fetched (${baselineError.message}).`
      : (baseline?.note ?? noBaselineNote(baseBranch, plan.baseline.artifact, plan.baseline.upload));
  const input: AnalysisInput = {
    ...settings,
    base,
    head,
    note: [produced.incomplete ? `**⚠️ ${produced.incomplete}**` : '', note, produced.instructionsSkipped ?? ''].filter(Boolean).join(' '),
    ...(terms ? { noise: terms.noise, baseRuns: terms.baseRuns } : {}),
    series: baseline?.series ?? null,
    gate: {
      source: sameRunner ? 'same-runner' : 'baseline',
      baselineRuns: base ? 1 + history.length : 0,
      runsPerBenchmark: new Map([...runMedians(base ? [base, ...history] : [])].map(([id, medians]) => [id, medians.length])),
      failOnRegression: plan.publish.failOnRegression,
      baseBranch,
    },
  };
  const confirmation = { budgetMinutes: plan.measure.confirmBudgetMinutes, build: plan.build, rust: produced.rust, scratch: () => scratchDir(plan, 'confirm') };
  const analysis = await confirmFlagged(analyze(input), input, confirmation, log);
  return { analysis, verdict: verdictOutput(analysis, base !== null) };
}

/** 4. Report: files, job summary, outputs, annotations. Returns the report's path. */
async function report({ analysis, verdict }: Compared, paths: OutputPaths): Promise<string> {
  const reportPath = paths.beside('.report.md');
  await writeTextFile(reportPath, analysis.markdown);
  await writeTextFile(paths.beside('.report.json'), `${JSON.stringify(analysis.json, null, 2)}\n`);
  await core.summary.addRaw(analysis.markdown).write();
  core.setOutput('verdict', verdict);
  core.setOutput('regressions', String(analysis.regressions));
  core.setOutput('improvements', String(analysis.improvements));
  core.setOutput('report-path', reportPath);
  annotate(analysis);
  return reportPath;
}

/** 5. The sticky PR comment; a fork's read-only token gets the artifact route. A failure is kept for the end. */
function publish(octokit: Octokit, plan: RunPlan, context: RunContext, produced: Produced, compared: Compared, log: Log): Promise<UserError | null> {
  return kept(() => commentOnPullRequest(octokit, plan, context, produced.head, compared, log));
}

/**
 * 6. The baseline for later runs: never from a pull request, never when the
 *    old one could not be read (its history would be lost).
 */
async function upload(plan: RunPlan, context: RunContext, produced: Produced, fetched: BaselineFetch, paths: OutputPaths, log: Log): Promise<void> {
  const { artifact, dashboardArtifact, historySize } = plan.baseline;
  if (!plan.baseline.upload || produced.incomplete) return;
  if (fetched.error) {
    log.warning('The baseline was not updated, because the previous one could not be read.');
    return;
  }
  const contents = rollBaseline(fetched.baseline?.contents ?? null, produced.head, historySize);
  const root = await scratchDir(plan, 'upload');
  // The series is carried forward by every upload, so it outlives the artifacts it came from.
  const series = appendRun(fetched.baseline?.series ?? null, produced.head);
  const files = await writeBaselineDir(root, baselineFiles(contents, series));
  const { id } = await uploadBaseline(artifact, files, root);
  log.info(`Baseline '${artifact}' uploaded (artifact ${id}) with ${contents.history.length} earlier runs and a series of ${series.runs.length}.`);
  // The dashboard of the new series: an artifact to download, or to publish with GitHub Pages (workflows-examples/bench-pages.yml).
  const dashboard = paths.beside('.dashboard.html');
  const page = await publishDashboard(series, `${context.owner}/${context.repo} benchmarks${plan.publish.suite ? ` (${plan.publish.suite})` : ''}`, dashboard, dashboardArtifact);
  core.setOutput('dashboard-path', dashboard);
  log.info(`Dashboard uploaded as artifact '${dashboardArtifact}' (${page.id}).`);
}

/**
 * mode: comment, step 1: a fork's results from the triggering run, checked,
 * with the PR as GitHub describes it; the same steps as a PR run follow.
 */
async function produceFromFork(
  octokit: Octokit,
  plan: RunPlan,
  context: RunContext,
  payload: unknown,
  log: Log,
): Promise<{ context: RunContext; produced: Produced; paths: OutputPaths } | null> {
  const fork = await forkRun(octokit, context, payload, plan.github.eventPath, await scratchDir(plan, 'fork-data'), log);
  if (!fork) return null;
  const results = join(await scratchDir(plan, 'report'), `pr-${fork.context.pullRequest?.number ?? 0}-results.json`);
  await writeResults(results, fork.head);
  return { context: fork.context, produced: { head: fork.head, sameRunner: null, rust: null }, paths: { results, beside: (suffix) => results.replace(/(\.json)?$/, suffix) } };
}

async function benchmarkAndReport(planFor: (context: RunContext) => RunPlan, runContext: RunContext, payload: unknown, log: Log): Promise<void> {
  let plan = planFor(runContext);
  const octokit = githubClient(plan, log);
  const settings = await loadAnalysisSettings(plan.analysis);
  let context = runContext;
  let paths: OutputPaths;
  let produced: Produced;
  if (plan.job === 'comment') {
    const fork = await produceFromFork(octokit, plan, runContext, payload, log);
    if (!fork) return;
    ({ context, produced, paths } = fork);
    plan = planFor(context);
  } else {
    const results = plan.resultsPath;
    paths = { results, beside: (suffix) => results.replace(/(\.json)?$/, suffix) };
    if (plan.job === 'shard' && plan.measure.shard) {
      const shardArgs = { build: plan.build, spec: plan.measure.shard, suite: plan.publish.suite, controls: settings.controls, resultsPath: results };
      return runShardJob({ ...shardArgs, scratch: await scratchDir(plan, 'shard'), fetched: await fetchBaseline(octokit, plan, context, log) }, log);
    }
    produced = await produce(octokit, plan, context, paths, settings, log);
  }
  const fetched = await loadBaseline(octokit, plan, context, produced, log);
  const compared = await compare(plan, settings, produced, fetched, log);
  const reportPath = await report(compared, paths);
  const publishError = await publish(octokit, plan, context, produced, compared, log);
  await upload(plan, context, produced, fetched, paths, log);

  // The first failure fails the step; the others still deserve an annotation.
  const incomplete = produced.incomplete ? new InputError(`run ${context.runId}`, produced.incomplete) : null;
  const [failure, ...more] = [incomplete, fetched.error, publishError].filter((error) => error !== null);
  for (const other of more) log.error(other.message);
  if (failure) throw failure;
  // The comment job reports; the fork's own run is the check that fails.
  if (plan.job !== 'comment') failOnRegressions(compared.analysis, plan.publish, reportPath, log);
}

export async function run(log: Log = actionsLog): Promise<void> {
  try {
    const config = requireToken(parseActionInputs((name) => core.getInput(name)));
    const payload = await readEventPayload(process.env.GITHUB_EVENT_PATH);
    const context = readRunContext(process.env, payload);
    await benchmarkAndReport((runContext) => planRun({ config, context: runContext, env: process.env, tmpdir: tmpdir() }), context, payload, log);
  } catch (error) {
    if (error instanceof UserError) core.setFailed(error.message);
    else core.setFailed(`bench-action crashed, which is a bug: ${(error as Error).stack ?? String(error)}`);
    // A regression already has its report in the summary; anything else gets one saying what failed.
    if (!(error instanceof RegressionFailure)) await core.summary.addRaw(renderFailure(failureReport(error))).write();
  }
}
