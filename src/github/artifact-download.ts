/**
 * Downloads an artifact of another run (the baseline, or a fork's data) and
 * unpacks it within caps. The REST call goes through our client (deadline,
 * retries); the signed blob URL it redirects to is fetched here with a cap on
 * its size and a deadline on every chunk, so neither a hanging store nor a
 * huge or malformed archive can hold the job.
 */
import { InputError, GitHubError } from '../common/errors.ts';
import { extractZip, formatBytes, type ZipLimits } from './artifact-zip.ts';
import { githubCall, oneLine, requestTimeoutFromEnv, type Octokit } from './client.ts';

export interface DownloadArgs {
  octokit: Octokit;
  owner: string;
  repo: string;
  artifactId: number;
  runId: number;
  /** Directory to extract into (created when missing). */
  path: string;
  /** Names the artifact in error messages. */
  artifactName: string;
  limits: ZipLimits;
  /** Longest wait for the blob's next bytes (default: the client's request deadline). */
  timeoutMs?: number;
}

/** Reads a response body, refusing more than `max` bytes and stalls longer than `timeoutMs`. */
async function readCapped(url: string, max: number, timeoutMs: number, source: string, what: string): Promise<Buffer> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  const rearm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };
  const seconds = Math.round(timeoutMs / 1000);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted)
        throw new GitHubError(
          `GitHub's artifact storage did not answer within ${seconds} s to ${what}; re-run the job later`,
        );
      throw new GitHubError(
        `GitHub's artifact storage could not be reached to ${what}: ${oneLine((error as Error).message)}`,
      );
    }
    if (!response.ok || !response.body)
      throw new GitHubError(`GitHub's artifact storage refused to ${what} (${response.status})`, response.status);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      await response.body.cancel().catch(() => undefined);
      throw new InputError(source, `is ${formatBytes(declared)}, over the ${formatBytes(max)} limit for this artifact`);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rearm();
        received += value.byteLength;
        if (received > max) throw new InputError(source, `is over the ${formatBytes(max)} limit for this artifact`);
        chunks.push(Buffer.from(value));
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      if (error instanceof InputError) throw error;
      const how = controller.signal.aborted ? `stalled for ${seconds} s` : oneLine((error as Error).message);
      throw new GitHubError(
        `The download of ${source} broke off after ${formatBytes(received)} (${how}); re-run the job`,
      );
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/** Downloads and unpacks the artifact; returns the directory it is in. */
export async function downloadArtifactTo(args: DownloadArgs): Promise<string> {
  const { octokit, owner, repo, artifactId, runId, artifactName } = args;
  const what = `download artifact ${artifactName} (id ${artifactId}, run ${runId})`;
  const source = `artifact ${artifactName} (id ${artifactId}, run ${runId})`;
  const { headers, status } = await githubCall({ what, permission: 'actions: read' }, () =>
    octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: artifactId,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    }),
  );
  const location = headers.location;
  if ((status as number) !== 302 || !location)
    throw new GitHubError(`GitHub failed to ${what}: expected a redirect to the archive, got ${status}`, status);
  const zip = await readCapped(
    location,
    args.limits.maxZipBytes,
    args.timeoutMs ?? requestTimeoutFromEnv(process.env),
    source,
    what,
  );
  await extractZip(zip, args.path, args.limits, source);
  return args.path;
}
