/**
 * The comment job (action/jobs/comment.ts) in-process against the fake
 * GitHub: a fork's pull request run leaves its results as data; the
 * workflow_run job reads them, compares them with the baseline of the pull
 * request's own base branch, and comments with its own token.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPORT_ARTIFACT_NAME } from '../../src/github/fork-report.ts';
import { withEnv } from '../support/env.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { workflowRunEvent } from '../support/github-events.ts';
import { resultsAt } from '../support/github-results.ts';

type Loaded = [
  typeof import('../../src/action/jobs/comment.ts'),
  typeof import('../support/jobs.ts'),
  typeof import('../../src/github/report-artifact.ts'),
];
const sha = (n: number): string => n.toString(16).padStart(40, '0');

describe('the comment job', () => {
  let fake: FakeGitHub;
  let job: Loaded[0]['runCommentJob'];
  let runJob: Loaded[1]['runJob'];
  let uploadForkData: Loaded[2]['uploadForkData'];
  before(async () => {
    let loaded: Loaded;
    ({ fake, loaded } = await FakeGitHub.startWith(() =>
      Promise.all([
        import('../../src/action/jobs/comment.ts'),
        import('../support/jobs.ts'),
        import('../../src/github/report-artifact.ts'),
      ]),
    ));
    [{ runCommentJob: job }, { runJob }, { uploadForkData }] = loaded;
  });
  after(() => fake.close());

  /** A fork's pull request into `baseRef`, and its finished run that left its results as data. */
  async function forkRunWithData(pr: number, headSha: string, baseRef: string): Promise<number> {
    fake.addPull({ number: pr, headSha, baseSha: sha(1), baseRef, headRepo: 'fork-owner/sark', headRef: 'main' });
    const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'main', fromFork: true, pullRequests: [pr] });
    const results = resultsAt(headSha, '2026-12-01T10:00:00.000Z', 100);
    const scratch = await mkdtemp(join(tmpdir(), 'bench-fork-data-'));
    await withEnv(fake.env(run.id), () => uploadForkData({ prNumber: pr, headSha, results }, scratch));
    fake.completeRun(run.id, 'success');
    return run.id;
  }

  it("compares with the baseline of the pull request's own base branch and comments; the fork's run is the check", async () => {
    // A baseline on release only: found only when the job plans with the fork's pull request (base: release).
    const base = fake.addRun({ headSha: sha(1), headBranch: 'release', status: 'completed', conclusion: 'success' });
    fake.addArtifact({
      runId: base.id,
      name: 'bench-baseline',
      files: { 'results.json': JSON.stringify(resultsAt(sha(1), '2026-11-30T10:00:00.000Z', 100)) },
    });
    const forkRun = await forkRunWithData(21, sha(21), 'release');
    const commentRun = fake.addRun({ headSha: sha(1), event: 'workflow_run' });
    const { error, outputs, log } = await runJob(fake, job, {
      runId: commentRun.id,
      inputs: { mode: 'comment' },
      payload: workflowRunEvent(fake, forkRun),
    });
    assert.equal(error, null, String(error));
    assert.ok(log.lines.some((line) => /measured 1 benchmarks for PR #21/.test(line)));
    assert.equal(outputs.values.get('verdict'), 'pass', 'compared with the release baseline');
    const [comment] = fake.commentsOn(21);
    assert.ok(comment);
    assert.match(comment.body, /release/);
    assert.equal(fake.artifactsOf(commentRun.id, 'bench-baseline').length, 0, 'a pull request never uploads one');
  });

  it('a triggering run without data: nothing to post, and it says why', async () => {
    fake.addPull({ number: 22, headSha: sha(22), baseSha: sha(1), headRepo: 'fork-owner/sark', headRef: 'main' });
    const run = fake.addRun({
      headSha: sha(22),
      event: 'pull_request',
      headBranch: 'main',
      fromFork: true,
      pullRequests: [22],
      status: 'completed',
      conclusion: 'success',
    });
    const commentRun = fake.addRun({ headSha: sha(1), event: 'workflow_run' });
    const { error, log, outputs } = await runJob(fake, job, {
      runId: commentRun.id,
      inputs: { mode: 'comment' },
      payload: workflowRunEvent(fake, run.id),
    });
    assert.equal(error, null);
    assert.ok(log.lines.some((line) => line.startsWith('info: Nothing to post:')));
    assert.ok(log.lines.some((line) => line.includes(REPORT_ARTIFACT_NAME)));
    assert.equal(fake.commentsOn(22).length, 0);
    assert.equal(outputs.values.size, 0);
  });
});
