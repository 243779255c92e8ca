/**
 * The action end to end: dist/index.js in a child process, as a runner
 * starts it, against the loopback fake of GitHub. One suite per Node
 * runtime (node20.test.ts, node24.test.ts), so both run in parallel.
 *
 * Results come from fixtures in `mode: compare`, so no cargo build runs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slowDown } from '../../evaluation/verdicts/evaluate.ts';
import { stickyMarker } from '../../src/github/sticky-comment.ts';
import { validateSeries } from '../../src/history/series.ts';
import type { Results } from '../../src/schema/types.ts';
import { REPO_ROOT, newWorkspace, runAction, type ActionRun, type NodeRuntime } from '../support/action-runner.ts';
import { FakeGitHub, type FakeRun } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent, workflowRunEvent } from '../support/github-events.ts';

const RUN_A = join(REPO_ROOT, 'fixtures', 'criterion-0.8', 'run-a');
const RUN_A_JSON = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
const GO_BENCH = join(REPO_ROOT, 'fixtures', 'go', 'go-1.26-one-package.txt');
const ZERO_BENCHMARKS = join(REPO_ROOT, 'fixtures', 'broken', 'zero-benchmarks.json');
const MARKER = stickyMarker('bench', 'bench');

/** A commit SHA per label, so failures name something readable. */
function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/**
 * A copy of the run-a results with every sample and estimate scaled by
 * `factor` (1.2: 20% slower), stamped with the commit that "measured" it,
 * as the CLI would on a runner.
 */
async function scaledResults(factor: number, commit: string): Promise<{ workspace: string; path: string }> {
  const workspace = await newWorkspace();
  const results = slowDown(JSON.parse(await readFile(RUN_A_JSON, 'utf8')) as Results, factor);
  results.run = { ...results.run, commit, timestamp: new Date().toISOString() };
  const path = join(workspace, `results-x${factor}.json`);
  await writeFile(path, JSON.stringify(results));
  return { workspace, path };
}

/**
 * A pull request off `baseSha` (from a fork whose branch is also called
 * main, when `fork`) and a pull_request run of its head.
 */
function openPull(
  fake: FakeGitHub,
  number: number,
  baseSha: string,
  options: { fork?: boolean; mergeBase?: boolean } = {},
): FakeRun {
  const headSha = sha(`pr-${number}`);
  fake.addPull({ number, headSha, baseSha, ...(options.fork ? { headRepo: 'fork-owner/sark', headRef: 'main' } : {}) });
  if (options.mergeBase ?? true) fake.setMergeBase(baseSha, headSha, baseSha);
  return pullRun(fake, number);
}

/** Another pull_request run of the PR's current head. */
function pullRun(fake: FakeGitHub, number: number): FakeRun {
  const pull = fake.state.pulls.get(number);
  if (!pull) throw new Error(`no pull ${number}`);
  const fromFork = pull.headRepo !== undefined;
  return fake.addRun({
    headSha: pull.headSha,
    event: 'pull_request',
    headBranch: pull.headRef,
    fromFork,
    pullRequests: [number],
  });
}

/**
 * Markdown as GitHub renders it, read as text: the report backslash-escapes punctuation,
 * writes a few characters as numeric entities, and breaks mentions with a zero-width space.
 */
function plain(markdown: string): string {
  return markdown
    .replace(/\u200b/g, '') // escapeText's zero-width space after @ and # (no mention, no reference): invisible to a reader
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/\u200b/g, ''); // the zero-width space escapeText puts after @ and #
}

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

function benchIds(): Promise<string[]> {
  return readFile(RUN_A_JSON, 'utf8').then((text) => (JSON.parse(text) as Results).benchmarks.map((b) => b.id));
}

export function defineE2eSuite(node: NodeRuntime): void {
  /** A compare-mode run of the action in `run`, against `fake`. */
  function act(
    fake: FakeGitHub,
    run: FakeRun,
    event: Record<string, unknown>,
    inputs: Record<string, string>,
    token = fake.writeToken,
    workspace?: string,
  ): Promise<ActionRun> {
    return runAction({
      node,
      env: fake.env(run.id),
      event,
      inputs: { mode: 'compare', 'github-token': token, ...inputs },
      ...(workspace ? { workspace } : {}),
    });
  }

  // The scenario chain, the independent cases and the history test each have
  // their own fake, so they run side by side; inside each, in order.
  describe(`${node.label}: the bundled action end to end`, { concurrency: true }, () => {
    it('has its runtime', () => {
      // Never skip silently: a missing Node 24 is a broken set-up, not a pass.
      assert.equal(node.missing, null, node.missing ?? '');
    });

    describe(
      'push, PR, second PR run, regression, fork and comment mode',
      { skip: node.missing !== null, concurrency: 1 },
      () => {
        let fake: FakeGitHub;
        const mainSha = sha('main-1');
        let pushRun: FakeRun;

        before(async () => {
          fake = await FakeGitHub.start();
        });
        after(() => fake.close());

        it('a push to main uploads the baseline artifact', async () => {
          pushRun = fake.addRun({ headSha: mainSha });
          const result = await act(fake, pushRun, pushEvent(fake, pushRun.id), { results: RUN_A });
          assert.equal(result.code, 0, explain(result));
          assert.equal(result.outputs['verdict'], 'no-baseline');
          assert.equal(result.stderr, '', 'no runtime warnings (deprecations) under this Node');
          // The run that records the first baseline says so, not "no baseline yet".
          assert.match(
            plain(result.summary),
            /This run records the first baseline for main \(artifact 'bench-baseline'\)/,
          );
          assert.ok(!/No baseline yet/.test(result.summary), result.summary);
          assert.ok(
            !(result.outputs['results-path'] ?? '').startsWith(result.workspace),
            'results, reports and their JSON go to the runner temp directory',
          );
          const [artifact, ...others] = fake.artifactsOf(pushRun.id, 'bench-baseline');
          assert.ok(artifact, `no baseline artifact\n${explain(result)}`);
          assert.equal(others.length, 0);
          const files = fake.artifactFiles(artifact.id);
          const uploaded = JSON.parse(files['results.json'] ?? 'null') as Results;
          assert.equal(uploaded.run.commit, mainSha);
          assert.deepEqual(uploaded.benchmarks.map((b) => b.id).sort(), (await benchIds()).sort());

          // The post step (cargo cache save) follows; compare mode restored no cache, so it has nothing to do.
          const post = await runAction({
            node,
            env: fake.env(pushRun.id),
            event: pushEvent(fake, pushRun.id),
            inputs: {},
            post: true,
            state: result.state,
          });
          assert.equal(post.code, 0, explain(post));
          assert.deepEqual(post.errors, []);
          fake.completeRun(pushRun.id, 'success');
        });

        let commentId = '';

        it('the next PR run finds that baseline, comments naming its commit, and passes', async () => {
          const run = openPull(fake, 7, mainSha);
          const result = await act(fake, run, pullRequestEvent(fake, 7), { results: RUN_A });
          assert.equal(result.code, 0, explain(result));
          assert.equal(result.outputs['verdict'], 'pass');
          assert.equal(result.outputs['regressions'], '0');
          const comments = fake.commentsOn(7);
          assert.equal(comments.length, 1);
          const [comment] = comments;
          assert.ok(comment);
          assert.ok(comment.body.startsWith(MARKER), comment.body);
          assert.match(
            plain(comment.body),
            new RegExp(`Baseline: main @ ${mainSha.slice(0, 7)} \\(the merge base, run ${pushRun.id}\\)`),
          );
          // One baseline run: the comment's first lines say why nothing can fail on wall time yet, and how long that
          // lasts.
          const firstLines = plain(comment.body).split('\n').slice(0, 6).join('\n');
          assert.match(
            firstLines,
            /⏳ \*\*Cold start: wall-time regressions cannot fail the build yet\.\*\* The baseline has 1 of the 3 runs of main .*; 2 more pushes to main/,
          );
          commentId = String(comment.id);
          assert.equal(result.outputs['comment-id'], commentId);
          assert.ok(result.summary.includes(mainSha.slice(0, 7)), 'the job summary names the baseline commit too');
          assert.equal(fake.artifactsOf(run.id).length, 0, 'a PR run uploads nothing when it could comment');
        });

        it('a second run of the PR updates the same comment', async () => {
          const run = pullRun(fake, 7);
          const faster = await scaledResults(0.8, run.headSha);
          const result = await act(
            fake,
            run,
            pullRequestEvent(fake, 7),
            { results: faster.path },
            fake.writeToken,
            faster.workspace,
          );
          assert.equal(result.code, 0, explain(result));
          assert.equal(result.outputs['verdict'], 'pass');
          assert.ok(Number(result.outputs['improvements']) > 0, 'a 20% faster run shows improvements');
          const comments = fake.commentsOn(7);
          assert.equal(comments.length, 1, 'no duplicate comment');
          assert.equal(String(comments[0]?.id), commentId);
          assert.equal(result.outputs['comment-id'], commentId);
          assert.ok(
            fake.requests.some(
              (r) => r.method === 'PATCH' && r.path.endsWith(`/issues/comments/${commentId}`) && r.status === 200,
            ),
          );
          assert.match(comments[0]?.body ?? '', /improv/i);
        });

        it('mode: comment after a PR run that commented itself posts nothing', async () => {
          const prRun = [...fake.state.runs.values()].filter((r) => r.pullRequests.includes(7)).at(-1);
          assert.ok(prRun);
          fake.completeRun(prRun.id, 'success');
          const run = fake.addRun({ headSha: mainSha, event: 'workflow_run', name: 'bench-comment' });
          const before = fake.state.comments.map((c) => `${c.id}:${c.updatedAt}:${c.body.length}`);
          const result = await runAction({
            node,
            env: fake.env(run.id),
            event: workflowRunEvent(fake, prRun.id),
            inputs: { mode: 'comment', 'github-token': fake.writeToken },
          });
          assert.equal(result.code, 0, explain(result));
          assert.match(
            result.stdout,
            new RegExp(`Nothing to post: run ${prRun.id} left no bench-action-report artifact`),
          );
          assert.deepEqual(
            fake.state.comments.map((c) => `${c.id}:${c.updatedAt}:${c.body.length}`),
            before,
          );
        });

        it('cold start: with one baseline run a 20% slower PR is shown as possible regressions and does not fail', async () => {
          const run = openPull(fake, 10, mainSha);
          const slower = await scaledResults(1.2, run.headSha);
          const result = await act(
            fake,
            run,
            pullRequestEvent(fake, 10),
            { results: slower.path },
            fake.writeToken,
            slower.workspace,
          );
          assert.equal(result.code, 0, explain(result));
          assert.equal(result.outputs['verdict'], 'possible-regression');
          assert.deepEqual(result.errors, [], 'no error annotation: nothing fails');
          assert.match(
            result.stdout,
            /^::warning title=Possible benchmark regression::.+regressed \(\+20\.0%25 time\).+It does not fail the build: the baseline has too few runs/m,
          );
          const body = plain(fake.commentsOn(10)[0]?.body ?? '');
          assert.match(body, /⚠️ \*\*\d+ possible regressions\*\* over the threshold 10% .*not failing the build/);
          assert.match(body, /Cold start: .* 1 of the 3 runs of main/);
        });

        it('a PR whose results share no benchmark with the baseline says so first, never passes green, and fails', async () => {
          const run = openPull(fake, 11, mainSha);
          const result = await act(fake, run, pullRequestEvent(fake, 11), { results: GO_BENCH });
          assert.equal(result.code, 1, explain(result));
          assert.equal(result.outputs['verdict'], 'nothing-in-common');
          assert.equal(result.outputs['missing'], String((await benchIds()).length));
          assert.match(result.errors.join('\n'), /No benchmark of this run is in the baseline .*nothing was compared/);
          const body = plain(fake.commentsOn(11)[0]?.body ?? '');
          const first = body.split('\n').slice(0, 8).join('\n');
          assert.match(
            first,
            /⚠️ \*\*Nothing compared\*\*: the head's \d+ benchmarks and the baseline's \d+ have none in common/,
          );
          assert.match(first, /🚫 \*\*No benchmark in common with the baseline\.\*\*/);
          assert.doesNotMatch(body, /No regressions/);
        });

        let failedPush: FakeRun;

        it('two more pushes end the cold start; a push with fail-on-regression unset never fails on a regression', async () => {
          for (const n of [2, 3]) {
            const run = fake.addRun({ headSha: sha(`main-${n}`) });
            const result = await act(fake, run, pushEvent(fake, run.id), { results: RUN_A });
            assert.equal(result.code, 0, explain(result));
            fake.completeRun(run.id, 'success');
          }
          failedPush = fake.addRun({ headSha: sha('main-4') });
          const slower = await scaledResults(1.2, failedPush.headSha);
          const result = await act(
            fake,
            failedPush,
            pushEvent(fake, failedPush.id),
            { results: slower.path },
            fake.writeToken,
            slower.workspace,
          );
          assert.equal(result.code, 0, explain(result));
          assert.equal(
            result.outputs['verdict'],
            'regression-not-failing',
            'the regression is measured and reported; the step passes',
          );
          assert.match(
            result.stdout,
            /fail-on-regression is off \(the default on push events\): regressions are reported, the step passes\./,
          );
          assert.ok(fake.artifactsOf(failedPush.id, 'bench-baseline')[0], 'the push still records its baseline');
          // A later step of the same job fails, so the run (and its baseline) is not trusted.
          fake.completeRun(failedPush.id, 'failure');
        });

        it('a PR whose results regress 20% fails, naming the regression in annotations, comment and summary, and the skipped failed baseline', async () => {
          const run = openPull(fake, 8, failedPush.headSha);
          const slower = await scaledResults(1.2, run.headSha);
          const result = await act(
            fake,
            run,
            pullRequestEvent(fake, 8),
            { results: slower.path },
            fake.writeToken,
            slower.workspace,
          );
          assert.equal(result.code, 1, explain(result));
          assert.equal(result.outputs['verdict'], 'regression');
          const ids = await benchIds();
          // Every benchmark is 20% slower; the noisiest may still be called inconclusive.
          const regressions = Number(result.outputs['regressions']);
          assert.ok(regressions >= ids.length - 2 && regressions <= ids.length, `regressions: ${regressions}`);
          const annotated = ids.filter((id) =>
            result.errors.some((e) => e.startsWith(`${id} regressed (+20.0% time)`)),
          );
          assert.equal(
            annotated.length,
            regressions,
            `one ::error annotation per regression\n${result.errors.join('\n')}`,
          );
          const failure = result.errors.at(-1) ?? '';
          assert.match(
            failure,
            new RegExp(`^${regressions} benchmarks regressed beyond the threshold \\(worst: .+, 1\\.20x slower\\)`),
          );
          const body = fake.commentsOn(8)[0]?.body ?? '';
          for (const text of [body, result.summary]) {
            assert.ok(
              annotated.every((id) => plain(text).includes(id)),
              `the regressed benchmarks are named: ${annotated.join(', ')}`,
            );
            assert.match(text, /regress/i);
          }
          assert.ok(existsSync(result.outputs['report-path'] ?? ''), 'the report is on disk');
          assert.match(
            plain(body),
            new RegExp(
              `Baseline: main @ ${sha('main-3').slice(0, 7)} \\(the newest base-branch run, run \\d+\\).*Skipped: the baseline of ${failedPush.headSha.slice(0, 7)} \\(run ${failedPush.id}, at the merge base\\) was skipped because its run failed\\.`,
            ),
          );
        });

        let forkRun: FakeRun;

        it('a fork PR keeps its verdict, does not try to comment, and saves its results as data', async () => {
          forkRun = openPull(fake, 9, mainSha, { fork: true });
          const result = await act(fake, forkRun, pullRequestEvent(fake, 9), { results: RUN_A }, fake.readOnlyToken);
          assert.equal(result.code, 0, explain(result));
          assert.equal(result.outputs['verdict'], 'pass');
          assert.equal(result.outputs['regressions'], '0');
          assert.equal(result.outputs['comment-id'], undefined);
          assert.equal(fake.commentsOn(9).length, 0);
          assert.ok(
            !fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issues/9/comments')),
            'a fork is known from the event, not from a 403',
          );
          assert.match(
            result.stdout,
            /^A pull request from a fork gets a read-only token: its results are saved as artifact bench-action-report/m,
          );
          const [report] = fake.artifactsOf(forkRun.id, 'bench-action-report');
          assert.ok(report, explain(result));
          const files = fake.artifactFiles(report.id);
          assert.deepEqual(Object.keys(files), ['pull-request.json'], 'data only: no markdown, verdict or marker');
          const saved = JSON.parse(files['pull-request.json'] ?? '{}') as {
            prNumber: number;
            headSha: string;
            results: Results;
          };
          assert.deepEqual(
            [saved.prNumber, saved.headSha, saved.results.benchmarks.length],
            [9, forkRun.headSha, (await benchIds()).length],
          );
          assert.equal(
            fake.artifactsOf(forkRun.id, 'bench-baseline').length,
            0,
            'a fork run never writes the baseline',
          );
          fake.completeRun(forkRun.id, 'success');
        });

        it('mode: comment on the workflow_run event compares the fork data with the baseline and posts its own report', async () => {
          const run = fake.addRun({
            headSha: mainSha,
            event: 'workflow_run',
            name: 'bench-comment',
            path: '.github/workflows/bench-comment.yml',
          });
          const result = await runAction({
            node,
            env: fake.env(run.id),
            event: workflowRunEvent(fake, forkRun.id),
            inputs: { mode: 'comment', 'github-token': fake.writeToken },
          });
          assert.equal(result.code, 0, explain(result));
          const comments = fake.commentsOn(9);
          assert.equal(comments.length, 1);
          assert.ok(comments[0]?.body.startsWith(MARKER));
          assert.match(plain(comments[0]?.body ?? ''), new RegExp(`main @ ${mainSha.slice(0, 7)}`));
          assert.equal(result.outputs['verdict'], 'pass');
          assert.equal(result.outputs['regressions'], '0');
          assert.equal(result.outputs['comment-id'], String(comments[0]?.id));
          assert.match(result.summary, /No regressions/);
        });
      },
    );

    describe('alone', { skip: node.missing !== null, concurrency: 1 }, () => {
      let fake: FakeGitHub;
      before(async () => {
        fake = await FakeGitHub.start();
      });
      after(() => fake.close());

      it('no baseline: verdict no-baseline, the comment says so plainly, it passes, and a PR never uploads one', async () => {
        const run = openPull(fake, 20, sha('main-20'), { mergeBase: false });
        const result = await act(fake, run, pullRequestEvent(fake, 20), {
          results: RUN_A,
          'baseline-artifact': 'bench-none',
          'upload-baseline': 'true',
        });
        assert.equal(result.code, 0, explain(result));
        assert.equal(result.outputs['verdict'], 'no-baseline');
        const body = fake.commentsOn(20)[0]?.body ?? '';
        assert.match(plain(body), /No baseline yet for main \(artifact 'bench-none'\)/);
        assert.match(plain(result.summary), /No baseline yet for main/);
        // GitHub cannot compare an unknown base commit: not fatal, the merge base only ranks baselines.
        assert.match(
          result.stdout,
          /^::warning::The PR's merge base is unknown, so the newest baseline is used: GitHub refused to compare [0-9a-f]{40}\.\.\.[0-9a-f]{40} \(404\)/m,
        );
        assert.equal(
          fake.artifactsOf(run.id).length,
          0,
          'upload-baseline: true does not make a PR run write the baseline',
        );
        assert.ok(!fake.requests.some((r) => r.path.includes('CreateArtifact')));
      });

      it('an API outage fails with one clear line and loses no report', async () => {
        const run = openPull(fake, 21, sha('main-21'));
        fake.outage = { status: 503, scope: 'rest' };
        try {
          const result = await act(fake, run, pullRequestEvent(fake, 21), { results: RUN_A });
          assert.equal(result.code, 1, explain(result));
          assert.ok(result.errors.length > 0, explain(result));
          for (const error of result.errors) {
            assert.match(error, /^GitHub failed to .+ \(503\): GitHub is having trouble/);
            assert.ok(!error.includes('\n'), error);
          }
          assert.ok(!/\n\s+at .+:\d+:\d+/.test(result.stdout + result.stderr), 'no stack trace');
          const resultsPath = result.outputs['results-path'] ?? '';
          const reportPath = result.outputs['report-path'] ?? '';
          assert.ok(existsSync(resultsPath) && existsSync(reportPath), explain(result));
          assert.match(await readFile(reportPath, 'utf8'), /the baseline could not be fetched/);
          assert.equal(result.outputs['verdict'], 'no-baseline');
        } finally {
          fake.outage = null;
        }
      });

      it('a bad input fails at once, naming it, without a stack trace', async () => {
        const run = fake.addRun({ headSha: sha('bad-input') });
        const asked = fake.requests.length;
        const result = await act(fake, run, pushEvent(fake, run.id), { results: RUN_A, threshold: 'ten' });
        assert.equal(result.code, 1, explain(result));
        assert.deepEqual(result.errors, ["Input 'threshold' must be a number from 0 to 1000; got 'ten'."]);
        assert.ok(!/\bat .+:\d+:\d+/.test(result.stdout + result.stderr), 'no stack trace');
        assert.deepEqual(result.outputs, {});
        assert.equal(fake.requests.length, asked, 'nothing was asked of GitHub');
      });

      it('an empty github-token fails at once, before any work', async () => {
        const run = fake.addRun({ headSha: sha('no-token') });
        const result = await act(fake, run, pushEvent(fake, run.id), { results: RUN_A }, '');
        assert.equal(result.code, 1, explain(result));
        assert.deepEqual(result.errors, [
          "Input 'github-token' is empty: leave it out (the default is ${{ github.token }}) or pass a token.",
        ]);
        assert.deepEqual(result.outputs, {});
      });

      it('full mode without a Cargo workspace fails at once, saying where it looked and naming native-dir', async () => {
        const run = fake.addRun({ headSha: sha('no-cargo') });
        const result = await runAction({
          node,
          env: fake.env(run.id),
          event: pushEvent(fake, run.id),
          inputs: { 'github-token': fake.writeToken },
        });
        assert.equal(result.code, 1, explain(result));
        assert.equal(result.errors.length, 1, explain(result));
        assert.match(
          result.errors[0] ?? '',
          /^No Cargo workspace found: looked for native\/Cargo\.toml and Cargo\.toml in .+; set the input 'native-dir' to your workspace's directory/,
        );
        assert.deepEqual(result.outputs, {});
        // A failed run still writes a summary saying what failed and what to try.
        assert.match(result.summary, /### ❌ bench-action failed\n\n\*\*What failed:\*\* No Cargo workspace found/);
        assert.match(result.summary, /\*\*What to try:\*\* Fix the input named above/);
      });

      it('zero benchmarks fail, never a silent pass', async () => {
        const run = fake.addRun({ headSha: sha('zero') });
        const result = await act(fake, run, pushEvent(fake, run.id), { results: ZERO_BENCHMARKS });
        assert.equal(result.code, 1, explain(result));
        assert.deepEqual(result.errors, [`${ZERO_BENCHMARKS}: no benchmarks found`]);
        assert.equal(result.outputs['verdict'], undefined);
        assert.equal(fake.artifactsOf(run.id).length, 0);
      });
    });

    it(
      'the baseline artifact rolls its history over several pushes, capped at history-size',
      { skip: node.missing !== null },
      async () => {
        const fake = await FakeGitHub.start();
        try {
          const shas = [1, 2, 3, 4].map((n) => sha(`history-${n}`));
          let last: FakeRun | undefined;
          for (const commit of shas) {
            last = fake.addRun({ headSha: commit });
            const result = await act(fake, last, pushEvent(fake, last.id), { results: RUN_A, 'history-size': '2' });
            assert.equal(result.code, 0, explain(result));
            fake.completeRun(last.id, 'success');
          }
          const [artifact] = fake.artifactsOf(last?.id ?? 0, 'bench-baseline');
          assert.ok(artifact);
          const files = fake.artifactFiles(artifact.id);
          const history = Object.keys(files)
            .filter((name) => name.startsWith('history/'))
            .sort();
          assert.equal(history.length, 2);
          // Newest two of the older runs, oldest first by name: pushes 2 and 3.
          assert.deepEqual(
            history.map((name) => /-([0-9a-f]{12})\.json$/.exec(name)?.[1]),
            [shas[1]?.slice(0, 12), shas[2]?.slice(0, 12)],
          );
          assert.equal((JSON.parse(files['results.json'] ?? '{}') as Results).run.commit, shas[3]);
          // The compact series keeps every push, beyond history-size, carried forward by each upload.
          const series = validateSeries(JSON.parse(files['series.json'] ?? '{}'));
          assert.ok(series.ok, series.ok ? '' : series.issue);
          if (series.ok) {
            assert.deepEqual(
              series.value.runs.map((r) => r.commit),
              shas,
            );
            assert.ok(series.value.series.length > 0 && series.value.series.every((s) => s.run.length === 4));
          }
          // Each baseline run also uploads the dashboard of the series.
          const [dashboard] = fake.artifactsOf(last?.id ?? 0, 'bench-dashboard');
          assert.ok(dashboard, 'bench-dashboard artifact');
          const page = Object.values(fake.artifactFiles(dashboard.id))[0] ?? '';
          assert.match(page, /^<!doctype html>/);
          assert.match(page, /over 4 base-branch runs/);
        } finally {
          await fake.close();
        }
      },
    );
  });
}
