/**
 * What a confirmation round costs on an unchanged pull request of a warm
 * workspace, through the bundled action and the loopback GitHub: the fixture
 * crate on real Criterion 0.5.1 (test/run/confirm-criterion.test.ts builds it
 * into the shared test target directory, which plays the restored cargo
 * cache), with a filter of the user's own in cargo-bench-args. A push records
 * the baseline; the pull request changes a README only. Whatever the baseline
 * comparison leaves open is re-measured; nothing may be confirmed. The figures
 * go into docs/verdicts.md.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { NODE20, runAction, type ActionRun } from '../support/action-runner.ts';
import { git } from '../support/cargo-repo.ts';
import { createCriterionRepo, criterionTarget } from '../support/criterion-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';

/** This file's own target directory (cargo's lock and Criterion's results are this file's alone). */
const TARGET = criterionTarget('confirmation-cost');

interface JsonReport {
  benchmarks: Array<{ id: string; verdict: string; confirmation?: { status: string; pairs: number } }>;
  confirmationRound?: { state: string; seconds: number; buildSeconds: number; pairs: number; candidates: number };
}

const explain = (run: ActionRun): string =>
  `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;

describe('the confirmation round on an unchanged pull request of a warm Criterion 0.5 workspace', () => {
  let fake: FakeGitHub;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(() => fake.close());

  it('confirms nothing, and says what it cost', { timeout: 1_200_000 }, async () => {
    const { root, baseSha, headSha } = createCriterionRepo('main', 'criterion-0.5');
    const env = { CARGO_TARGET_DIR: TARGET };
    const inputs = { 'github-token': fake.writeToken, 'cargo-bench-args': '-- parse_digits', 'confirm-budget': '5' };

    git(root, 'checkout', '-q', baseSha);
    const push = fake.addRun({ headSha: baseSha });
    const recorded = await runAction({
      node: NODE20,
      env: { ...fake.env(push.id), ...env },
      event: pushEvent(fake, push.id),
      inputs,
      workspace: root,
      timeoutMs: 600_000,
    });
    assert.equal(recorded.code, 0, explain(recorded));
    fake.completeRun(push.id, 'success');

    git(root, 'checkout', '-q', headSha);
    fake.addPull({ number: 9, headSha, baseSha });
    fake.setMergeBase(baseSha, headSha, baseSha);
    const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'docs', pullRequests: [9] });
    const started = Date.now();
    const result = await runAction({
      node: NODE20,
      env: { ...fake.env(run.id), ...env },
      event: pullRequestEvent(fake, 9),
      inputs,
      workspace: root,
      timeoutMs: 1_000_000,
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.code, 0, explain(result));
    assert.notEqual(result.outputs['verdict'], 'regression', explain(result));
    const path = result.outputs['report-path']?.replace(/\.md$/, '.json');
    assert.ok(path && existsSync(path), explain(result));
    const report = JSON.parse(readFileSync(path, 'utf8')) as JsonReport;
    assert.ok(!report.benchmarks.some((row) => row.confirmation?.status === 'confirmed'), JSON.stringify(report));
    const round = report.confirmationRound;
    assert.notEqual(round?.state, 'skipped', explain(result));
    console.log(
      round
        ? `confirmation cost, unchanged PR, Criterion 0.5.1: round ${round.seconds.toFixed(1)} s (base build ${round.buildSeconds.toFixed(1)} s, ${round.pairs} pairs, ${round.candidates} candidates, ${round.state}) of a ${seconds.toFixed(1)} s pull-request run`
        : `confirmation cost, unchanged PR, Criterion 0.5.1: no round (the baseline cleared everything) in a ${seconds.toFixed(1)} s pull-request run`,
    );
  });
});
