/**
 * The one place that talks HTTP to GitHub's REST API. Every other module in
 * src/github gets an Octokit from here and funnels failures through
 * `githubCall`, so the user always sees one line: the operation, the status,
 * and what to do about it.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { GitHubError } from '../common/errors.ts';

export type Octokit = ReturnType<typeof getOctokit>;

/** Every request (headers and body) must be answered within this; then it counts as failed. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The longest wait for a rate limit to clear (Retry-After, x-ratelimit-reset) before giving up. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_S = 60;

export interface ClientOptions {
  token: string;
  /** REST base URL; the runner sets GITHUB_API_URL (GHES: https://host/api/v3). */
  apiUrl?: string;
  /** Extra attempts on 5xx, timeouts and network failures (default 2). */
  retries?: number;
  /** Back-off unit in ms: attempt n waits n² units (default 1000); also the unit of Retry-After. */
  retryDelayMs?: number;
  /** Deadline per request attempt (default 30 s). */
  timeoutMs?: number;
  /** Longest rate-limit wait honoured, in seconds (default 60). */
  maxRateLimitWaitS?: number;
  /** Told about each rate-limit wait, so the log explains a pause. */
  onWait?: (message: string) => void;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/** The API URL a runner gives a node action, read from the environment passed in. */
export function apiUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const url = env['GITHUB_API_URL']?.trim();
  return url ? url.replace(/\/+$/, '') : DEFAULT_API_URL;
}

/**
 * The per-request deadline: BENCH_ACTION_REQUEST_TIMEOUT (seconds) when set,
 * for a slow GitHub Enterprise Server or tests, else 30 s.
 */
export function requestTimeoutFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const seconds = Number(env['BENCH_ACTION_REQUEST_TIMEOUT'] ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS;
}

/** A request that got no (complete) answer before its deadline. */
export class RequestTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'RequestTimeout';
  }
}

/**
 * fetch with a deadline on the whole exchange, body included: the body is
 * read here, so a server that sends headers and then stalls times out too.
 * Each attempt gets its own deadline, so retries are not born expired.
 */
export function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const response = await fetch(input, { ...init, signal });
      const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
      const buffered = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      // Pagination reads the final URL (after redirects) from the response.
      Object.defineProperty(buffered, 'url', { value: response.url });
      return buffered;
    } catch (error) {
      if (deadline.aborted) throw new RequestTimeout(timeoutMs);
      throw error;
    }
  };
}

export function createClient(options: ClientOptions): Octokit {
  if (!options.token) throw new GitHubError('github-token is empty: pass a token (the default is ${{ github.token }})');
  const unit = options.retryDelayMs ?? 1000;
  const maxWait = options.maxRateLimitWaitS ?? DEFAULT_MAX_RATE_LIMIT_WAIT_S;
  const retries = options.retries ?? 2;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A rate limit is waited out only when it clears soon: a job that sleeps
  // for an hour costs more than a re-run.
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      if (retryCount >= retries || retryAfter > maxWait) return false;
      options.onWait?.(`GitHub's ${kind} was hit on ${request.method} ${request.url}; retrying in ${retryAfter} s.`);
      return true;
    };
  // @actions/github reads GITHUB_API_URL once, at import; passing baseUrl
  // explicitly keeps the client right even when the env changes later.
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl ?? DEFAULT_API_URL,
      request: { fetch: fetchWithDeadline(timeoutMs) },
      // 5xx, timeouts and network failures are retried; 4xx never, and rate
      // limits (403/429) are the throttling plugin's to wait out.
      retry: { retries, retryAfterBaseValue: unit, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: maxWait,
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
    },
    retry,
    throttling,
  );
  const policy = { retries, unit, maxWait, onWait: options.onWait };
  octokit.hook.wrap('request', (request, req) =>
    honourRetryAfter(policy, async () => request(req), `${req.method} ${req.url}`),
  );
  return octokit;
}

interface RetryAfterPolicy {
  retries: number;
  /** Milliseconds per second of Retry-After (tests shrink it). */
  unit: number;
  maxWait: number;
  onWait: ((message: string) => void) | undefined;
}

/**
 * A plain 429 (or 403) with Retry-After and no word of a secondary or primary
 * limit in it, which the throttling plugin does not retry: waited out like the
 * others, when it clears within the longest wait, at most `retries` times.
 */
async function honourRetryAfter<T>(policy: RetryAfterPolicy, send: () => Promise<T>, what: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const wait = plainRetryAfter(error);
      if (wait === null || attempt >= policy.retries || wait > policy.maxWait) throw error;
      policy.onWait?.(`GitHub answered ${statusOf(error)} with Retry-After on ${what}; retrying in ${wait} s.`);
      await new Promise((done) => setTimeout(done, wait * policy.unit));
    }
  }
}

/** The seconds a 429/403 asks to wait, when the throttling plugin left it alone; else null. */
function plainRetryAfter(error: unknown): number | null {
  const status = statusOf(error);
  if (status !== 429 && status !== 403) return null;
  const headers = headersOf(error);
  const seconds = Number(headers['retry-after']);
  if (headers['retry-after'] === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  // Those two the throttling plugin waits out (or refused to) already.
  if (headers['x-ratelimit-remaining'] === '0' || headers['x-ratelimit-remaining'] === 0) return null;
  if (/\bsecondary rate\b/i.test(error instanceof Error ? error.message : '')) return null;
  return Math.ceil(seconds);
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
  return typeof headers === 'object' && headers !== null
    ? (headers as Record<string, string | number | undefined>)
    : {};
}

function isNetworkFailure(error: unknown, message: string): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return /^E[A-Z]+$/.test(code) || /fetch failed|ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/i.test(message);
}

export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function advice(
  operation: Operation,
  status: number,
  headers: Record<string, string | number | undefined>,
  message = '',
): string {
  const specific = operation.hints?.[status];
  if (specific) return specific;
  if ((status === 403 || status === 429) && /secondary rate limit/i.test(message)) {
    return `GitHub's secondary rate limit did not clear within the ${DEFAULT_MAX_RATE_LIMIT_WAIT_S} s this action waits; re-run the job later`;
  }
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
    const timeout =
      error instanceof RequestTimeout
        ? error
        : error instanceof Error && error.cause instanceof RequestTimeout
          ? error.cause
          : null;
    if (timeout) {
      return new GitHubError(
        `GitHub did not answer within ${Math.round(timeout.timeoutMs / 1000)} s to ${operation.what}, nor on retry; re-run the job later`,
      );
    }
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
  return new GitHubError(
    `GitHub ${verb} ${operation.what} (${status}): ${advice(operation, status, headers, message)}${id}`,
    status,
  );
}
