import { UsageError } from '../common/errors.ts';

/** What the runner tells a node action about the run, read once. Pure: env and payload in. */
export interface PullRequestInfo {
  number: number;
  baseRef: string;
  baseSha: string;
  headSha: string;
  /** A fork's token is read-only: comments will be refused. */
  isFork: boolean;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  sha: string;
  ref: string | null;
  runId: number;
  workflow: string;
  job: string;
  defaultBranch: string | null;
  pullRequest: PullRequestInfo | null;
  /** Branch name of a push to a branch, else null. */
  pushBranch: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function pullRequestOf(payload: Record<string, unknown>): PullRequestInfo | null {
  const pull = record(payload.pull_request);
  if (!pull) return null;
  const base = record(pull.base);
  const head = record(pull.head);
  const number =
    typeof pull.number === 'number' ? pull.number : typeof payload.number === 'number' ? payload.number : null;
  if (number === null || !base || !head) return null;
  const baseRepo = text(record(base.repo)?.full_name);
  const headRepo = text(record(head.repo)?.full_name);
  return {
    number,
    baseRef: text(base.ref) ?? '',
    baseSha: text(base.sha) ?? '',
    headSha: text(head.sha) ?? '',
    // A deleted fork has head.repo null: treat it as a fork (read-only token).
    isFork: headRepo === null || (baseRepo !== null && headRepo !== baseRepo),
  };
}

export function readRunContext(env: Env, payload: unknown): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new UsageError(
      `GITHUB_REPOSITORY is '${repository}', not owner/name: run this action inside GitHub Actions, or use the bench-action CLI locally.`,
    );
  }
  const event = record(payload) ?? {};
  const ref = text(env.GITHUB_REF);
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const runId = Number(env.GITHUB_RUN_ID ?? '0');
  return {
    eventName,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref,
    runId: Number.isSafeInteger(runId) ? runId : 0,
    workflow: env.GITHUB_WORKFLOW ?? 'workflow',
    job: env.GITHUB_JOB ?? 'job',
    defaultBranch: text(record(event.repository)?.default_branch),
    pullRequest: pullRequestOf(event),
    pushBranch: eventName === 'push' && ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
  };
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

/** This run's page, where its job summary is. */
export function runUrl(context: RunContext, serverUrl = 'https://github.com'): string {
  return `${serverUrl.replace(/\/+$/, '')}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
}
