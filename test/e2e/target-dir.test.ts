/**
 * A test workspace builds into its own target directory whatever the shell
 * exported: with CARGO_TARGET_DIR pointing at a shared directory (common with
 * shared target dirs and sccache), the e2e tests that build temporary
 * workspaces waited on each other's cargo lock and mixed their Criterion
 * results.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NODE20, runAction } from '../support/action-runner.ts';
import { withEnv } from '../support/env.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pushEvent } from '../support/github-events.ts';
import { createSpinRepo, type SpinRepo } from '../support/spin-workspace.ts';

describe('a test workspace and an exported CARGO_TARGET_DIR', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let repo: SpinRepo;
  before(async () => {
    fake = await FakeGitHub.start();
    repo = createSpinRepo(2_000, 10_000);
  });
  after(() => fake.close());

  it(
    "the action run by the tests builds in the workspace's own target/, not the exported one",
    { timeout: 180_000 },
    async () => {
      const shared = mkdtempSync(join(tmpdir(), 'bench-shared-target-'));
      const run = fake.addRun({ headSha: repo.headSha });
      const result = await withEnv({ CARGO_TARGET_DIR: shared, CARGO_BUILD_TARGET_DIR: shared }, () =>
        runAction({
          node: NODE20,
          env: fake.env(run.id),
          event: pushEvent(fake, run.id),
          inputs: { 'github-token': fake.writeToken, 'native-dir': 'native' },
          workspace: repo.root,
          timeoutMs: 170_000,
        }),
      );
      assert.equal(result.code, 0, result.stdout.slice(-3000));
      assert.deepEqual(readdirSync(shared), [], 'the build went to the shared directory');
      assert.ok(existsSync(join(repo.nativeDir, 'target', 'release')), "no build in the workspace's own target/");
    },
  );
});
