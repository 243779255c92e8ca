import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeGitHub } from '../support/fake-github.ts';
import { makeZip, readZip } from '../support/zip.ts';

// The stand-in must behave like GitHub where callers depend on it: paging,
// filters, redirects, auth and outages. Raw fetch here, so nothing else masks it.
describe('fake GitHub', () => {
  let fake: FakeGitHub;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(async () => {
    await fake.close();
  });
  const get = (path: string, token = fake.writeToken) =>
    fetch(`${fake.url}${path}`, { headers: { authorization: `token ${token}` }, redirect: 'manual' });

  it('zips round-trip through the writer and reader', () => {
    assert.deepEqual(readZip(makeZip({ 'a.json': '{}', 'dir/b.txt': 'b' })), {
      'a.json': Buffer.from('{}'),
      'dir/b.txt': Buffer.from('b'),
    });
  });

  it('pages comments with a Link header', async () => {
    for (let i = 0; i < 5; i++) fake.addComment(1, `c${i}`);
    const first = await get('/repos/sark/sark/issues/1/comments?per_page=2');
    assert.match(first.headers.get('link') ?? '', /[?&]page=2\b.*rel="next".*[?&]page=3\b.*rel="last"/);
    const last = await get('/repos/sark/sark/issues/1/comments?per_page=2&page=3');
    assert.deepEqual(
      ((await last.json()) as { body: string }[]).map((c) => c.body),
      ['c4'],
    );
    assert.doesNotMatch(last.headers.get('link') ?? '', /rel="next"/);
  });

  it('filters workflow runs by branch, status and event', async () => {
    fake.addRun({ headSha: '1'.repeat(40), status: 'completed', conclusion: 'success' });
    fake.addRun({ headSha: '2'.repeat(40), status: 'completed', conclusion: 'failure' });
    fake.addRun({ headSha: '3'.repeat(40), headBranch: 'dev', event: 'pull_request' });
    const ok = (await (await get('/repos/sark/sark/actions/runs?branch=main&status=success')).json()) as {
      workflow_runs: { head_sha: string }[];
    };
    assert.deepEqual(
      ok.workflow_runs.map((r) => r.head_sha),
      ['1'.repeat(40)],
    );
    const prs = (await (await get('/repos/sark/sark/actions/runs?event=pull_request')).json()) as {
      total_count: number;
    };
    assert.equal(prs.total_count, 1);
  });

  it('redirects an artifact download to a signed blob URL holding the zip; expired artifacts are gone', async () => {
    const run = fake.addRun({ headSha: '4'.repeat(40) });
    const live = fake.addArtifact({ runId: run.id, name: 'x', files: { 'f.txt': 'hello' } });
    const redirect = await get(`/repos/sark/sark/actions/artifacts/${live.id}/zip`);
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location') ?? '';
    assert.match(location, /\.zip\?.*sig=/);
    const blob = await fetch(location);
    assert.equal(blob.headers.get('content-type'), 'application/zip');
    assert.equal(readZip(Buffer.from(await blob.arrayBuffer()))['f.txt']?.toString(), 'hello');
    const old = fake.addArtifact({ runId: run.id, name: 'y', files: { 'f.txt': 'x' }, expired: true });
    assert.equal((await get(`/repos/sark/sark/actions/artifacts/${old.id}/zip`)).status, 410);
  });

  it('refuses writes with the read-only token and unknown tokens entirely', async () => {
    const post = (token: string) =>
      fetch(`${fake.url}/repos/sark/sark/issues/2/comments`, {
        method: 'POST',
        headers: { authorization: `token ${token}` },
        body: JSON.stringify({ body: 'x' }),
      });
    assert.equal((await post(fake.readOnlyToken)).status, 403);
    assert.equal((await post('ghp_unknown')).status, 401);
    assert.equal((await post(fake.writeToken)).status, 201);
    assert.equal((await get('/repos/sark/sark/issues/2/comments', fake.readOnlyToken)).status, 200);
  });

  it('an outage answers every request with its status and a request id', async () => {
    fake.outage = { status: 503, scope: 'all' };
    try {
      const rest = await get('/repos/sark/sark');
      assert.equal(rest.status, 503);
      assert.match(rest.headers.get('x-github-request-id') ?? '', /^FAKE:/);
      const twirp = await fetch(`${fake.url}/twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts`, {
        method: 'POST',
        body: '{}',
      });
      assert.equal(twirp.status, 503);
    } finally {
      fake.outage = null;
    }
    assert.equal((await get('/repos/sark/sark')).status, 200);
  });

  it('gives the env a runner gives a node action, with a runtime token scoped to the run', () => {
    const run = fake.addRun({
      headSha: '5'.repeat(40),
      event: 'pull_request',
      headBranch: 'feature',
      pullRequests: [8],
    });
    const env = fake.env(run.id);
    assert.equal(env['GITHUB_API_URL'], fake.url);
    assert.equal(env['GITHUB_RUN_ID'], String(run.id));
    assert.equal(env['GITHUB_REF'], 'refs/pull/8/merge');
    const payload = JSON.parse(
      Buffer.from(env['ACTIONS_RUNTIME_TOKEN']?.split('.')[1] ?? '', 'base64url').toString(),
    ) as { scp: string };
    assert.match(payload.scp, new RegExp(`Actions\\.Results:run-${run.id}:job-${run.id}`));
  });
});

describe('fake GitHub event payloads', () => {
  it('agree with the REST state they are built from', async () => {
    const { parseWorkflowRunEvent } = await import('../../src/github/fork-report.ts');
    const { pullRequestEvent, pushEvent, workflowRunEvent } = await import('../support/github-events.ts');
    const fake = await FakeGitHub.start();
    try {
      const sha = '6'.repeat(40);
      fake.addPull({ number: 3, headSha: sha, headRepo: 'fork-owner/sark' });
      const run = fake.addRun({ headSha: sha, event: 'pull_request', fromFork: true, pullRequests: [3] });
      const pr = pullRequestEvent(fake, 3) as { pull_request: { head: { sha: string; repo: { fork: boolean } } } };
      assert.equal(pr.pull_request.head.sha, sha);
      assert.equal(pr.pull_request.head.repo.fork, true);
      assert.equal((pushEvent(fake, run.id) as { after: string }).after, sha);
      fake.completeRun(run.id, 'success');
      const triggering = parseWorkflowRunEvent(workflowRunEvent(fake, run.id), 'event.json');
      assert.deepEqual(triggering, {
        runId: run.id,
        workflowName: 'bench',
        headSha: sha,
        headBranch: 'main',
        headRepository: 'fork-owner/sark',
        headRepositoryId: 2002,
        event: 'pull_request',
        conclusion: 'success',
        pullRequests: [],
      });
    } finally {
      await fake.close();
    }
  });
});
