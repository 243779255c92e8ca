/**
 * The one place that talks HTTP to GitHub's REST API. Every other module in
 * src/github gets an Octokit from here and funnels failures through
 * `githubCall`, so the user always sees one line: the operation, the status,
 * and what to do about it.
 */
import { getOctokit } from '@actions/github';
import { GitHubError } from '../errors.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** REST base URL; the runner sets GITHUB_API_URL (GHES: https://host/api/v3). */
  apiUrl?: string;
  /** Extra attempts on 5xx and network failures (default 2). */
  retries?: number;
  /** First back-off in ms, doubled per attempt (default 1000). */
  retryDelayMs?: number;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/** The API URL a runner gives a node action, read from the environment passed in. */
export function apiUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const url = env['GITHUB_API_URL']?.trim();
  return url ? url.replace(/\/+$/, '') : DEFAULT_API_URL;
}

export function createClient(options: ClientOptions): Octokit {
  if (!options.token) throw new GitHubError('github-token is empty: pass a token (the default is ${{ github.token }})');
  // @actions/github reads GITHUB_API_URL once, at import; passing baseUrl
  // explicitly keeps the client right even when the env changes later.
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl ?? DEFAULT_API_URL });
  const retries = options.retries ?? 2;
  const delay = options.retryDelayMs ?? 1000;
  // GitHub answers the odd 502/503 under load; a failed comment after a
  // 20-minute benchmark run is worth two quick retries. 4xx never is.
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const status = statusOf(error);
        const transient = status === null || status >= 500;
        if (!transient || attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay * 2 ** attempt));
      }
    }
  });
  return octokit;
}

/**
 * What the caller was doing, phrased to follow "GitHub refused to ...", and
 * the permission it needs so a 403 can say which one to grant.
 */
export interface Operation {
  what: string;
  permission?: string;
  /** Status-specific advice that beats the generic one (e.g. 403 on a fork's comment). */
  hints?: Partial<Record<number, string>>;
}

/** Runs one REST call; any failure becomes a one-line GitHubError. */
export async function githubCall<T>(operation: Operation, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toGitHubError(operation, error);
  }
}

/**
 * The HTTP status GitHub answered with, or null when no answer came back
 * (Octokit labels transport failures 500 but attaches no response).
 */
export function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const octokitNamed = 'name' in error && (error as { name: unknown }).name === 'HttpError';
  if (octokitNamed && !('response' in error && (error as { response: unknown }).response)) return null;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' && status > 0 ? status : null;
}

function headersOf(error: unknown): Record<string, string | number | undefined> {
  if (typeof error !== 'object' || error === null || !('response' in error)) return {};
  const response = (error as { response: unknown }).response;
  if (typeof response !== 'object' || response === null || !('headers' in response)) return {};
  const headers = (response as { headers: unknown }).headers;
  return typeof headers === 'object' && headers !== null ? (headers as Record<string, string | number | undefined>) : {};
}

function isNetworkFailure(error: unknown, message: string): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return /^E[A-Z]+$/.test(code) || /fetch failed|ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/i.test(message);
}

export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function advice(operation: Operation, status: number, headers: Record<string, string | number | undefined>): string {
  const specific = operation.hints?.[status];
  if (specific) return specific;
  const rateLimited = String(headers['x-ratelimit-remaining'] ?? '') === '0';
  if ((status === 403 || status === 429) && rateLimited) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` (resets at ${new Date(reset * 1000).toISOString()})` : '';
    return `the API rate limit is exhausted${when}; re-run the job later`;
  }
  if (status === 401) return 'the token is invalid or expired; check the github-token input';
  if (status === 403) {
    return operation.permission
      ? `the token lacks permission; grant \`${operation.permission}\` in the workflow's permissions:`
      : "the token lacks permission; check the workflow's permissions:";
  }
  if (status === 404) {
    return operation.permission
      ? `not found, or hidden from this token; check the repository and grant \`${operation.permission}\``
      : 'not found, or hidden from this token; check the repository and the token';
  }
  if (status === 410) return 'it has expired or was deleted';
  if (status === 422) return 'GitHub rejected the request data';
  if (status >= 500) return 'GitHub is having trouble (see https://www.githubstatus.com); re-run the job later';
  return 'unexpected answer from GitHub';
}

export function toGitHubError(operation: Operation, error: unknown): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === null) {
    // @actions/artifact reports HTTP failures as plain Errors: "... (503) ...".
    const embedded = /\((\d{3})\)/.exec(message);
    if (embedded?.[1]) {
      const code = Number(embedded[1]);
      const verb = code >= 500 ? 'failed to' : 'refused to';
      return new GitHubError(`GitHub ${verb} ${operation.what} (${code}): ${advice(operation, code, {})}`, code);
    }
    if (isNetworkFailure(error, message)) {
      return new GitHubError(
        `GitHub could not be reached to ${operation.what}: ${oneLine(message)}; check GITHUB_API_URL, ACTIONS_RESULTS_URL and the runner's network`,
      );
    }
    return new GitHubError(`GitHub failed to ${operation.what}: ${oneLine(message)}`);
  }
  const headers = headersOf(error);
  const requestId = headers['x-github-request-id'];
  const id = requestId ? ` [request ${String(requestId)}]` : '';
  const verb = status >= 500 ? 'failed to' : 'refused to';
  return new GitHubError(`GitHub ${verb} ${operation.what} (${status}): ${advice(operation, status, headers)}${id}`, status);
}
