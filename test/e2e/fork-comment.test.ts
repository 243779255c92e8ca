/**
 * mode: comment against a hostile fork: whatever the fork's artifact holds,
 * the bundled action posts only what its own renderer made from validated
 * numbers, on the fork's own open PR, under a marker GitHub's payload names.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slowDown } from '../../evaluation/verdicts/evaluate.ts';
import { stickyMarker } from '../../src/github/sticky-comment.ts';
import type { Results } from '../../src/schema/types.ts';
import { NODE20, REPO_ROOT, runAction, type ActionRun } from '../support/action-runner.ts';
import { FakeGitHub, type FakeRun } from '../support/fake-github.ts';
import { workflowRunEvent } from '../support/github-events.ts';

const RUN_A_JSON = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
const HOSTILE =
  '@octocat ![x](https://attacker.example/p.png) <img src=x onerror=alert(1)> <details open><summary>Click</summary>[login](https://attacker.example/phish)</details>';

/** The pair the base branch declares: the comment job computes this one, whatever a fork declares. */
const BASE_PAIR = { name: 'iter 40 against iter 10', contender: 'fib/iter/40', reference: 'fib/iter/10' };

function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

describe('Node 20: mode: comment posts only what our renderer made', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let runA: Results;
  const mainSha = sha('main');
  before(async () => {
    fake = await FakeGitHub.start();
    runA = JSON.parse(await readFile(RUN_A_JSON, 'utf8')) as Results;
    // The base branch's baseline, as a push run leaves it.
    const push = fake.addRun({ headSha: mainSha, status: 'completed', conclusion: 'success' });
    fake.addArtifact({
      runId: push.id,
      name: 'bench-baseline',
      files: { 'results.json': JSON.stringify({ ...runA, run: { ...runA.run, commit: mainSha }, pairs: [BASE_PAIR] }) },
    });
  });
  after(() => fake.close());

  /** A fork PR whose completed pull_request run (named `workflow`) left `files` as its artifact. */
  function forkPull(
    number: number,
    files: Record<string, string>,
    options: { workflow?: string; event?: string; headRef?: string } = {},
  ): FakeRun {
    const headSha = sha(`fork-${number}`);
    fake.addPull({
      number,
      headSha,
      baseSha: mainSha,
      headRepo: 'fork-owner/sark',
      headRef: options.headRef ?? 'main',
    });
    fake.setMergeBase(mainSha, headSha, mainSha);
    const run = fake.addRun({
      headSha,
      event: options.event ?? 'pull_request',
      headBranch: 'main',
      fromFork: true,
      pullRequests: [number],
      name: options.workflow ?? 'bench PR',
      status: 'completed',
      conclusion: 'success',
    });
    fake.addArtifact({ runId: run.id, name: 'bench-action-report', files });
    return run;
  }

  function data(prNumber: number, headSha: string, results: Results): Record<string, string> {
    return { 'pull-request.json': JSON.stringify({ dataVersion: 2, prNumber, headSha, results }) };
  }

  function comment(triggering: FakeRun, inputs: Record<string, string> = {}): Promise<ActionRun> {
    const run = fake.addRun({
      headSha: mainSha,
      event: 'workflow_run',
      name: 'bench comment',
      path: '.github/workflows/bench-comment.yml',
    });
    return runAction({
      node: NODE20,
      env: fake.env(run.id, { GITHUB_JOB: 'comment' }),
      event: workflowRunEvent(fake, triggering.id),
      inputs: { mode: 'comment', 'github-token': fake.writeToken, ...inputs },
    });
  }

  it('a comment workflow without pull-requests: write is told to grant it, not to use the comment workflow it is in', async () => {
    const triggering = forkPull(56, data(56, sha('fork-56'), runA));
    const result = await comment(triggering, { 'github-token': fake.readOnlyToken });
    assert.equal(result.code, 1, explain(result));
    assert.equal(result.errors.length, 1, explain(result));
    assert.match(
      result.errors[0] ?? '',
      /^GitHub refused to comment on PR #56 \(403\): the token lacks permission; grant `pull-requests: write` in the workflow's permissions:/,
    );
    assert.doesNotMatch(result.errors[0] ?? '', /mode: comment|fork/);
    assert.match(result.summary, /Benchmark results/, 'the report is in the job summary all the same');
  });

  it('an artifact carrying a finished comment (mentions, tracking image, HTML) is refused: nothing of it is posted', async () => {
    const headSha = sha('fork-50');
    const old = forkPull(50, {
      'report.json': JSON.stringify({
        prNumber: 50,
        headSha,
        body: HOSTILE,
        marker: '<!-- bench-action:other/job -->',
        verdict: 'pass',
      }),
    });
    const result = await comment(old);
    assert.equal(result.code, 1, explain(result));
    assert.match(
      result.errors[0] ?? '',
      /^artifact bench-action-report \(id \d+, run \d+\): has no pull-request\.json: it was not written by this version of bench-action, so no comment is posted$/,
    );
    assert.equal(fake.commentsOn(50).length, 0);
    assert.equal(result.outputs['verdict'], undefined, 'no verdict taken from the artifact');
  });

  it('hostile benchmark names go through our escaping; verdict, marker and outputs are computed here', async () => {
    const headSha = sha('fork-51');
    // The fork's numbers are 20% slower, and its names carry markdown and HTML.
    const slower = slowDown(runA, 1.2);
    const renamed: Results = {
      ...slower,
      run: { ...slower.run, commit: headSha },
      benchmarks: slower.benchmarks.map((b, i) => (i === 0 ? { ...b, id: `${b.id} ${HOSTILE}` } : b)),
    };
    const triggering = forkPull(51, data(51, headSha, renamed));
    // Another workflow's sticky comment on the same PR must survive.
    const other = fake.addComment(51, `${stickyMarker('other', 'job')}\nsomeone else's report`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const result = await comment(triggering, { 'fail-on-regression': 'true' });
    assert.equal(result.code, 0, explain(result));
    // Computed from the numbers, here: regressions against a one-run baseline, which cannot fail the build yet.
    assert.equal(result.outputs['verdict'], 'possible-regression', 'computed from the numbers, here');
    assert.ok(Number(result.outputs['regressions']) >= runA.benchmarks.length - 3, result.outputs['regressions']);
    const ours = fake.commentsOn(51).filter((c) => c.id !== other.id);
    assert.equal(ours.length, 1);
    const body = ours[0]?.body ?? '';
    assert.ok(body.startsWith(stickyMarker('bench PR', 'comment')), body.slice(0, 80));
    for (const raw of ['@octocat', '![x]', '<details open>', '](https://attacker.example'])
      assert.ok(!body.includes(raw), `'${raw}' was posted raw`);
    assert.doesNotMatch(body, /(?<!\\)<img/, 'an <img> tag was posted raw');
    assert.match(body, /@\u200boctocat/);
    assert.equal(
      fake.state.comments.find((c) => c.id === other.id)?.body,
      `${stickyMarker('other', 'job')}\nsomeone else's report`,
    );
    assert.equal(result.outputs['comment-id'], String(ours[0]?.id));
  });

  it("computes the base branch's pairs on the fork's numbers, never the pairs the fork declares", async () => {
    const headSha = sha('fork-57');
    const pairs = Array.from({ length: 50 }, (_, i) => ({
      name: `fork pair ${i}`,
      contender: 'count/nonzero',
      reference: 'lone_fn',
    }));
    const triggering = forkPull(57, data(57, headSha, { ...runA, run: { ...runA.run, commit: headSha }, pairs }));
    const result = await comment(triggering);
    assert.equal(result.code, 0, explain(result));
    const body = fake.commentsOn(57)[0]?.body ?? '';
    assert.match(body, /iter 40 against iter 10 \| [\d.]+x slower than fib\/iter\/10/);
    assert.ok(!body.includes('fork pair'), 'a pair the fork declared was computed');
  });

  it("names the head by the commit the claim checks verified, never by the document's run.commit", async () => {
    const headSha = sha('fork-58');
    const planted = sha('planted');
    const triggering = forkPull(58, data(58, headSha, { ...runA, run: { ...runA.run, commit: planted } }));
    const result = await comment(triggering);
    assert.equal(result.code, 0, explain(result));
    const body = fake.commentsOn(58)[0]?.body ?? '';
    assert.match(body, new RegExp(`head \`${headSha.slice(0, 7)}\``));
    assert.ok(!body.includes(planted.slice(0, 7)), 'the commit the fork wrote was posted');
    const json = (result.outputs['report-path'] ?? '').replace(/\.report\.md$/, '.report.json');
    const report = JSON.parse(await readFile(json, 'utf8')) as { head: { commit: string } };
    assert.equal(report.head.commit, headSha);
  });

  it('a run triggered by push is not a pull request: nothing is downloaded or posted', async () => {
    const triggering = forkPull(52, data(52, sha('fork-52'), runA), { event: 'push' });
    const result = await comment(triggering);
    assert.equal(result.code, 0, explain(result));
    assert.match(result.stdout, /Nothing to post: run \d+ was triggered by 'push', not pull_request/);
    assert.equal(fake.commentsOn(52).length, 0);
    assert.ok(!fake.requests.some((r) => r.path.includes(`/actions/runs/${triggering.id}/artifacts`)));
  });

  it('data claiming another PR that shares the head commit is refused', async () => {
    const headSha = sha('fork-53');
    const triggering = forkPull(53, data(54, headSha, runA));
    // PR #54: same commit, but from the base repository's own branch.
    fake.addPull({ number: 54, headSha, baseSha: mainSha, headRef: 'shared' });
    const result = await comment(triggering);
    assert.equal(result.code, 1, explain(result));
    assert.match(
      result.errors[0] ?? '',
      /names PR #54, whose head is sark\/sark:shared, but run \d+ built fork-owner\/sark:main; no comment is posted$/,
    );
    assert.equal(fake.commentsOn(54).length, 0);
    assert.equal(fake.commentsOn(53).length, 0);
  });

  it('a closed PR gets no comment', async () => {
    const triggering = forkPull(55, data(55, sha('fork-55'), runA));
    const pull = fake.state.pulls.get(55);
    assert.ok(pull);
    pull.state = 'closed';
    const result = await comment(triggering);
    assert.equal(result.code, 0, explain(result));
    assert.match(result.stdout, /Nothing to post: PR #55 is closed/);
    assert.equal(fake.commentsOn(55).length, 0);
  });
});
