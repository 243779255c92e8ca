/**
 * The confirmation round end to end: the bundled action, the loopback GitHub
 * and a real Cargo workspace of two commits, the head making work/b 20%
 * slower. A push records the baseline on the base commit; the pull request
 * then runs on an artificially slowed runner (BENCH_SLOWDOWN=1.5: every
 * benchmark does 1.5x the work), so against the baseline everything looks
 * slower. The confirmation round rebuilds the base here and re-measures the
 * flagged benchmarks interleaved with the head: only work/b stays a
 * regression, at the default threshold. The workspace's bench times its
 * thread's CPU time (test/support/bench-workspace.ts): wall time on this
 * shared 2-core machine swung an unchanged benchmark 1.9x between rounds.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { NODE20, runAction, type ActionRun } from '../support/action-runner.ts';
import { createBenchRepo, type BenchRepo } from '../support/bench-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';

function explain(run: ActionRun): string {
  let rows = '';
  const path = run.outputs['report-path']?.replace(/\.md$/, '.json');
  if (path && existsSync(path))
    rows = `\n--- report rows\n${JSON.stringify((JSON.parse(readFileSync(path, 'utf8')) as { benchmarks: unknown }).benchmarks)}`;
  return `exit ${run.code}${rows}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;
}

interface JsonRow {
  id: string;
  verdict: string;
  change: number | null;
  confirmation?: { status: string; baselineVerdict: string; change: number | null };
}

describe('confirmation round: a PR on a slowed runner, against a baseline from a fast one', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let repo: BenchRepo;

  before(async () => {
    fake = await FakeGitHub.start();
    repo = createBenchRepo({ a: 100_000, b: 100_000, c: 100_000 }, { a: 100_000, b: 120_000, c: 100_000 });
  });
  after(() => fake.close());

  it('confirms the slowed benchmark as a regression and clears the others', { timeout: 600_000 }, async () => {
    repo.checkout(repo.baseSha);
    const push = fake.addRun({ headSha: repo.baseSha });
    const recorded = await runAction({
      node: NODE20,
      env: fake.env(push.id),
      event: pushEvent(fake, push.id),
      inputs: { 'github-token': fake.writeToken, 'native-dir': 'native' },
      workspace: repo.root,
      timeoutMs: 240_000,
    });
    assert.equal(recorded.code, 0, explain(recorded));
    assert.equal(fake.artifactsOf(push.id, 'bench-baseline').length, 1, explain(recorded));
    fake.completeRun(push.id, 'success');

    repo.checkout(repo.headSha);
    fake.addPull({ number: 5, headSha: repo.headSha, baseSha: repo.baseSha });
    fake.setMergeBase(repo.baseSha, repo.headSha, repo.baseSha);
    const run = fake.addRun({ headSha: repo.headSha, event: 'pull_request', headBranch: 'feature', pullRequests: [5] });
    const result = await runAction({
      node: NODE20,
      env: { ...fake.env(run.id), BENCH_SLOWDOWN: '1.5' },
      event: pullRequestEvent(fake, 5),
      inputs: { 'github-token': fake.writeToken, 'native-dir': 'native', rounds: '5', 'confirm-budget': '5' },
      workspace: repo.root,
      timeoutMs: 560_000,
    });
    assert.equal(result.code, 1, explain(result));
    assert.equal(result.outputs['verdict'], 'regression');
    assert.equal(result.outputs['regressions'], '1', explain(result));
    assert.ok(
      result.errors.some((e) => e.includes('work/b regressed')),
      explain(result),
    );
    assert.ok(!result.errors.some((e) => /work\/[ac] regressed/.test(e)), explain(result));
    // The cost is in the log and the report.
    assert.match(
      result.stdout,
      /Confirmation round: \d+ re-measured in 5 interleaved rounds per side, \d+ s including the base's build/,
    );
    const report = JSON.parse(readFileSync(result.outputs['report-path']!.replace(/\.md$/, '.json'), 'utf8')) as {
      benchmarks: JsonRow[];
      confirmationRound: { seconds: number };
    };
    const b = report.benchmarks.find((row) => row.id === 'work/b');
    assert.equal(b?.confirmation?.status, 'confirmed', JSON.stringify(report.benchmarks));
    // What this runner measured is the real 20%, not the slowed runner's 1.8x against the baseline.
    const change = b?.confirmation?.change ?? 0;
    assert.ok(change > 1.1 && change < 1.35, `work/b on this runner: ${change}`);
    for (const row of report.benchmarks.filter((r) => r.id !== 'work/b')) {
      assert.notEqual(row.verdict, 'regression', JSON.stringify(row));
    }
    const [comment] = fake.commentsOn(5);
    assert.ok(comment, explain(result));
    assert.match(comment.body, /Confirmation round/);
    assert.match(comment.body, /work\/b \|.*\| ❌ confirmed on this runner/);
  });
});
