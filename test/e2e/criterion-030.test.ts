/**
 * Criterion 0.3.0 (locked by anes 0.1.6, for one) ignores CRITERION_HOME and
 * writes its results to $CARGO_TARGET_DIR/criterion, where the action did not
 * look: the run stopped with "no Criterion benchmarks found". The bundled
 * action on fixtures/workspaces/criterion-0.3.0 must take the results this run
 * wrote there, and not the stale ones a previous run (or a cached target
 * directory) left beside them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Results } from '../../src/schema/types.ts';
import { NODE24, runAction } from '../support/action-runner.ts';
import { createCriterionRepo, criterionTarget, type CriterionRepo } from '../support/criterion-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pushEvent } from '../support/github-events.ts';

const TARGET = criterionTarget('criterion-030');

describe('a crate on Criterion 0.3.0, which ignores CRITERION_HOME', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let repo: CriterionRepo;
  before(async () => {
    assert.equal(NODE24.missing, null, NODE24.missing ?? '');
    fake = await FakeGitHub.start();
    repo = createCriterionRepo('main', 'criterion-0.3.0');
  });
  after(() => fake.close());

  it(
    'a push records the benchmarks this run wrote to the target directory, no stale one',
    { timeout: 1_500_000 },
    async () => {
      // A result an earlier run left where Criterion 0.3.0 writes: not this run's, so not taken.
      const stale = join(TARGET, 'criterion', 'stale_bench', 'new');
      mkdirSync(stale, { recursive: true });
      writeFileSync(
        join(stale, 'benchmark.json'),
        JSON.stringify({
          group_id: 'stale_bench',
          function_id: null,
          value_str: null,
          throughput: null,
          full_id: 'stale_bench',
          directory_name: 'stale_bench',
        }),
      );
      const run = fake.addRun({ headSha: repo.baseSha });
      const result = await runAction({
        node: NODE24,
        env: { ...fake.env(run.id), CARGO_TARGET_DIR: TARGET },
        event: pushEvent(fake, run.id),
        inputs: { 'github-token': fake.writeToken, quick: 'true', instructions: 'false' },
        workspace: repo.root,
        timeoutMs: 1_480_000,
      });
      assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
      assert.match(result.stdout, /1 Criterion benchmark written outside CRITERION_HOME \(a Criterion before 0\.3\.3/);
      const results = JSON.parse(readFileSync(result.outputs['results-path'] ?? '', 'utf8')) as Results;
      assert.deepEqual(
        results.benchmarks.map((b) => [b.id, b.metric]),
        [['parse_digits/12', 'time']],
      );
      assert.ok((results.benchmarks[0]?.estimates.median ?? 0) > 0);
    },
  );
});
