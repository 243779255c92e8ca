/**
 * The baseline artifact's I/O: which artifact to compare against, fetching it
 * and publishing a new one. Layout and history rolling live in
 * baseline-layout.ts; this module only moves bytes.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../common/errors.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import type { Results } from '../schema/types.ts';
import { validateSeries, type SeriesFile } from '../history/series.ts';
import { githubCall, toGitHubError, type Octokit } from './client.ts';
import {
  BASELINE_HISTORY_DIR,
  BASELINE_RESULTS_FILE,
  BASELINE_SERIES_FILE,
  type BaselineContents,
  type BaselineFile,
} from './baseline-layout.ts';

export interface Repo {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/** The merge base of `head` onto `base` (compare API), or null when GitHub cannot tell. */
export async function findMergeBase(
  octokit: Octokit,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<string | null> {
  const { data } = await githubCall(
    {
      what: `compare ${base}...${head}`,
      permission: 'contents: read',
      hints: { 404: `${base} or ${head} is unknown to GitHub; check base-branch` },
    },
    () => octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 1 }),
  );
  return data.merge_base_commit?.sha ?? null;
}

export interface BaselineRef {
  artifactId: number;
  runId: number;
  headSha: string;
  createdAt: string;
}

export interface FindBaselineArgs extends Repo {
  artifactName: string;
  baseBranch: string;
  mergeBaseSha?: string;
  /** Restrict to one workflow: its numeric id or its file name (`bench.yml`). */
  workflowId?: number | string;
  /** How many candidate runs to inspect before giving up (default 20). */
  maxCandidates?: number;
  /** Told of each baseline passed over because its run did not succeed, before the one chosen. */
  onSkip?: (skipped: SkippedBaseline) => void;
}

/** A baseline artifact left out because the run that uploaded it failed (or has not finished). */
export interface SkippedBaseline {
  runId: number;
  headSha: string;
  /** The run's conclusion: failure, cancelled, ...; null while it runs. */
  conclusion: string | null;
  fromMergeBase: boolean;
}

// Each artifact listing page holds 100; five pages covers months of pushes.
const MAX_ARTIFACT_PAGES = 5;

interface Candidate extends BaselineRef {
  fromMergeBase: boolean;
}

/**
 * The newest non-expired artifact named `artifactName` from a successful,
 * non-PR run on `baseBranch` of this repository, preferring one built at the
 * merge base. Artifacts from forks (whose branch may also be called main) and
 * from pull-request runs are never trusted as a baseline.
 */
export async function findBaseline(args: FindBaselineArgs): Promise<BaselineRef | null> {
  const { octokit, owner, repo, artifactName, baseBranch, mergeBaseSha } = args;
  const listOp = { what: `list the artifacts named ${artifactName}`, permission: 'actions: read' };
  const candidates: Candidate[] = [];
  await githubCall(listOp, async () => {
    let pages = 0;
    for await (const page of octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, {
      owner,
      repo,
      name: artifactName,
      per_page: 100,
    })) {
      for (const artifact of page.data) {
        const run = artifact.workflow_run;
        if (artifact.expired || artifact.name !== artifactName || !run?.id || !run.head_sha) continue;
        if (run.head_branch !== baseBranch) continue;
        if (run.head_repository_id != null && run.repository_id != null && run.head_repository_id !== run.repository_id)
          continue;
        candidates.push({
          artifactId: artifact.id,
          runId: run.id,
          headSha: run.head_sha,
          createdAt: artifact.created_at ?? '',
          fromMergeBase: mergeBaseSha !== undefined && run.head_sha === mergeBaseSha,
        });
      }
      if (++pages >= MAX_ARTIFACT_PAGES) break;
    }
  });
  candidates.sort(
    (a, b) =>
      Number(b.fromMergeBase) - Number(a.fromMergeBase) ||
      Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
      b.artifactId - a.artifactId,
  );
  const verdicts = new Map<number, boolean>();
  for (const candidate of candidates.slice(0, args.maxCandidates ?? 20)) {
    let trusted = verdicts.get(candidate.runId);
    if (trusted === undefined) {
      const { data: run } = await githubCall(
        { what: `read workflow run ${candidate.runId}`, permission: 'actions: read' },
        () => octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: candidate.runId }),
      );
      trusted =
        run.conclusion === 'success' &&
        run.head_branch === baseBranch &&
        !run.event.startsWith('pull_request') &&
        (run.head_repository?.id === undefined || run.head_repository.id === run.repository.id) &&
        matchesWorkflow(run, args.workflowId);
      verdicts.set(candidate.runId, trusted);
      if (
        !trusted &&
        run.conclusion !== 'success' &&
        run.head_branch === baseBranch &&
        !run.event.startsWith('pull_request')
      ) {
        args.onSkip?.({
          runId: candidate.runId,
          headSha: candidate.headSha,
          conclusion: run.conclusion ?? null,
          fromMergeBase: candidate.fromMergeBase,
        });
      }
    }
    if (trusted) {
      const { fromMergeBase: _, ...ref } = candidate;
      return ref;
    }
  }
  return null;
}

function matchesWorkflow(run: { workflow_id: number; path?: string }, workflow: number | string | undefined): boolean {
  if (workflow === undefined || workflow === '') return true;
  if (typeof workflow === 'number' || /^\d+$/.test(workflow)) return run.workflow_id === Number(workflow);
  const file = (run.path ?? '').split('@')[0]?.split('/').pop();
  return file === workflow || run.path === workflow;
}

/** Uploads `files` (absolute paths under `rootDir`) as this run's artifact `name`. */
export async function uploadArtifactFiles(
  name: string,
  files: string[],
  rootDir: string,
  retentionDays?: number,
): Promise<{ id: number; size: number }> {
  const client = new DefaultArtifactClient();
  try {
    const options = retentionDays === undefined ? {} : { retentionDays };
    const { id, size } = await client.uploadArtifact(name, files, rootDir, options);
    if (id === undefined) throw new Error('the artifact service returned no artifact id');
    return { id, size: size ?? 0 };
  } catch (error) {
    throw toGitHubError({ what: `upload artifact ${name}` }, error);
  }
}

export const uploadBaseline = uploadArtifactFiles;

/** Writes the baseline files under `dir`; returns their absolute paths for upload. */
export async function writeBaselineDir(dir: string, files: BaselineFile[]): Promise<string[]> {
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, ...file.path.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    paths.push(path);
  }
  return paths;
}

export interface ReadBaseline {
  contents: BaselineContents<Results>;
  /** History files that were unreadable or invalid, dropped rather than fatal. */
  skipped: string[];
  /** The compact series, null when the artifact predates it or it was damaged (then in `skipped`). */
  series: SeriesFile | null;
}

/** series.json, validated; a damaged one is rebuilt from the full runs rather than failing the run. */
async function readSeries(dir: string, skipped: string[]): Promise<SeriesFile | null> {
  let text: string;
  try {
    text = await readFile(join(dir, BASELINE_SERIES_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const outcome = validateSeries(JSON.parse(text));
    if (outcome.ok) return outcome.value;
  } catch {
    // not JSON: reported below
  }
  skipped.push(BASELINE_SERIES_FILE);
  return null;
}

async function readResultsFile(path: string): Promise<Results> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(
      path,
      `is not readable JSON (${error instanceof Error ? error.message : String(error)}); the baseline artifact is damaged, delete it and push to the base branch again`,
    );
  }
  const outcome = validateResults(data);
  if (!outcome.ok)
    throw new InputError(
      path,
      `${formatIssues(outcome.issues)}; the baseline artifact is damaged, delete it and push to the base branch again`,
    );
  return outcome.value;
}

/** Reads a downloaded baseline: results.json is required, bad history files are skipped. */
export async function readBaselineDir(dir: string): Promise<ReadBaseline> {
  const latest = await readResultsFile(join(dir, BASELINE_RESULTS_FILE));
  const history: Results[] = [];
  const skipped: string[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(join(dir, BASELINE_HISTORY_DIR)))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    // no history yet: the first upload carries none
  }
  for (const name of names) {
    try {
      history.push(await readResultsFile(join(dir, BASELINE_HISTORY_DIR, name)));
    } catch {
      skipped.push(`${BASELINE_HISTORY_DIR}/${name}`);
    }
  }
  // Newest first by when each run was measured; the names' order only breaks ties (sort is stable).
  const measuredAt = (run: Results) => Date.parse(run.run.timestamp) || 0;
  history.sort((a, b) => measuredAt(b) - measuredAt(a));
  return { contents: { latest, history }, skipped, series: await readSeries(dir, skipped) };
}
