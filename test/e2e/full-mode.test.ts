/**
 * Full mode end to end: the bundled action builds and benchmarks a real Cargo
 * workspace (the dependency-free spin bench, so it takes seconds), in a
 * baseline push and in a same-runner pull request whose head is 5x slower (a margin that
 * the round-to-round spread of a heavily loaded 2-core machine cannot hide).
 * The toolchain step finds stable installed and leaves it alone.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Results } from '../../src/schema/types.ts';
import { NODE20, NODE24, runAction, type ActionRun } from '../support/action-runner.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';
import { createSpinRepo, type SpinRepo } from '../support/spin-workspace.ts';
import { git } from '../support/cargo-repo.ts';

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-3000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;
}

for (const node of [NODE20, NODE24]) {
  describe(`${node.label}: full mode builds and benchmarks a Cargo workspace`, { concurrency: 1 }, () => {
    let fake: FakeGitHub;
    let repo: SpinRepo;

    before(async () => {
      assert.equal(node.missing, null, node.missing ?? '');
      fake = await FakeGitHub.start();
      repo = createSpinRepo(2_000, 10_000);
    });
    after(() => fake.close());

    it('a push runs cargo bench and uploads its results as the baseline', { timeout: 180_000 }, async () => {
      const run = fake.addRun({ headSha: repo.headSha });
      const result = await runAction({
        node,
        env: fake.env(run.id),
        event: pushEvent(fake, run.id),
        inputs: { 'github-token': fake.writeToken, 'native-dir': 'native' },
        workspace: repo.root,
        timeoutMs: 170_000,
      });
      assert.equal(result.code, 0, explain(result));
      assert.equal(result.outputs['verdict'], 'no-baseline');
      const resultsPath = result.outputs['results-path'] ?? '';
      assert.ok(!resultsPath.startsWith(repo.root), `results stay out of the checkout: ${resultsPath}`);
      assert.match(resultsPath, /\/bench-action\/bench-results\.json$/);
      // cargo itself writes Cargo.lock; the action adds nothing to the checkout.
      assert.deepEqual(
        git(repo.root, 'status', '--porcelain')
          .split('\n')
          .filter((line) => line !== '' && !line.endsWith('Cargo.lock')),
        [],
        'no output files in the checkout',
      );
      const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;
      assert.deepEqual(
        results.benchmarks.map((b) => b.id),
        ['spin/loop'],
      );
      assert.equal(results.run.commit, repo.headSha);
      assert.match(
        results.run.versions['rustc'] ?? '',
        /^\d+\.\d+\.\d+/,
        'the version without the tool name, so the footer does not read "rustc rustc"',
      );
      assert.match(result.summary, /<sub>.*rustc \d+\.\d+\.\d+/);
      assert.ok(!/rustc rustc|cargo cargo/.test(result.summary), 'no doubled tool names in the footer');
      assert.match(result.stdout, /::group::cargo bench --bench \*/);
      const [artifact] = fake.artifactsOf(run.id, 'bench-baseline');
      assert.ok(artifact, explain(result));
    });

    /** A same-runner pull request (number `pull`) of the spin repo, with `env` added to the action's. */
    async function sameRunnerPull(pull: number, env: Record<string, string> = {}) {
      fake.addPull({ number: pull, headSha: repo.headSha, baseSha: repo.baseSha });
      fake.setMergeBase(repo.baseSha, repo.headSha, repo.baseSha);
      const run = fake.addRun({
        headSha: repo.headSha,
        event: 'pull_request',
        headBranch: 'feature',
        pullRequests: [pull],
      });
      const result = await runAction({
        node,
        env: { ...fake.env(run.id), ...env },
        event: pullRequestEvent(fake, pull),
        inputs: { 'github-token': fake.writeToken, 'native-dir': 'native', 'compare-mode': 'same-runner', rounds: '3' },
        workspace: repo.root,
        timeoutMs: 230_000,
      });
      assert.equal(result.code, 1, explain(result));
      assert.equal(result.outputs['verdict'], 'regression');
      assert.ok(
        result.errors.some((e) => e.includes('spin/loop regressed')),
        explain(result),
      );
      return { run, result };
    }

    it(
      'same-runner mode benchmarks the base commit beside the head and catches a 5x slowdown',
      { timeout: 240_000 },
      async () => {
        const { run, result } = await sameRunnerPull(9);
        assert.match(result.stdout, /Round 3\/3: base/);
        const [comment] = fake.commentsOn(9);
        assert.ok(comment, explain(result));
        assert.match(comment.body, /Same runner/);
        assert.ok(existsSync((result.outputs['results-path'] ?? '').replace(/\.json$/, '.base.json')));
        // Same-runner never downloads the artifact baseline, and a PR never writes one.
        assert.equal(fake.artifactsOf(run.id, 'bench-baseline').length, 0);
      },
    );

    // A CARGO_TARGET_DIR shared by the head (a cache, sccache setups) must not reach the base: cargo names a
    // workspace crate's binary by its path in the workspace, so both sides would run one binary and see no change.
    if (node === NODE20)
      it(
        'same-runner mode with a shared CARGO_TARGET_DIR: the base builds apart, and the 5x slowdown shows',
        { timeout: 240_000 },
        async () => {
          const shared = mkdtempSync(join(tmpdir(), 'bench-same-runner-target-'));
          const { result } = await sameRunnerPull(10, { CARGO_TARGET_DIR: shared });
          // The head built where it was told; the base did not (its binary would have replaced the head's there).
          assert.ok(existsSync(join(shared, 'release')), explain(result));
          // One binary for both sides would read about 1x; the base's own build keeps the 5x (load blurs it, not to
          // 2x).
          const worst = /worst: spin\/loop, (\d+\.\d+)x slower/.exec(result.errors.join('\n'));
          assert.ok(worst && Number(worst[1]) > 2, result.errors.join('\n'));
        },
      );
  });
}
