/**
 * The shards' hand-over within one workflow run: each shard job uploads its
 * results as `bench-action-shard-<i>-of-<n>`; the merge job lists this run's
 * artifacts, downloads every shard's within caps (the same hostile-zip
 * reading as the baseline's) and reads each as a results file.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../common/errors.ts';
import { loadResults } from '../files/load.ts';
import type { NamedResults } from '../schema/merge.ts';
import { MAX_SHARDS, type Results, type RunMeta, type ShardSpec } from '../schema/types.ts';
import { downloadArtifactTo } from './artifact-download.ts';
import type { ZipLimits } from './artifact-zip.ts';
import { uploadArtifactFiles } from './baseline.ts';
import { githubCall, type Octokit } from './client.ts';

const MB = 1024 * 1024;
const RESULTS_FILE = 'results.json';
/** What a shard could not measure, for the merged report (not part of the results contract). */
const NOTES_FILE = 'notes.json';
const MAX_NOTE_CHARS = 400;

export interface ShardNotes {
  /** Why the instruction counts the shard should have measured are missing (e.g. no Valgrind). */
  instructionsSkipped: string | null;
}

/** One results document per shard (a suite's samples run to a few MB). */
export const SHARD_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 64 * MB,
  maxEntries: 8,
  maxEntryBytes: 64 * MB,
  maxTotalBytes: 64 * MB,
};

/**
 * `bench-action-shard-<i>-of-<n>`, or with a suite (a matrix of suites, each sharded)
 * `bench-action-<suite>-shard-<i>-of-<n>`.
 */
export function shardArtifactName(spec: ShardSpec, suite = ''): string {
  return `bench-action-${suite === '' ? '' : `${suite}-`}shard-${spec.index}-of-${spec.count}`;
}

/** Suite names hold letters, digits and `._-` only (config/action-inputs.ts), so only `.` needs escaping. */
function namePattern(suite: string): RegExp {
  return new RegExp(`^bench-action-${suite === '' ? '' : `${suite.replace(/\./g, '\\.')}-`}shard-(\\d+)-of-(\\d+)$`);
}

/** A shard's results, uploaded for the merge job (kept a week: the merge runs minutes later). */
export async function uploadShardResults(
  results: Results,
  notes: ShardNotes,
  spec: ShardSpec,
  suite: string,
  workDir: string,
): Promise<{ name: string; id: number }> {
  const name = shardArtifactName(spec, suite);
  const dir = join(workDir, name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, RESULTS_FILE);
  await writeFile(file, `${JSON.stringify(results)}\n`);
  const files = [file];
  if (notes.instructionsSkipped !== null) {
    files.push(join(dir, NOTES_FILE));
    await writeFile(join(dir, NOTES_FILE), `${JSON.stringify(notes)}\n`);
  }
  const { id } = await uploadArtifactFiles(name, files, dir, 7);
  return { name, id };
}

/**
 * A shard's notes, if it left any. Only a string field is taken, on one line
 * and capped: the artifact is data from a job that ran the pull request's
 * code, and the report escapes it like any other note.
 */
export async function readShardNotes(dir: string): Promise<ShardNotes> {
  let text: string;
  try {
    text = await readFile(join(dir, NOTES_FILE), 'utf8');
  } catch {
    return { instructionsSkipped: null };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { instructionsSkipped: null };
  }
  const value =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['instructionsSkipped'] : null;
  if (typeof value !== 'string' || value.trim() === '') return { instructionsSkipped: null };
  const line = value.replace(/\s+/g, ' ').trim();
  return { instructionsSkipped: line.length > MAX_NOTE_CHARS ? `${line.slice(0, MAX_NOTE_CHARS - 1)}…` : line };
}

export interface DownloadedShards {
  /** n, from the artifacts' names. */
  count: number;
  parts: NamedResults[];
  /** Each downloaded shard's notes, by shard index. */
  notes: Map<number, ShardNotes>;
}

export interface DownloadShardsArgs {
  octokit: Octokit;
  owner: string;
  repo: string;
  runId: number;
  /** '' without suites. */
  suite: string;
  workDir: string;
  meta: () => RunMeta;
}

/**
 * Every shard artifact of the run. No shard artifact at all, or names that
 * disagree on n, is an error: there is nothing to report, or two matrices.
 */
export async function downloadShards(args: DownloadShardsArgs): Promise<DownloadedShards> {
  const { octokit, owner, repo, runId } = args;
  const found: { id: number; name: string; index: number; count: number }[] = [];
  const pattern = namePattern(args.suite);
  await githubCall({ what: `list the artifacts of run ${runId}`, permission: 'actions: read' }, async () => {
    for await (const page of octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunArtifacts, {
      owner,
      repo,
      run_id: runId,
      per_page: 100,
    })) {
      for (const artifact of page.data) {
        const match = pattern.exec(artifact.name);
        if (match && !artifact.expired)
          found.push({ id: artifact.id, name: artifact.name, index: Number(match[1]), count: Number(match[2]) });
      }
    }
  });
  // The name's n is the count the merge lists shard by shard: beyond MAX_SHARDS it is refused here, in one line.
  const odd = found.find((a) => a.count > MAX_SHARDS || a.index < 1 || a.index > a.count);
  if (odd)
    throw new InputError(
      `run ${runId}`,
      `has artifact ${odd.name.slice(0, 120)}, which is not shard i of n with 1 <= i <= n <= ${MAX_SHARDS}; a sharded run has at most ${MAX_SHARDS} shards`,
    );
  const [first] = found;
  if (!first) {
    throw new InputError(
      `run ${runId}`,
      `has no ${shardArtifactName({ index: 0, count: 0 }, args.suite).replace('0-of-0', '<i>-of-<n>')} artifacts: every shard failed, or the matrix's jobs ran without a 'shard' input; the merge job must 'needs:' the shard jobs of the same workflow`,
    );
  }
  const other = found.find((a) => a.count !== first.count);
  if (other)
    throw new InputError(
      `run ${runId}`,
      `has shards of ${first.count} (${first.name}) and of ${other.count} (${other.name}); give every job of the matrix the same n`,
    );
  const parts: NamedResults[] = [];
  const notes = new Map<number, ShardNotes>();
  for (const artifact of found.sort((a, b) => a.index - b.index)) {
    const dir = await downloadArtifactTo({
      octokit,
      owner,
      repo,
      artifactId: artifact.id,
      runId,
      path: join(args.workDir, artifact.name),
      artifactName: artifact.name,
      limits: SHARD_ZIP_LIMITS,
    });
    const source = `artifact ${artifact.name} (id ${artifact.id})`;
    try {
      parts.push({
        origin: artifact.name,
        results: await loadResults(join(dir, RESULTS_FILE), args.meta, { format: 'results' }),
      });
      notes.set(artifact.index, await readShardNotes(dir));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(source, error.message);
      throw error;
    }
  }
  return { count: first.count, parts, notes };
}
