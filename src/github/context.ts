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

/** This run's page, where its job summary is. */
export function runUrl(context: RunContext, serverUrl = 'https://github.com'): string {
  return `${serverUrl.replace(/\/+$/, '')}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
}
