/**
 * Instruction counts end to end: the bundled action's full mode on a real
 * Cargo workspace (fixtures/workspaces/gungraun: one Criterion bench and one
 * gungraun bench of the same function) runs both, under Valgrind, and posts
 * one comment with wall time and instruction counts; without Valgrind it says
 * so and carries on with wall time. Needs valgrind and gungraun-runner at the
 * locked version (scripts/test.sh waits for setup's background install).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Results } from '../../src/schema/types.ts';
import { lockedGungraunVersion } from '../../src/run/instructions.ts';
import { NODE24, REPO_ROOT, runAction, type ActionRun } from '../support/action-runner.ts';
import { criterionTarget } from '../support/criterion-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';
import { git } from '../support/cargo-repo.ts';
import { pathWithout } from '../support/path-without.ts';

/** This file's own target directory (cargo's lock and Criterion's results are this file's alone). */
const TARGET = criterionTarget('instructions-e2e');

const FIXTURE = join(REPO_ROOT, 'fixtures', 'workspaces', 'gungraun');
const COUNTED = 'checksum_instructions/checksum/checksum_fn.bytes_256';
const TIMED = 'checksum/bytes_256';

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

/** PATH as it is, less valgrind and the means to install it (apt-get, sudo): a runner without Valgrind. */
function pathWithoutValgrind(): string {
  const hidden = new Set(['valgrind', 'apt-get', 'apt', 'sudo']);
  return pathWithout((name) => hidden.has(name) || name.startsWith('valgrind'), 'valgrind');
}

describe(
  'full mode: Criterion and gungraun benches of one workspace, one comment with both',
  { concurrency: 1 },
  () => {
    let fake: FakeGitHub;
    let root: string;
    let baseSha: string;
    let headSha: string;
    // The Criterion 0.3 e2e's target directory: criterion and its dependencies compile once per machine.
    const env = (runId: number, extra: Record<string, string> = {}) => ({
      ...fake.env(runId),
      CARGO_TARGET_DIR: TARGET,
      ...extra,
    });

    before(async () => {
      assert.equal(NODE24.missing, null, NODE24.missing ?? '');
      const locked = lockedGungraunVersion(readFileSync(join(REPO_ROOT, 'native', 'Cargo.lock'), 'utf8'));
      assert.equal(
        lockedGungraunVersion(readFileSync(join(FIXTURE, 'Cargo.lock'), 'utf8')),
        locked,
        'the fixture locks the gungraun version the runner is installed for',
      );
      assert.match(
        execFileSync('gungraun-runner', ['--version'], { encoding: 'utf8' }),
        new RegExp(`${(locked ?? '').replaceAll('.', '\\.')}$`, 'm'),
      );
      fake = await FakeGitHub.start();
      root = mkdtempSync(join(tmpdir(), 'bench-gungraun-'));
      cpSync(FIXTURE, root, { recursive: true });
      writeFileSync(join(root, '.gitignore'), 'target/\n');
      git(root, 'init', '-q', '-b', 'main');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'base');
      baseSha = git(root, 'rev-parse', 'HEAD');
      // The head hashes every byte twice: about twice the instructions.
      const lib = join(root, 'src', 'lib.rs');
      writeFileSync(
        lib,
        readFileSync(lib, 'utf8').replace('for &b in bytes {', 'for &b in bytes.iter().chain(bytes) {'),
      );
      git(root, 'commit', '-qam', 'hash twice');
      headSha = git(root, 'rev-parse', 'HEAD');
      git(root, 'checkout', '-q', baseSha);
      mkdirSync(TARGET, { recursive: true });
    });
    after(() => fake?.close());

    it('a push records wall time and instruction counts in one baseline', { timeout: 1_200_000 }, async () => {
      const run = fake.addRun({ headSha: baseSha });
      const result = await runAction({
        node: NODE24,
        env: env(run.id),
        event: pushEvent(fake, run.id),
        inputs: { 'github-token': fake.writeToken },
        workspace: root,
        timeoutMs: 1_180_000,
      });
      assert.equal(result.code, 0, explain(result));
      assert.match(result.stdout, /gungraun-runner \d+\.\d+\.\d+: (found on PATH|cached at)/);
      assert.match(
        result.stdout,
        /::group::cargo bench -p checksum --bench checksum_instructions \(gungraun, instruction counts\)/,
      );
      const results = JSON.parse(readFileSync(result.outputs['results-path'] ?? '', 'utf8')) as Results;
      const byId = new Map(results.benchmarks.map((b) => [`${b.id} ${b.metric}`, b]));
      assert.ok(byId.get(`${TIMED} time`), `wall time of ${TIMED}: ${[...byId.keys()].join(', ')}`);
      const counted = byId.get(`${COUNTED} instructions`);
      assert.ok(
        counted && counted.estimates.median > 256,
        `instruction count of ${COUNTED}: ${JSON.stringify(counted?.estimates)}`,
      );
      assert.ok(fake.artifactsOf(run.id, 'bench-baseline')[0], explain(result));
      fake.completeRun(run.id, 'success');
    });

    it(
      'a pull request that doubles the work fails on instruction counts, in one comment with both sections',
      { timeout: 1_200_000 },
      async () => {
        git(root, 'checkout', '-q', headSha);
        fake.addPull({ number: 5, headSha, baseSha });
        fake.setMergeBase(baseSha, headSha, baseSha);
        const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'twice', pullRequests: [5] });
        const result = await runAction({
          node: NODE24,
          env: env(run.id),
          event: pullRequestEvent(fake, 5),
          inputs: { 'github-token': fake.writeToken },
          workspace: root,
          timeoutMs: 1_180_000,
        });
        assert.equal(result.code, 1, explain(result));
        assert.equal(result.outputs['verdict'], 'regression');
        assert.ok(
          result.errors.some((e) => e.includes(COUNTED)),
          explain(result),
        );
        const comments = fake.commentsOn(5);
        assert.equal(comments.length, 1, 'one comment');
        const body = comments[0]?.body ?? '';
        assert.match(
          body,
          /in instruction counts over the 1\.0% threshold/,
          'the verdict line says which signal decided',
        );
        assert.match(body, /#### Instruction counts \(1\)/);
        assert.match(body, /checksum\\?_instructions\/checksum\/checksum\\?_fn\.bytes\\?_256 \| ❌ regression/);
        // The wall-time twin's change stands beside the count, and wall time has its own rows.
        assert.match(body, /\| [+-]?\d+(?:\.\d)?% \(\w+\) checksum\/bytes\\?_256 \|/);
        assert.match(body, /All \d+ benchmarks|Too noisy to judge|#### Regressions/);
      },
    );

    it('without Valgrind the action says so and carries on with wall time', { timeout: 1_200_000 }, async () => {
      git(root, 'checkout', '-q', headSha);
      const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'twice', pullRequests: [5] });
      const result = await runAction({
        node: NODE24,
        env: env(run.id, { PATH: pathWithoutValgrind() }),
        event: pullRequestEvent(fake, 5),
        // Without the round, wall time alone decides against one baseline run: the cold start holds it back.
        // (With it, the doubled work is confirmed on this runner and fails: the round's own e2e covers that.)
        inputs: { 'github-token': fake.writeToken, confirm: 'false' },
        workspace: root,
        timeoutMs: 1_180_000,
      });
      assert.match(
        result.stdout,
        /::warning::Instruction counts skipped: Valgrind is not installed and apt could not install it .*Carrying on with wall time only\./,
      );
      assert.ok(!/--bench checksum_instructions/.test(result.stdout), 'the gungraun bench did not run');
      const results = JSON.parse(readFileSync(result.outputs['results-path'] ?? '', 'utf8')) as Results;
      assert.deepEqual(
        results.benchmarks.map((b) => `${b.id} ${b.metric}`),
        [`${TIMED} time`],
      );
      // One baseline run and no confirmation round: wall time alone cannot fail the build yet, so the PR passes.
      assert.equal(result.code, 0, explain(result));
      // The sticky comment, updated: the count the baseline has and this run lacks is missing, not a regression.
      const body = fake.commentsOn(5).at(-1)?.body ?? '';
      assert.match(body, /checksum\\?_instructions\/checksum\/checksum\\?_fn\.bytes\\?_256 \| missing/);
      // And says why, not only in the log.
      assert.match(body, /Instruction counts skipped: Valgrind is not installed/);
    });
  },
);
