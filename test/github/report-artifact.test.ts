import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import {
  MAX_REPORT_BODY,
  REPORT_ARTIFACT_NAME,
  parseForkReport,
  parseWorkflowRunEvent,
  serializeForkReport,
  type ForkReport,
} from '../../src/github/fork-report.ts';
import type { Octokit } from '../../src/github/client.ts';
import { withEnv } from '../support/env.ts';
import { FakeGitHub } from '../support/fake-github.ts';

// Modules that load @actions/github are imported through FakeGitHub.startWith.
type ReportModule = typeof import('../../src/github/report-artifact.ts');
type StickyModule = typeof import('../../src/github/sticky-comment.ts');

const HEAD = 'c'.repeat(40);
const report = (over: Partial<ForkReport> = {}): ForkReport => ({
  prNumber: 12,
  body: '## Benchmarks\n| bench | change |\n|---|---|\n| opa/eval | -3% |',
  marker: '<!-- bench-action:bench/criterion -->',
  headSha: HEAD,
  verdict: 'pass',
  ...over,
});

function rejectsInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'));
    return true;
  });
}

describe('fork report: validation', () => {
  it('round-trips through its JSON form', () => {
    assert.deepEqual(parseForkReport(serializeForkReport(report()), 'x'), report());
  });

  it('rejects anything not shaped like our report, naming the artifact', () => {
    const source = 'artifact bench-action-report of run 5';
    rejectsInput(() => parseForkReport('nope', source), /^artifact bench-action-report of run 5: is not JSON; it was not written by bench-action/);
    rejectsInput(() => parseForkReport(JSON.stringify({ ...report(), prNumber: '12' }), source), /prNumber must be a positive integer/);
    rejectsInput(() => parseForkReport(JSON.stringify({ ...report(), marker: '<!-- other -->' }), source), /marker must be a bench-action marker/);
    rejectsInput(() => parseForkReport(JSON.stringify({ ...report(), marker: '<!-- bench-action:x --><img src=x> -->' }), source), /marker/);
    rejectsInput(() => parseForkReport(JSON.stringify({ ...report(), headSha: 'main' }), source), /headSha must be a 40-character commit SHA/);
    rejectsInput(() => parseForkReport(JSON.stringify({ ...report(), verdict: 'fail' }), source), /verdict must be one of pass, regression, no-baseline/);
    rejectsInput(() => parseForkReport('[]', source), /is not a JSON object/);
  });

  it('caps an oversized body and strips control characters, keeping it as text', () => {
    const parsed = parseForkReport(JSON.stringify(report({ body: `a\u0000b${'x'.repeat(100_000)}` })), 's');
    assert.equal(parsed.body.length, MAX_REPORT_BODY);
    assert.ok(parsed.body.startsWith('ab'));
    assert.match(parsed.body, /report truncated to fit a GitHub comment/);
  });

  it('reads the triggering run from a workflow_run payload', () => {
    const run = parseWorkflowRunEvent(
      { action: 'completed', workflow_run: { id: 9, head_sha: HEAD, event: 'pull_request', conclusion: 'failure', pull_requests: [{ number: 12 }] } },
      'event.json',
    );
    assert.deepEqual(run, { runId: 9, headSha: HEAD, event: 'pull_request', conclusion: 'failure', pullRequests: [12] });
    rejectsInput(() => parseWorkflowRunEvent({ pull_request: {} }, 'event.json'), /^event\.json: has no workflow_run object; mode: comment must run on a workflow_run event$/);
  });
});

describe('fork report: artifact round trip', () => {
  let fake: FakeGitHub;
  let mod: ReportModule;
  let sticky: StickyModule;
  let writer: Octokit;
  let work: string;
  before(async () => {
    let loaded: [ReportModule, StickyModule, typeof import('../../src/github/client.ts')];
    ({ fake, loaded } = await FakeGitHub.startWith(() =>
      Promise.all([import('../../src/github/report-artifact.ts'), import('../../src/github/sticky-comment.ts'), import('../../src/github/client.ts')]),
    ));
    [mod, sticky] = loaded;
    writer = loaded[2].createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
    work = await mkdtemp(join(tmpdir(), 'bench-action-report-'));
  });
  after(async () => {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  });

  function forkRun(prNumber: number, headSha = HEAD) {
    fake.addPull({ number: prNumber, headSha, headRepo: 'fork-owner/sark' });
    return fake.addRun({ headSha, event: 'pull_request', headBranch: 'main', fromFork: true, pullRequests: [prNumber] });
  }
  const triggering = (runId: number, headSha = HEAD) =>
    parseWorkflowRunEvent({ workflow_run: { id: runId, head_sha: headSha, event: 'pull_request', conclusion: 'success', pull_requests: [] } }, 'event.json');

  it('a fork run uploads its report; the comment mode finds it, checks it and posts the sticky comment', async () => {
    const run = forkRun(12);
    const { id } = await withEnv(fake.env(run.id), () => mod.uploadForkReport(report(), join(work, 'phase1')));
    assert.deepEqual(fake.artifactsOf(run.id, REPORT_ARTIFACT_NAME).map((a) => a.id), [id]);
    fake.completeRun(run.id, 'success');

    const loaded = await mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(run.id), workDir: join(work, 'phase2') });
    assert.deepEqual(loaded, { report: report() });
    if (!loaded.report) return;
    const posted = await sticky.upsertStickyComment({
      octokit: writer,
      owner: fake.owner,
      repo: fake.repo,
      issueNumber: loaded.report.prNumber,
      body: loaded.report.body,
      marker: loaded.report.marker,
      mode: 'always',
      hasNews: true,
    });
    assert.equal(posted.action, 'created');
    assert.equal(fake.commentsOn(12)[0]?.body, `${report().marker}\n${report().body}`);
  });

  it('no report artifact in the run: nothing to post, and says why', async () => {
    const run = forkRun(13);
    const loaded = await mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(run.id), workDir: join(work, 'none') });
    assert.equal(loaded.report, null);
    assert.match('reason' in loaded ? loaded.reason : '', new RegExp(`run ${run.id} left no bench-action-report artifact`));
  });

  it('a report naming another PR or commit than the run built is refused', async () => {
    const run = forkRun(14);
    fake.addPull({ number: 99, headSha: 'd'.repeat(40) });
    fake.addArtifact({ runId: run.id, name: REPORT_ARTIFACT_NAME, files: { 'report.json': serializeForkReport(report({ prNumber: 99 })) } });
    const loaded = await mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(run.id), workDir: join(work, 'spoof') });
    // PR #99's head is not the commit this run built: nothing is posted there.
    assert.equal(loaded.report, null);
    assert.equal(fake.commentsOn(99).length, 0);

    const other = forkRun(15);
    fake.addArtifact({ runId: other.id, name: REPORT_ARTIFACT_NAME, files: { 'report.json': serializeForkReport(report({ prNumber: 15, headSha: 'e'.repeat(40) })) } });
    await assert.rejects(
      mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(other.id), workDir: join(work, 'sha') }),
      /is for commit eeeeeeeeeeee but run \d+ built cccccccccccc; no comment is posted/,
    );
  });

  it('a malformed report artifact fails with one line naming it', async () => {
    const run = forkRun(16);
    fake.addArtifact({ runId: run.id, name: REPORT_ARTIFACT_NAME, files: { 'report.json': '{"prNumber": 16}' } });
    await assert.rejects(
      mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(run.id), workDir: join(work, 'bad') }),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(error.message, `artifact bench-action-report of run ${run.id}: body must be a non-empty string; it was not written by bench-action, so no comment is posted`);
        return true;
      },
    );
    const empty = forkRun(17);
    fake.addArtifact({ runId: empty.id, name: REPORT_ARTIFACT_NAME, files: { 'other.txt': 'x' } });
    await assert.rejects(
      mod.loadForkReport({ octokit: writer, owner: fake.owner, repo: fake.repo, token: fake.writeToken, run: triggering(empty.id), workDir: join(work, 'empty') }),
      /has no report\.json/,
    );
  });
});
