/**
 * The confirmation round end to end: the bundled action, the loopback GitHub
 * and a real Cargo workspace of two commits. A push records the baseline on
 * the base commit; the pull request then runs on a runner slowed on purpose
 * (BENCH_SLOWDOWN=1.5: every benchmark reports 1.5x its time) and jittered on
 * purpose (BENCH_JITTER: each run of each benchmark reports exp(0.025 z) times
 * its time), so against the baseline everything looks slower. The round
 * rebuilds the base here and re-measures, pair by pair, every benchmark the
 * baseline could not clear. The workspace's clock is a model
 * (test/support/bench-workspace.ts): the noise is the injected noise alone.
 * At that noise the rule confirmed the +20% and cleared an unchanged
 * benchmark in all of 100,000 seeded rounds (test/compare/sequential.test.ts),
 * so these tests do not fail by chance; where the rule fails them, it is the
 * rule. Its argument parsing refuses a second filter as Criterion
 * 0.3 does, and both runs pass a filter of the user's own in cargo-bench-args.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
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
  confirmation?: {
    status: string;
    baselineVerdict: string;
    change: number | null;
    ci: { lower: number; upper: number } | null;
    pairs: number;
  };
}

interface JsonReport {
  benchmarks: JsonRow[];
  confirmationRound?: { state: string; seconds: number; buildSeconds: number; pairs: number; reason?: string };
}

const USER_FILTER = '-- work';
const SLOWED = { BENCH_SLOWDOWN: '1.5', BENCH_JITTER: '0.025' };

/** Records the baseline on the base commit (a push), then runs the pull request on the slowed, jittered runner. */
async function pullRequestAgainstBaseline(
  fake: FakeGitHub,
  repo: BenchRepo,
  pr: number,
): Promise<{ result: ActionRun; report: JsonReport }> {
  repo.checkout(repo.baseSha);
  const push = fake.addRun({ headSha: repo.baseSha });
  const inputs = { 'github-token': fake.writeToken, 'native-dir': 'native', 'cargo-bench-args': USER_FILTER };
  const recorded = await runAction({
    node: NODE20,
    env: fake.env(push.id),
    event: pushEvent(fake, push.id),
    inputs,
    workspace: repo.root,
    timeoutMs: 240_000,
  });
  assert.equal(recorded.code, 0, explain(recorded));
  assert.equal(recorded.outputs['verdict'], 'no-baseline');
  assert.equal(fake.artifactsOf(push.id, 'bench-baseline').length, 1, explain(recorded));
  fake.completeRun(push.id, 'success');

  repo.checkout(repo.headSha);
  fake.addPull({ number: pr, headSha: repo.headSha, baseSha: repo.baseSha });
  fake.setMergeBase(repo.baseSha, repo.headSha, repo.baseSha);
  const run = fake.addRun({ headSha: repo.headSha, event: 'pull_request', headBranch: 'feature', pullRequests: [pr] });
  const result = await runAction({
    node: NODE20,
    env: { ...fake.env(run.id), ...SLOWED },
    event: pullRequestEvent(fake, pr),
    inputs: { ...inputs, 'confirm-budget': '5' },
    workspace: repo.root,
    timeoutMs: 560_000,
  });
  const path = result.outputs['report-path']?.replace(/\.md$/, '.json');
  assert.ok(path && existsSync(path), explain(result));
  return { result, report: JSON.parse(readFileSync(path, 'utf8')) as JsonReport };
}

/** No row whose interval on this runner spans the threshold is called cleared, or ticked in the comment. */
function assertNoTickOnAnOpenInterval(report: JsonReport, comment: string): void {
  for (const row of report.benchmarks) {
    const c = row.confirmation;
    if (!c?.ci) continue;
    const spans = c.ci.lower <= 1.1 && c.ci.upper >= 1.1;
    if (spans) {
      assert.equal(c.status, 'undecided', JSON.stringify(row));
      assert.doesNotMatch(comment, new RegExp(`${row.id.replace('/', '\\/')} \\|[^\\n]*✅`), row.id);
    }
  }
}

describe(
  'confirmation round: a PR on a slowed, jittered runner, against a baseline from a fast one',
  { concurrency: 1 },
  () => {
    // A loopback GitHub per test: each pull request has its own baseline.
    let fake: FakeGitHub;

    beforeEach(async () => {
      fake = await FakeGitHub.start();
    });
    afterEach(() => fake.close());

    it(
      'confirms the benchmark slowed 20% and clears the others, with a filter of the user',
      { timeout: 900_000 },
      async () => {
        const repo = createBenchRepo({ a: 100_000, b: 100_000, c: 100_000 }, { a: 100_000, b: 120_000, c: 100_000 });
        const { result, report } = await pullRequestAgainstBaseline(fake, repo, 5);
        // The round ran despite the user's filter: before, Criterion refused the second one and the round was skipped.
        assert.equal(report.confirmationRound?.state, 'complete', explain(result));
        assert.equal(result.code, 1, explain(result));
        assert.equal(result.outputs['verdict'], 'regression');
        assert.equal(result.outputs['regressions'], '1', explain(result));
        assert.ok(
          result.errors.some((e) => e.includes('work/b regressed')),
          explain(result),
        );
        const b = report.benchmarks.find((row) => row.id === 'work/b');
        assert.equal(b?.confirmation?.status, 'confirmed', JSON.stringify(report.benchmarks));
        // What this runner measured is the real 20%, not the slowed runner's 1.8x against the baseline.
        const change = b?.confirmation?.change ?? 0;
        assert.ok(change > 1.1 && change < 1.35, `work/b on this runner: ${change}`);
        for (const row of report.benchmarks.filter((r) => r.id !== 'work/b')) {
          assert.notEqual(row.verdict, 'regression', JSON.stringify(row));
          assert.equal(row.confirmation?.status, 'cleared', JSON.stringify(row));
        }
        assert.match(result.stdout, /Confirmation round: \d+ round pairs in \d+ s, \d+ s of it building/);
        const [comment] = fake.commentsOn(5);
        assert.ok(comment, explain(result));
        assert.match(comment.body, /Confirmation round/);
        assert.match(comment.body, /work\/b \|.*\| ❌ confirmed on this runner/);
        assertNoTickOnAnOpenInterval(report, comment.body);
      },
    );

    it('clears an unchanged pull request', { timeout: 900_000 }, async () => {
      const same = { a: 100_000, b: 100_000, c: 100_000 };
      const repo = createBenchRepo(same, same);
      const { result, report } = await pullRequestAgainstBaseline(fake, repo, 6);
      assert.equal(result.code, 0, explain(result));
      assert.equal(report.confirmationRound?.state, 'complete', explain(result));
      assert.equal(result.outputs['regressions'], '0', explain(result));
      for (const row of report.benchmarks) {
        assert.equal(row.confirmation?.status, 'cleared', JSON.stringify(row));
      }
      const [comment] = fake.commentsOn(6);
      assert.ok(comment, explain(result));
      assertNoTickOnAnOpenInterval(report, comment.body);
    });
  },
);
