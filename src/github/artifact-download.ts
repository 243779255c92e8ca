/**
 * Downloads an artifact of another run (the baseline, or a fork's data) and
 * unpacks it within caps. The REST call goes through our client (deadline,
 * retries); the signed blob URL it redirects to is fetched here with a cap on
 * its size, a deadline on every chunk, a minimum average rate and a deadline
 * for the whole, so neither a hanging or trickling store nor a huge or
 * malformed archive can hold the job.
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
  /** Slowest average rate accepted once `timeoutMs` has passed (default MIN_BYTES_PER_SECOND). */
  minBytesPerSecond?: number;
  /** Longest the whole download may take (default: `timeoutMs` plus the size cap at the minimum rate). */
  deadlineMs?: number;
}

/**
 * The slowest download accepted, on average from the first byte asked for:
 * GitHub's artifact storage serves runners at many MB/s, and a blob that
 * trickles (one byte a second resets no per-chunk deadline) must not hold the
 * job. At this rate the fork data's 8 MB cap takes 32 s, the baseline's 128 MB 8.5 min.
 */
export const MIN_BYTES_PER_SECOND = 256 * 1024;

interface Pace {
  /** Longest wait for the next bytes, and the grace before the rate counts. */
  stallMs: number;
  minBytesPerSecond: number;
  deadlineMs: number;
}

/**
 * Reads a response body, refusing more than `max` bytes, stalls, a rate under the minimum and a download past its
 * deadline.
 */
async function readCapped(url: string, max: number, pace: Pace, source: string, what: string): Promise<Buffer> {
  const controller = new AbortController();
  const started = Date.now();
  let received = 0;
  let why: string | null = null;
  const stop = (reason: string): void => {
    why ??= reason;
    controller.abort();
  };
  const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
  let timer = setTimeout(() => stop(`stalled for ${seconds(pace.stallMs)}`), pace.stallMs);
  const rearm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => stop(`stalled for ${seconds(pace.stallMs)}`), pace.stallMs);
  };
  // Checked on a clock, not on arrival: a trickle must be cut even between its bytes.
  const pacer = setInterval(
    () => {
      const elapsed = Date.now() - started;
      if (elapsed >= pace.deadlineMs) stop(`did not finish within ${seconds(pace.deadlineMs)}`);
      else if (elapsed >= pace.stallMs && received < (pace.minBytesPerSecond * elapsed) / 1000)
        stop(
          `it came at ${formatBytes(Math.round((received * 1000) / elapsed))}/s, under the minimum of ${formatBytes(pace.minBytesPerSecond)}/s`,
        );
    },
    Math.min(1000, Math.max(50, pace.stallMs / 4)),
  );
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted)
        throw new GitHubError(
          `GitHub's artifact storage did not answer within ${seconds(Math.min(pace.stallMs, pace.deadlineMs))} to ${what}; re-run the job later`,
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
      const how = controller.signal.aborted && why !== null ? why : oneLine((error as Error).message);
      throw new GitHubError(
        `The download of ${source} broke off after ${formatBytes(received)} (${how}); re-run the job`,
      );
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
    clearInterval(pacer);
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
  const stallMs = args.timeoutMs ?? requestTimeoutFromEnv(process.env);
  const minBytesPerSecond = args.minBytesPerSecond ?? MIN_BYTES_PER_SECOND;
  const deadlineMs = args.deadlineMs ?? stallMs + (args.limits.maxZipBytes / minBytesPerSecond) * 1000;
  const zip = await readCapped(
    location,
    args.limits.maxZipBytes,
    { stallMs, minBytesPerSecond, deadlineMs },
    source,
    what,
  );
  await extractZip(zip, args.path, args.limits, source);
  return args.path;
}
