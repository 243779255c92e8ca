/**
 * The fork-safe hand-over, I/O part. Phase one (a fork's PR run, read-only
 * token) uploads its results and claim as an artifact; phase two
 * (`mode: comment`, a `workflow_run` workflow with a write token) downloads
 * it from the triggering run within caps, validates it, and checks the claim
 * against GitHub's own account of the run and the PR. Phase two never checks
 * out or runs the PR's code, and never posts anything the fork wrote.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitHubError, InputError } from '../common/errors.ts';
import { downloadArtifactTo } from './artifact-download.ts';
import { FORK_ZIP_LIMITS, formatBytes } from './artifact-zip.ts';
import { uploadArtifactFiles } from './baseline.ts';
import { githubCall, type Octokit } from './client.ts';
import {
  DATA_FILE,
  MAX_DATA_BYTES,
  REPORT_ARTIFACT_NAME,
  parseForkData,
  refusal,
  serializeForkData,
  type ForkData,
  type PullState,
  type TriggeringRun,
} from './fork-report.ts';

/** Phase one: writes the data file under `workDir` and uploads it as `bench-action-report`. */
export async function uploadForkData(data: ForkData, workDir: string, retentionDays = 7): Promise<{ id: number }> {
  const dir = join(workDir, REPORT_ARTIFACT_NAME);
  await mkdir(dir, { recursive: true });
  const file = join(dir, DATA_FILE);
  await writeFile(file, serializeForkData(data));
  const { id } = await uploadArtifactFiles(REPORT_ARTIFACT_NAME, [file], dir, retentionDays);
  return { id };
}

export type LoadedData =
  { data: ForkData; pull: PullState & { baseRef: string; baseSha: string } } | { data: null; reason: string };

export interface LoadDataArgs {
  octokit: Octokit;
  owner: string;
  repo: string;
  run: TriggeringRun;
  /** Scratch directory for the download (never the workspace of PR code). */
  workDir: string;
}

/** Phase two: the triggering run's data and its PR, or why there is nothing to post. */
export async function loadForkData(args: LoadDataArgs): Promise<LoadedData> {
  const { octokit, owner, repo, run } = args;
  // Nothing from a run that was not a pull request is even downloaded.
  if (run.event !== 'pull_request')
    return {
      data: null,
      reason: `run ${run.runId} was triggered by '${run.event || 'an unknown event'}', not pull_request`,
    };
  const { data: listing } = await githubCall(
    { what: `list the artifacts of run ${run.runId}`, permission: 'actions: read' },
    () =>
      octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: run.runId,
        name: REPORT_ARTIFACT_NAME,
        per_page: 100,
      }),
  );
  const artifact = listing.artifacts.find((a) => a.name === REPORT_ARTIFACT_NAME && !a.expired);
  if (!artifact) {
    return {
      data: null,
      reason: `run ${run.runId} left no ${REPORT_ARTIFACT_NAME} artifact (it commented itself, or was not a pull request from a fork)`,
    };
  }
  const source = `artifact ${REPORT_ARTIFACT_NAME} (id ${artifact.id}, run ${run.runId})`;
  const dir = join(args.workDir, `${REPORT_ARTIFACT_NAME}-${run.runId}`);
  await downloadArtifactTo({
    octokit,
    owner,
    repo,
    artifactId: artifact.id,
    runId: run.runId,
    path: dir,
    artifactName: REPORT_ARTIFACT_NAME,
    limits: FORK_ZIP_LIMITS,
  });
  const file = join(dir, DATA_FILE);
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new InputError(
        source,
        `has no ${DATA_FILE}: it was not written by this version of bench-action, so no comment is posted`,
      );
    },
  );
  if (size > MAX_DATA_BYTES)
    throw new InputError(
      source,
      `${DATA_FILE} is ${formatBytes(size)}, over the ${formatBytes(MAX_DATA_BYTES)} limit; no comment is posted`,
    );
  const data = parseForkData(await readFile(file, 'utf8'), source);

  const pull = await githubCall({ what: `read PR #${data.prNumber}`, permission: 'pull-requests: read' }, () =>
    octokit.rest.pulls.get({ owner, repo, pull_number: data.prNumber }),
  ).then(
    ({ data: p }) => ({
      number: p.number,
      state: p.state,
      headSha: p.head.sha,
      headRef: p.head.ref,
      headRepository: p.head.repo?.full_name ?? '',
      headRepositoryId: p.head.repo?.id ?? null,
      baseRef: p.base.ref,
      baseSha: p.base.sha,
    }),
    (error: unknown) => {
      if (error instanceof GitHubError && error.status === 404) return null;
      throw error;
    },
  );
  const refused = refusal(run, data, pull);
  if (refused && !refused.expected) throw new InputError(source, `${refused.reason}; no comment is posted`);
  if (refused || pull === null) return { data: null, reason: refused?.reason ?? `PR #${data.prNumber} does not exist` };
  return { data, pull };
}
