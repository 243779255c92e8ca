/**
 * A matrix over suites end to end: two `suite:` jobs of one pull-request run
 * finish at the same moment and each writes its section of the one sticky
 * comment; neither loses the other's. Each looks for its own baseline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readSections } from '../../src/report/sections.ts';
import { NODE20, REPO_ROOT, runAction, type ActionRun } from '../support/action-runner.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent } from '../support/github-events.ts';
import { join } from 'node:path';

const RUN_A = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-3000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;
}

describe('Node 20: two suites of one matrix share one comment', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(() => fake.close());

  it(
    'both finish at once: one comment, a section each, each job its own baseline name',
    { timeout: 180_000 },
    async () => {
      const headSha = 'c'.repeat(40);
      fake.addPull({ number: 7, headSha, baseSha: 'b'.repeat(40) });
      fake.setMergeBase('b'.repeat(40), headSha, 'b'.repeat(40));
      const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'feature', pullRequests: [7] });
      const job = (suite: string): Promise<ActionRun> =>
        runAction({
          node: NODE20,
          env: fake.env(run.id, { GITHUB_JOB: 'bench' }),
          event: pullRequestEvent(fake, 7),
          inputs: { 'github-token': fake.writeToken, mode: 'compare', results: RUN_A, suite },
        });
      const [linux, macos] = await Promise.all([job('linux'), job('macos')]);
      assert.equal(linux.code, 0, explain(linux));
      assert.equal(macos.code, 0, explain(macos));
      const comments = fake.commentsOn(7);
      assert.equal(comments.length, 1, comments.map((c) => c.body.slice(0, 200)).join('\n---\n'));
      assert.deepEqual([...readSections(comments[0]?.body ?? '').keys()], ['linux', 'macos']);
      const listed = fake.requests
        .filter((r) => r.method === 'GET' && r.path.includes('/actions/artifacts?'))
        .map((r) => decodeURIComponent(r.path));
      assert.ok(
        listed.some((p) => p.includes('name=bench-baseline-linux')),
        listed.join('\n'),
      );
      assert.ok(
        listed.some((p) => p.includes('name=bench-baseline-macos')),
        listed.join('\n'),
      );
    },
  );
});
