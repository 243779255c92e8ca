/**
 * The fork-safe hand-over, pure part. A pull request from a fork cannot
 * comment, so its run leaves **data only**: its results document and the PR
 * number and commit it claims. The trusted comment job (`mode: comment`, on
 * `workflow_run`) checks that claim against what GitHub says about the
 * triggering run and the PR, then compares and renders with its own code:
 * nothing a fork writes is ever posted as it stands.
 */
import { InputError } from '../common/errors.ts';
import { parseJson } from '../formats/common.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import type { Results } from '../schema/types.ts';

export const REPORT_ARTIFACT_NAME = 'bench-action-report';
export const DATA_FILE = 'pull-request.json';
/** The data file's own format; results inside carry their schema version. */
export const DATA_VERSION = 2;
/** The results of one run are a few MB; the zip caps (artifact-zip.ts) hold this too. */
export const MAX_DATA_BYTES = 16 * 1024 * 1024;

export type { ReportVerdict } from '../analysis/verdict.ts';

/** What a fork's run hands over: its measurements and what it claims to be. */
export interface ForkData {
  prNumber: number;
  headSha: string;
  results: Results;
}

const SHA = /^[0-9a-f]{40}$/;

export function serializeForkData(data: ForkData): string {
  return `${JSON.stringify({ dataVersion: DATA_VERSION, prNumber: data.prNumber, headSha: data.headSha, results: data.results })}\n`;
}

/** Validates the data file's text; `source` names the artifact in errors. */
export function parseForkData(text: string, source: string): ForkData {
  const fail = (detail: string): never => {
    throw new InputError(source, `${detail}; no comment is posted`);
  };
  let data: unknown;
  try {
    // Depth-checked: what validates the document walks it.
    data = parseJson(`${source}: ${DATA_FILE}`, text);
  } catch (error) {
    return fail((error as Error).message.slice(source.length + 2));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return fail(`${DATA_FILE} is not a JSON object`);
  const record = data as Record<string, unknown>;
  if (record['dataVersion'] !== DATA_VERSION)
    return fail(
      `${DATA_FILE} has dataVersion ${JSON.stringify(record['dataVersion'] ?? null)?.slice(0, 20)}, not ${DATA_VERSION}: the pull request's workflow must use the same bench-action version as this one`,
    );
  const { prNumber, headSha, results } = record;
  if (typeof prNumber !== 'number' || !Number.isSafeInteger(prNumber) || prNumber < 1)
    return fail('prNumber must be a positive integer');
  if (typeof headSha !== 'string' || !SHA.test(headSha)) return fail('headSha must be a 40-character commit SHA');
  const outcome = validateResults(results);
  if (!outcome.ok) return fail(`its results ${formatIssues(outcome.issues)}`);
  return { prNumber, headSha, results: outcome.value };
}

/** The parts of a `workflow_run` event the comment mode relies on; GitHub writes them, not the fork. */
export interface TriggeringRun {
  runId: number;
  /** The triggering workflow's name: the sticky comment's marker is made from it. */
  workflowName: string;
  headSha: string;
  headBranch: string;
  /** owner/name of the repository the run built. */
  headRepository: string;
  /** Its id, which a rename keeps; null when the payload has none. */
  headRepositoryId: number | null;
  event: string;
  conclusion: string | null;
  /** PR numbers GitHub attached to the run; empty for fork PRs, hence the data's own claim. */
  pullRequests: number[];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export function parseWorkflowRunEvent(payload: unknown, source: string): TriggeringRun {
  const fail = (detail: string): never => {
    throw new InputError(source, `${detail}; mode: comment must run on a workflow_run event`);
  };
  const r = record(record(payload)?.['workflow_run']);
  if (!r) return fail('has no workflow_run object');
  if (typeof r['id'] !== 'number') return fail('workflow_run.id is missing');
  if (typeof r['head_sha'] !== 'string' || !SHA.test(r['head_sha'])) return fail('workflow_run.head_sha is missing');
  const prs = Array.isArray(r['pull_requests']) ? r['pull_requests'] : [];
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    runId: r['id'],
    workflowName: text(r['name']) || 'workflow',
    headSha: r['head_sha'],
    headBranch: text(r['head_branch']),
    headRepository: text(record(r['head_repository'])?.['full_name']),
    headRepositoryId: numberOrNull(record(r['head_repository'])?.['id']),
    event: text(r['event']),
    conclusion: typeof r['conclusion'] === 'string' ? r['conclusion'] : null,
    pullRequests: prs.flatMap((pr: unknown) => {
      const n = record(pr)?.['number'];
      return typeof n === 'number' ? [n] : [];
    }),
  };
}

/** The PR as GitHub's REST API answers for the number the data claims. */
export interface PullState {
  number: number;
  state: string;
  headSha: string;
  headRef: string;
  /** owner/name of the head repository; '' when the fork was deleted. */
  headRepository: string;
  /** Its id (a rename keeps it); null when the fork was deleted. */
  headRepositoryId: number | null;
}

/**
 * Why nothing is posted: `expected` for the normal cases (a push run, a newer commit, a closed PR), else the data lies.
 */
export interface Refusal {
  reason: string;
  expected: boolean;
}

/**
 * Why the data may not be posted on that PR, or null when it may: the run
 * must be a pull_request run, the claim must name the commit the run built,
 * and the PR must be open with exactly that head commit from the repository
 * the run built, so a fork can only ever speak on its own PR. The repository
 * is matched by id when both sides give one, so a fork renamed (or a branch
 * renamed, which GitHub carries over to the PR) after its run still reports.
 */
export function refusal(
  run: TriggeringRun,
  claim: Pick<ForkData, 'prNumber' | 'headSha'>,
  pull: PullState | null,
): Refusal | null {
  const normal = (reason: string): Refusal => ({ reason, expected: true });
  const lie = (reason: string): Refusal => ({ reason, expected: false });
  if (run.event !== 'pull_request')
    return normal(`run ${run.runId} was triggered by '${run.event || 'an unknown event'}', not pull_request`);
  if (claim.headSha !== run.headSha)
    return lie(
      `the data is for commit ${claim.headSha.slice(0, 12)} but run ${run.runId} built ${run.headSha.slice(0, 12)}`,
    );
  if (run.pullRequests.length > 0 && !run.pullRequests.includes(claim.prNumber))
    return lie(`the data names PR #${claim.prNumber}, which run ${run.runId} did not build`);
  if (pull === null) return lie(`the data names PR #${claim.prNumber}, which does not exist`);
  const byId = run.headRepositoryId !== null && pull.headRepositoryId !== null;
  const sameRepository = byId
    ? run.headRepositoryId === pull.headRepositoryId
    : pull.headRepository === run.headRepository && pull.headRef === run.headBranch;
  if (!sameRepository) {
    return lie(
      `the data names PR #${claim.prNumber}, whose head is ${pull.headRepository || 'a deleted repository'}:${pull.headRef}, but run ${run.runId} built ${run.headRepository || 'an unknown repository'}:${run.headBranch}`,
    );
  }
  if (pull.headSha !== run.headSha) {
    // Normal: a newer push (or a force-push) to the pull request; its own run reports.
    return normal(
      `the pull request moved: PR #${claim.prNumber} is now at ${pull.headSha.slice(0, 12)}, not ${run.headSha.slice(0, 12)}; the run for the newer commit will report`,
    );
  }
  if (pull.state !== 'open') return normal(`PR #${claim.prNumber} is ${pull.state}`);
  return null;
}
