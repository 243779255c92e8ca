/**
 * The action's run plan: its inputs and the run context become one typed
 * plan, and every rule that depends on both is decided here, once: which job
 * runs, how the code is built and measured, what the analysis compares with,
 * what is published, whether the baseline is uploaded, whether regressions
 * fail the step, whether a confirmation round may run. Pure: the runner's
 * environment is passed in. The jobs (action/jobs/) read the plan and never
 * the inputs; `run/` sees only `plan.build`, never the token.
 */
import { join, resolve } from 'node:path';
import type { AnalysisSources } from '../analysis/settings.ts';
import { UsageError } from '../common/errors.ts';
import type { ActionConfig, CommentPolicy } from '../config/action-inputs.ts';
import { apiUrlFromEnv, requestTimeoutFromEnv } from '../github/client.ts';
import { runUrl, type RunContext } from '../github/context.ts';
import { parseResultsLine } from '../config/results-inputs.ts';
import { benchmarkEnv } from '../run/child-env.ts';
import type { BenchCommand, BuildSettings } from '../run/settings.ts';
import { detectWorkspace, findWorkspace } from '../run/workspace.ts';
import type { RunMeta, ShardSpec } from '../schema/types.ts';

/** Which job this step runs (action.yml's `mode`, with `shard: i/n` a job of its own). */
export type Job = 'full' | 'shard' | 'merge' | 'compare' | 'comment';

/**
 * The runner's environment: RUNNER_TEMP, GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_API_URL, and what the benchmarked
 * code inherits.
 */
export type RunnerEnv = NodeJS.ProcessEnv;

export interface GitHubSettings {
  token: string;
  apiUrl: string;
  timeoutMs: number;
  /** This run's page, where its job summary is (for the comment's stale note). */
  runUrl: string;
  /** The event payload's path, as error messages name it. */
  eventPath: string;
}

export interface MeasureSettings {
  /** Full mode on a pull request with compare-mode same-runner: the base is measured here too. */
  sameRunner: boolean;
  /** Why same-runner was asked for but not used (not a pull request), for the log; null otherwise. */
  sameRunnerSkipped: string | null;
  shard: ShardSpec | null;
  /** The confirmation round's measuring budget; null when no round may run. */
  confirmBudgetMinutes: number | null;
}

export interface BaselineSettings {
  artifact: string;
  /** The branch whose baseline is compared with; null when nothing tells (no input, PR or default branch). */
  branch: string | null;
  /** The branch as the report names it. */
  branchLabel: string;
  /** Whether this run uploads the baseline (never from a pull request). */
  upload: boolean;
  historySize: number;
  dashboardArtifact: string;
}

export interface PublishSettings {
  comment: CommentPolicy;
  suite: string;
  /** Whether regressions the gate lets fail may fail the step. */
  failOnRegression: boolean;
  /** The event whose default `failOnRegression` is, when the input was left empty; null when set. */
  failOnRegressionDefaultFor: string | null;
  /**
   * Null: nothing in common fails where a regression would; true: any missing benchmark fails; false: never
   * (compare/gate.ts gateMissing).
   */
  failOnMissing: boolean | null;
}

export interface RunPlan {
  job: Job;
  workDir: string;
  /** This run's results file; the report files sit beside it. */
  resultsPath: string;
  /** Where fresh scratch directories go (RUNNER_TEMP on a runner). */
  tempDir: string;
  /** The results input (mode compare), resolved against the working directory. */
  results: string[];
  build: BuildSettings;
  measure: MeasureSettings;
  analysis: AnalysisSources;
  baseline: BaselineSettings;
  publish: PublishSettings;
  github: GitHubSettings;
}

/** Fields of this run's metadata the context decides. */
export function runMetaOf(context: RunContext): Partial<RunMeta> {
  return { commit: context.pullRequest?.headSha || context.sha || null, ref: context.ref };
}

/** The branch whose baseline a run compares against: input, else the PR's base, else the default branch. */
export function baseBranchOf(context: RunContext, input: string): string | null {
  return input || context.pullRequest?.baseRef || context.defaultBranch || null;
}

/** Whether this run writes the baseline. A pull-request run never does. */
export function shouldUploadBaseline(context: RunContext, setting: 'auto' | 'true' | 'false'): boolean {
  if (context.pullRequest !== null || context.eventName.startsWith('pull_request')) return false;
  if (setting === 'false') return false;
  if (setting === 'true') return true;
  return context.eventName === 'push' && context.pushBranch !== null && context.pushBranch === context.defaultBranch;
}

/**
 * fail-on-regression when the input is left empty: off on pushes, whose
 * failure would only mark the commit red after it landed (and its baseline
 * would then be skipped as the output of a failed run); on for everything else.
 */
export function failsOnRegressionByDefault(context: RunContext): boolean {
  return context.eventName !== 'push';
}

/** Whether this run may spend time confirming: full mode against a baseline, per `confirm` (auto: pull requests). */
export function confirmationWanted(config: ActionConfig, pullRequest: boolean): boolean {
  if (config.mode !== 'full' || config.compareMode !== 'baseline' || config.confirm === 'false') return false;
  return config.confirm === 'true' || pullRequest;
}

function jobOf(config: ActionConfig): Job {
  return config.shard ? 'shard' : config.mode;
}

export interface PlanArgs {
  config: ActionConfig;
  context: RunContext;
  /** The runner's environment (process.env in the action). */
  env: RunnerEnv;
  /** The system's temporary directory, when RUNNER_TEMP is not set. */
  tmpdir: string;
  /** Whether a path exists (existsSync in the action): where the Cargo workspace is. */
  exists: (path: string) => boolean;
}

/** The `run` input as the benchmark command, or null when it is empty. */
export function benchCommandOf(config: ActionConfig): BenchCommand | null {
  if (config.run === '') return null;
  return { run: config.run, results: config.runResults.map((line) => parseResultsLine(line, 'run-results')) };
}

/**
 * The Cargo workspace a job that measures (full, shard) builds, or null when
 * Rust is not prepared at all. 'native-dir' set: that workspace, which must
 * exist. Otherwise, with nothing else to run, the workspace is required (a
 * UsageError naming what to set); with a `run` or `node-bench-command`,
 * Rust is prepared only where native/ or the working directory holds a
 * Cargo.toml, so a JavaScript, Python or Go project never meets rustup.
 */
export function cargoWorkspaceOf(
  config: ActionConfig,
  job: Job,
  workDir: string,
  exists: (path: string) => boolean,
): string | null {
  if (job !== 'full' && job !== 'shard') return null;
  if (config.nativeDir !== '' || (config.run === '' && config.nodeBenchCommand === ''))
    return findWorkspace(workDir, config.nativeDir, exists);
  return detectWorkspace(workDir, exists);
}

/** Every mode talks to GitHub; without a token the run would fail half-way, after the benchmarks. */
export function requireToken(config: ActionConfig): ActionConfig {
  if (config.githubToken === '') {
    throw new UsageError(
      "Input 'github-token' is empty: leave it out (the default is ${{ github.token }}) or pass a token.",
    );
  }
  return config;
}

/**
 * The plan for this run. The comment job plans again with the fork's pull
 * request as its context, once it knows it: the base branch and the upload
 * rule then follow that pull request, as for any pull request run.
 */
export function planRun({ config, context, env, tmpdir, exists }: PlanArgs): RunPlan {
  requireToken(config);
  const job = jobOf(config);
  const workDir = resolve(config.workingDirectory);
  const tempDir = env.RUNNER_TEMP ?? tmpdir;
  // Never into the checkout unless asked: the files would dirty it (and a later step might commit them).
  const given = config.mode === 'full' ? config.results[0] : undefined;
  const resultsPath = given ? resolve(workDir, given) : join(tempDir, 'bench-action', 'bench-results.json');
  const branch = baseBranchOf(context, config.baseBranch);
  const pullRequest = context.pullRequest !== null;
  const sameRunnerAsked = job === 'full' && config.compareMode === 'same-runner';
  return {
    job,
    workDir,
    resultsPath,
    tempDir,
    results: config.results,
    build: {
      workDir,
      nativeDir: config.nativeDir,
      cargoDir: cargoWorkspaceOf(config, job, workDir, exists),
      command: benchCommandOf(config),
      toolchain: config.toolchain,
      cargoBenchArgs: config.cargoBenchArgs,
      nodeBenchCommand: config.nodeBenchCommand,
      quick: config.quick,
      instructions: config.instructions,
      rounds: config.rounds,
      env: benchmarkEnv(env, { token: config.githubToken, exposeToken: config.exposeTokenToBenchmarks }),
      meta: runMetaOf(context),
    },
    measure: {
      sameRunner: sameRunnerAsked && pullRequest,
      sameRunnerSkipped:
        sameRunnerAsked && !pullRequest
          ? 'compare-mode same-runner compares pull requests with their base; this run uses the baseline artifact.'
          : null,
      shard: config.shard,
      confirmBudgetMinutes: confirmationWanted(config, pullRequest) ? config.confirmBudget : null,
    },
    analysis: {
      threshold: config.threshold,
      instructionsThreshold: config.instructionsThreshold,
      controls: config.controls,
      thresholdsFile: config.thresholdsFile ? resolve(workDir, config.thresholdsFile) : null,
      claimsFile: config.claimsFile ? resolve(workDir, config.claimsFile) : null,
    },
    baseline: {
      artifact: config.baselineArtifact,
      branch,
      branchLabel: branch ?? 'the base branch',
      upload: shouldUploadBaseline(context, config.uploadBaseline),
      historySize: config.historySize,
      dashboardArtifact: config.dashboardArtifact,
    },
    publish: {
      comment: config.comment,
      suite: config.suite,
      failOnRegression: config.failOnRegression ?? failsOnRegressionByDefault(context),
      failOnRegressionDefaultFor: config.failOnRegression === null ? context.eventName : null,
      failOnMissing: config.failOnMissing,
    },
    github: {
      token: config.githubToken,
      apiUrl: apiUrlFromEnv(env),
      timeoutMs: requestTimeoutFromEnv(env),
      runUrl: runUrl(context, env.GITHUB_SERVER_URL),
      eventPath: env.GITHUB_EVENT_PATH ?? 'the event payload',
    },
  };
}
