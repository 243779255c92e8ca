import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GitHubError } from '../../src/common/errors.ts';
import { apiUrlFromEnv, createClient, githubCall } from '../../src/github/client.ts';
import { FakeGitHub } from '../support/fake-github.ts';

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GitHubError, `expected GitHubError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('GitHub client', () => {
  let fake: FakeGitHub;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(async () => {
    await fake.close();
  });

  it('reads GITHUB_API_URL from the env it is given, defaulting to api.github.com', () => {
    assert.equal(
      apiUrlFromEnv({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }),
      'https://ghe.example.com/api/v3',
    );
    assert.equal(apiUrlFromEnv({}), 'https://api.github.com');
  });

  it('an outage becomes one line naming the operation, the status and the request id', async () => {
    fake.outage = { status: 503, scope: 'rest' };
    try {
      const octokit = createClient({ token: fake.writeToken, apiUrl: fake.url, retries: 1, retryDelayMs: 0 });
      const error = await failure(
        githubCall({ what: 'read PR #3', permission: 'pull-requests: read' }, () =>
          octokit.rest.pulls.get({ owner: 'sark', repo: 'sark', pull_number: 3 }),
        ),
      );
      assert.equal(error.status, 503);
      assert.match(
        error.message,
        /^GitHub failed to read PR #3 \(503\): GitHub is having trouble .*re-run the job later \[request FAKE:[0-9A-F]+\]$/,
      );
      // one try plus one retry
      assert.equal(fake.requests.filter((r) => r.path === '/repos/sark/sark/pulls/3').length, 2);
    } finally {
      fake.outage = null;
    }
  });

  it('retries a transient 502 and succeeds', async () => {
    fake.addPull({ number: 4, headSha: 'b'.repeat(40) });
    fake.failNext('GET', /\/pulls\/4$/, 502);
    const octokit = createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
    const { data } = await octokit.rest.pulls.get({ owner: 'sark', repo: 'sark', pull_number: 4 });
    assert.equal(data.head.sha, 'b'.repeat(40));
  });

  it('never retries a 4xx, and a 403 names the permission to grant', async () => {
    fake.failNext('GET', /\/actions\/runs\/9$/, 403);
    const octokit = createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
    const error = await failure(
      githubCall({ what: 'read workflow run 9', permission: 'actions: read' }, () =>
        octokit.rest.actions.getWorkflowRun({ owner: 'sark', repo: 'sark', run_id: 9 }),
      ),
    );
    assert.match(
      error.message,
      /^GitHub refused to read workflow run 9 \(403\): the token lacks permission; grant `actions: read`/,
    );
    assert.equal(fake.requests.filter((r) => r.path === '/repos/sark/sark/actions/runs/9').length, 1);
  });

  it('a bad token says so', async () => {
    const octokit = createClient({ token: 'nope', apiUrl: fake.url });
    const error = await failure(
      githubCall({ what: 'read PR #4' }, () => octokit.rest.pulls.get({ owner: 'sark', repo: 'sark', pull_number: 4 })),
    );
    assert.match(error.message, /\(401\): the token is invalid or expired; check the github-token input/);
  });

  it('an exhausted rate limit says when it resets', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(403, {
        'content-type': 'application/json',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1800000000',
      });
      res.end(JSON.stringify({ message: 'API rate limit exceeded' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const octokit = createClient({ token: 't', apiUrl });
      const error = await failure(
        githubCall({ what: 'read PR #1' }, () => octokit.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })),
      );
      assert.match(error.message, /\(403\): the API rate limit is exhausted \(resets at 2027-01-15T08:00:00.000Z\)/);
    } finally {
      server.close();
    }
  });

  it('a plain 429 with Retry-After is waited out and retried; one past the longest wait fails at once', async () => {
    let requests = 0;
    let retryAfter = '1';
    const server = createServer((_req, res) => {
      requests++;
      if (requests % 2 === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
        res.end(JSON.stringify({ message: 'Too many requests' }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ number: 1, head: { sha: 'c'.repeat(40) } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const waits: string[] = [];
      const octokit = createClient({ token: 't', apiUrl, retryDelayMs: 1, onWait: (m) => waits.push(m) });
      const { data } = await octokit.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 });
      assert.equal(data.head.sha, 'c'.repeat(40));
      assert.equal(requests, 2);
      assert.equal(waits.length, 1);
      assert.match(
        waits[0] ?? '',
        /^GitHub answered 429 with Retry-After on GET \/repos\/.*pulls.*; retrying in 1 s\.$/,
      );

      retryAfter = '3600';
      const error = await failure(
        githubCall({ what: 'read PR #1' }, () => octokit.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })),
      );
      assert.equal(error.status, 429);
      assert.equal(requests, 3, 'an hour is past the longest wait: no retry');
    } finally {
      server.close();
    }
  });

  it('an unreachable API is a network error, not a status', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const octokit = createClient({ token: 't', apiUrl: `http://127.0.0.1:${port}`, retries: 0 });
    const error = await failure(
      githubCall({ what: 'read PR #1' }, () => octokit.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })),
    );
    assert.equal(error.status, null);
    assert.match(error.message, /^GitHub could not be reached to read PR #1: .*check GITHUB_API_URL/);
  });
});
