/**
 * The bundled action against a GitHub that misbehaves or an artifact that is
 * hostile: malformed, truncated or lying zips, endpoints that never answer,
 * rate limits. Each case ends the step quickly with one clear line, and the
 * report is written before anything that can hang. Node 20 only: none of this
 * depends on the runtime, and each case costs a child process.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Results } from '../../src/schema/types.ts';
import { scaled, synthetic } from '../compare/synthetic.ts';
import { REPO_ROOT, NODE20, newWorkspace, runAction, type ActionRun } from '../support/action-runner.ts';
import { COMMENT_LIMIT, FakeGitHub, type FakeRun } from '../support/fake-github.ts';
import { pullRequestEvent, workflowRunEvent } from '../support/github-events.ts';
import { makeZip } from '../support/zip.ts';

const RUN_A_JSON = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
/** Short deadlines so a hang costs seconds here; the default is 30 s per request. */
const FAST = { BENCH_ACTION_REQUEST_TIMEOUT: '1' };

export function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

export function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

/** A baseline push run on main that succeeded, with an artifact holding `bytes` or `files`. */
function seedBaseline(
  fake: FakeGitHub,
  label: string,
  content: { bytes?: Buffer; files?: Record<string, string | Buffer> },
  name = 'bench-baseline',
): FakeRun {
  const run = fake.addRun({ headSha: sha(label), status: 'completed', conclusion: 'success' });
  fake.addArtifact({ runId: run.id, name, ...content });
  return run;
}

function openPull(fake: FakeGitHub, number: number, options: { fork?: boolean } = {}): FakeRun {
  const headSha = sha(`pr-${number}`);
  fake.addPull({
    number,
    headSha,
    baseSha: sha('base'),
    ...(options.fork ? { headRepo: 'fork-owner/sark', headRef: 'main' } : {}),
  });
  fake.setMergeBase(sha('base'), headSha, sha('base'));
  return fake.addRun({
    headSha,
    event: 'pull_request',
    headBranch: options.fork ? 'main' : `feature-${number}`,
    fromFork: options.fork ?? false,
    pullRequests: [number],
  });
}

describe('Node 20: hostile artifacts and a misbehaving GitHub', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(() => fake.close());

  async function prRun(
    number: number,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
    token = fake.writeToken,
  ): Promise<{ result: ActionRun; ms: number; run: FakeRun }> {
    const run =
      fake.state.runs.get(
        [...fake.state.runs.values()].filter((r) => r.pullRequests.includes(number)).at(-1)?.id ?? -1,
      ) ?? openPull(fake, number);
    const started = Date.now();
    const result = await runAction({
      node: NODE20,
      env: fake.env(run.id, { ...FAST, ...env }),
      event: pullRequestEvent(fake, number),
      inputs: {
        mode: 'compare',
        'github-token': token,
        results: RUN_A_JSON,
        'baseline-artifact': `b-${number}`,
        ...inputs,
      },
      timeoutMs: 90_000,
    });
    return { result, ms: Date.now() - started, run };
  }

  /** The baseline step failed with one line matching `pattern`; the report was still written. */
  function failedBaseline(result: ActionRun, pattern: RegExp): void {
    assert.equal(result.code, 1, explain(result));
    assert.equal(result.errors.length, 1, explain(result));
    assert.match(result.errors[0] ?? '', pattern);
    assert.ok(!/\n\s+at .+:\d+:\d+/.test(result.stdout + result.stderr), 'no stack trace');
    assert.equal(result.outputs['verdict'], 'no-baseline');
    assert.match(result.summary, /the baseline could not be fetched/);
  }

  it('a 704-byte malformed baseline artifact fails within seconds, naming it', async () => {
    const garbage = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(700, 0x41)]);
    const run = fake.addRun({ headSha: sha('garbage'), status: 'completed', conclusion: 'success' });
    const artifact = fake.addArtifact({ runId: run.id, name: 'b-30', bytes: garbage });
    openPull(fake, 30);
    const { result, ms } = await prRun(30);
    failedBaseline(
      result,
      new RegExp(
        `^artifact b-30 \\(id ${artifact.id}, run ${run.id}\\): is not a valid zip archive \\(.+\\); it is damaged`,
      ),
    );
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  it('a truncated baseline blob fails at once and blames the artifact, not GitHub', async () => {
    const whole = makeZip({ 'results.json': await readFile(RUN_A_JSON) }, { deflate: true });
    const run = fake.addRun({ headSha: sha('truncated'), status: 'completed', conclusion: 'success' });
    fake.addArtifact({ runId: run.id, name: 'b-31', bytes: whole.subarray(0, Math.floor(whole.length * 0.6)) });
    openPull(fake, 31);
    const { result, ms } = await prRun(31);
    failedBaseline(result, /^artifact b-31 \(id \d+, run \d+\): is not a valid zip archive/);
    assert.doesNotMatch(result.errors[0] ?? '', /GitHub/);
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  it('a zip bomb (64 MB of zeros declared as 1 KB) is refused, and nothing near its size is written', async () => {
    const bomb = makeZip(
      { 'results.json': Buffer.alloc(64 * 1024 * 1024) },
      { deflate: true, declaredSize: () => 1024 },
    );
    const run = fake.addRun({ headSha: sha('bomb'), status: 'completed', conclusion: 'success' });
    fake.addArtifact({ runId: run.id, name: 'b-32', bytes: bomb });
    openPull(fake, 32);
    const { result, ms } = await prRun(32);
    failedBaseline(
      result,
      /^artifact b-32 \(id \d+, run \d+\): is not a valid zip archive \(too many bytes in the stream/,
    );
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  it('an artifact list that never answers ends the step within its deadline, with the summary written', async () => {
    openPull(fake, 33);
    fake.injectNext('GET', /\/actions\/artifacts$/, { status: 0, hang: true }, 3);
    const { result, ms } = await prRun(33);
    failedBaseline(
      result,
      /^GitHub did not answer within 1 s to list the artifacts named b-33, nor on retry; re-run the job later$/,
    );
    assert.ok(ms < 45_000, `took ${ms} ms`);
    assert.ok(existsSync(result.outputs['report-path'] ?? ''));
  });

  it('a comment list that never answers: the report, summary and outputs are written, and the step ends', async () => {
    seedBaseline(fake, 'base-34', { files: { 'results.json': await readFile(RUN_A_JSON) } });
    openPull(fake, 34);
    fake.injectNext('GET', /\/issues\/34\/comments$/, { status: 0, hang: true }, 3);
    const { result, ms } = await prRun(34, { 'baseline-artifact': 'bench-baseline' });
    assert.equal(result.code, 1, explain(result));
    assert.deepEqual(result.errors, [
      'GitHub did not answer within 1 s to list the comments of PR #34, nor on retry; re-run the job later',
    ]);
    assert.equal(result.outputs['verdict'], 'pass');
    assert.match(result.summary, /No regressions/);
    assert.ok(ms < 45_000, `took ${ms} ms`);
  });

  it('a blob store that never answers ends the download within its deadline', async () => {
    seedBaseline(fake, 'base-35', { files: { 'results.json': await readFile(RUN_A_JSON) } });
    openPull(fake, 35);
    fake.injectNext('GET', /^\/devstoreaccount1\//, { status: 0, hang: true }, 1);
    const { result, ms } = await prRun(35, { 'baseline-artifact': 'bench-baseline' });
    failedBaseline(result, /^GitHub's artifact storage did not answer within 1 s to download artifact bench-baseline/);
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  it('a 403 secondary rate limit with Retry-After on the comment is waited out, not taken for a fork', async () => {
    openPull(fake, 36);
    fake.injectNext('POST', /\/issues\/36\/comments$/, {
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });
    const { result, run } = await prRun(36);
    assert.equal(result.code, 0, explain(result));
    assert.equal(fake.commentsOn(36).length, 1, explain(result));
    assert.equal(result.outputs['comment-id'], String(fake.commentsOn(36)[0]?.id));
    assert.doesNotMatch(result.stdout, /::warning::.*(fork|read-only|bench-action-report)/);
    assert.match(result.stdout, /secondary rate limit was hit on POST .*retrying in 1 s/);
    assert.equal(fake.artifactsOf(run.id).length, 0, 'no fork report artifact');
  });

  it('a 429 with Retry-After is retried after the wait', async () => {
    openPull(fake, 37);
    fake.injectNext('GET', /\/actions\/artifacts$/, {
      status: 429,
      message: 'You have exceeded a secondary rate limit.',
      headers: { 'retry-after': '1' },
    });
    const { result } = await prRun(37);
    assert.equal(result.code, 0, explain(result));
    assert.equal(result.outputs['verdict'], 'no-baseline');
    assert.equal(fake.requests.filter((r) => r.path.includes('/actions/artifacts?name=b-37')).length, 2);
  });

  it('a rate limit that resets later than the bounded wait fails at once with advice', async () => {
    openPull(fake, 38);
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    fake.injectNext('GET', /\/actions\/artifacts$/, {
      status: 403,
      message: 'API rate limit exceeded',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    const { result, ms } = await prRun(38);
    failedBaseline(
      result,
      /^GitHub refused to list the artifacts named b-38 \(403\): the API rate limit is exhausted \(resets at .+\); re-run the job later/,
    );
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  it('a same-repository PR whose comment is refused fails advising pull-requests: write, and saves no fork report', async () => {
    openPull(fake, 39);
    const { result, run } = await prRun(39, {}, {}, fake.readOnlyToken);
    assert.equal(result.code, 1, explain(result));
    assert.deepEqual(result.errors.length, 1, explain(result));
    assert.match(
      result.errors[0] ?? '',
      /^GitHub refused to comment on PR #39 \(403\): the token lacks permission; grant `pull-requests: write`/,
    );
    assert.equal(fake.artifactsOf(run.id).length, 0);
  });

  it('a fork PR (head repository differs) never tries to comment and saves its report artifact', async () => {
    const run = openPull(fake, 40, { fork: true });
    const { result } = await prRun(40, {}, {}, fake.readOnlyToken);
    assert.equal(result.code, 0, explain(result));
    assert.ok(
      !fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issues/40/comments')),
      'no comment attempt',
    );
    assert.equal(fake.artifactsOf(run.id, 'bench-action-report').length, 1, explain(result));
  });

  it('mode: comment with a malformed report artifact fails within seconds, naming it', async () => {
    const pr = openPull(fake, 41, { fork: true });
    fake.completeRun(pr.id, 'success');
    const garbage = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(700, 0x41)]);
    const artifact = fake.addArtifact({ runId: pr.id, name: 'bench-action-report', bytes: garbage });
    const run = fake.addRun({ headSha: sha('main'), event: 'workflow_run', name: 'bench-comment' });
    const started = Date.now();
    const result = await runAction({
      node: NODE20,
      env: fake.env(run.id, FAST),
      event: workflowRunEvent(fake, pr.id),
      inputs: { mode: 'comment', 'github-token': fake.writeToken },
      timeoutMs: 90_000,
    });
    assert.equal(result.code, 1, explain(result));
    assert.deepEqual(result.errors.length, 1, explain(result));
    assert.match(
      result.errors[0] ?? '',
      new RegExp(`^artifact bench-action-report \\(id ${artifact.id}, run ${pr.id}\\): is not a valid zip archive`),
    );
    assert.ok(Date.now() - started < 30_000);
    assert.equal(fake.commentsOn(41).length, 0);
  });

  it("1,500 pairs, all slower: comment and summary fit GitHub's limit and count every regression", async () => {
    const specs = Array.from({ length: 1500 }, (_, i) => [
      { id: `cache/get/${i}`, median: 100, samples: 12 },
      { id: `redis/get/${i}`, median: 1000, samples: 12 },
    ]).flat();
    const base: Results = {
      ...synthetic(7, specs, sha('base-43')),
      pairs: Array.from({ length: 1500 }, (_, i) => ({
        name: `cache vs redis ${i}`,
        contender: `cache/get/${i}`,
        reference: `redis/get/${i}`,
      })),
    };
    const head = scaled(base, () => 1.5);
    const workspace = await newWorkspace();
    const headPath = join(workspace, 'head.json');
    await writeFile(headPath, JSON.stringify(head));
    seedBaseline(fake, 'base-43', { files: { 'results.json': JSON.stringify(base) } }, 'b-43');
    openPull(fake, 43);
    const { result } = await prRun(43, { results: headPath });
    // A one-run baseline cannot fail the build (cold start); the report must still fit.
    assert.ok(result.code === 0 || result.code === 1, explain(result));
    const regressions = Number(result.outputs['regressions']);
    assert.ok(regressions > 2000, String(regressions));
    const [comment] = fake.commentsOn(43);
    assert.ok(comment, explain(result));
    assert.ok([...comment.body].length <= COMMENT_LIMIT, `${comment.body.length} characters`);
    assert.ok(result.summary.length <= COMMENT_LIMIT, `summary: ${result.summary.length} characters`);
    assert.match(comment.body, new RegExp(`\\*\\*${regressions} (possible )?regressions\\*\\*`));
  });

  it('a report GitHub still refuses: the old comment is replaced by a note pointing to the job summary', async () => {
    openPull(fake, 44);
    const first = await prRun(44);
    assert.equal(first.result.code, 0, explain(first.result));
    const [old] = fake.commentsOn(44);
    assert.ok(old);
    fake.injectNext('PATCH', new RegExp(`/issues/comments/${old.id}$`), {
      status: 422,
      message: 'Validation Failed: Body is too long (maximum is 65536 characters)',
    });
    const { result, run } = await prRun(44);
    assert.equal(result.code, 0, explain(result));
    const [now] = fake.commentsOn(44);
    assert.equal(now?.id, old.id);
    assert.match(
      now?.body ?? '',
      new RegExp(
        `could not be posted here; it is in the job summary of \\[run ${run.id}\\]\\(https://github\\.com/sark/sark/actions/runs/${run.id}\\)`,
      ),
    );
    assert.match(
      result.stdout,
      /::warning::GitHub refused to update comment \d+ on PR #44 \(422\).*now points to this run's job summary/,
    );
    assert.match(result.summary, /No regressions|Benchmark results/);
  });
});
