/**
 * The fork-safe hand-over, I/O part. Phase one (the PR run, read-only token)
 * uploads the report as an artifact; phase two (`mode: comment`, a
 * `workflow_run` workflow with a write token) downloads it from the
 * triggering run, checks it belongs to that run's PR, and hands it back for
 * the sticky comment. Phase two never checks out or runs the PR's code.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { downloadArtifactTo } from './artifact-download.ts';
import { FORK_ZIP_LIMITS } from './artifact-zip.ts';
import { uploadArtifactFiles } from './baseline.ts';
import { githubCall, type Octokit } from './client.ts';
import {
  MAX_REPORT_BYTES,
  REPORT_ARTIFACT_NAME,
  REPORT_FILE,
  parseForkReport,
  serializeForkReport,
  type ForkReport,
  type TriggeringRun,
} from './fork-report.ts';

/** Phase one: writes report.json under `workDir` and uploads it as `bench-action-report`. */
export async function uploadForkReport(report: ForkReport, workDir: string, retentionDays = 7): Promise<{ id: number }> {
  const dir = join(workDir, REPORT_ARTIFACT_NAME);
  await mkdir(dir, { recursive: true });
  const file = join(dir, REPORT_FILE);
  await writeFile(file, serializeForkReport(report));
  const { id } = await uploadArtifactFiles(REPORT_ARTIFACT_NAME, [file], dir, retentionDays);
  return { id };
}

export type LoadedReport = { report: ForkReport } | { report: null; reason: string };

export interface LoadReportArgs {
  octokit: Octokit;
  owner: string;
  repo: string;
  token: string;
  run: TriggeringRun;
  /** Scratch directory for the download (never the workspace of PR code). */
  workDir: string;
}

/** Phase two: the report of the triggering run, or why there is none to post. */
export async function loadForkReport(args: LoadReportArgs): Promise<LoadedReport> {
  const { octokit, owner, repo, run } = args;
  const { data } = await githubCall(
    { what: `list the artifacts of run ${run.runId}`, permission: 'actions: read' },
    () => octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.runId, name: REPORT_ARTIFACT_NAME, per_page: 100 }),
  );
  const artifact = data.artifacts.find((a) => a.name === REPORT_ARTIFACT_NAME && !a.expired);
  if (!artifact) {
    return { report: null, reason: `run ${run.runId} left no ${REPORT_ARTIFACT_NAME} artifact (it commented itself, or was not a pull request)` };
  }
  const source = `artifact ${REPORT_ARTIFACT_NAME} of run ${run.runId}`;
  const dir = join(args.workDir, `${REPORT_ARTIFACT_NAME}-${run.runId}`);
  await downloadArtifactTo({
    octokit,
    owner,
    repo,
    limits: FORK_ZIP_LIMITS,
    artifactId: artifact.id,
    runId: run.runId,
    path: dir,
    artifactName: REPORT_ARTIFACT_NAME,
  });
  const file = join(dir, REPORT_FILE);
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new InputError(source, `has no ${REPORT_FILE}; it was not written by bench-action, so no comment is posted`);
    },
  );
  if (size > MAX_REPORT_BYTES) throw new InputError(source, `${REPORT_FILE} is ${size} bytes, over the ${MAX_REPORT_BYTES} limit; no comment is posted`);
  const report = parseForkReport(await readFile(file, 'utf8'), source);

  // The artifact is written by code from the fork: make sure it speaks for
  // the run that made it and for that run's PR, so it cannot comment elsewhere.
  if (report.headSha !== run.headSha) {
    throw new InputError(source, `is for commit ${report.headSha.slice(0, 12)} but run ${run.runId} built ${run.headSha.slice(0, 12)}; no comment is posted`);
  }
  if (run.pullRequests.length > 0 && !run.pullRequests.includes(report.prNumber)) {
    throw new InputError(source, `names PR #${report.prNumber}, which run ${run.runId} did not build; no comment is posted`);
  }
  const { data: pull } = await githubCall(
    { what: `read PR #${report.prNumber}`, permission: 'pull-requests: read' },
    () => octokit.rest.pulls.get({ owner, repo, pull_number: report.prNumber }),
  );
  if (pull.head.sha !== run.headSha) {
    return {
      report: null,
      reason: `PR #${report.prNumber} is now at ${pull.head.sha.slice(0, 12)}, not ${run.headSha.slice(0, 12)}; the run for the newer commit will report`,
    };
  }
  return { report };
}
