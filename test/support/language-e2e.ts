/**
 * The language examples end to end (workflows-examples/bench-<lang>.yml): a
 * real small project of that language in a temporary git repository, run by
 * the bundled action with the example's own inputs against the loopback
 * GitHub, with no Rust toolchain on PATH. Three pushes record a baseline whose
 * history ends the cold start; then an unchanged pull request must pass and
 * one that does eleven times the work in one benchmark must fail on it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { NODE24, REPO_ROOT, runAction, type ActionRun } from './action-runner.ts';
import { git } from './cargo-repo.ts';
import { FakeGitHub } from './fake-github.ts';
import { pullRequestEvent, pushEvent } from './github-events.ts';
import { pathWithout } from './path-without.ts';

/** What a runner without Rust lacks: cargo, rustc, rustup and their kin. */
const RUST_TOOLS = /^(cargo|rustc|rustup|rustdoc|rustfmt|rust-gdb|rust-lldb|rust-analyzer|clippy-driver)(-.*)?$/;

/** PATH as it is, less every Rust tool: a runner with no Rust toolchain installed. */
export function pathWithoutRust(): string {
  return pathWithout((name) => RUST_TOOLS.test(name), 'rust');
}

interface Step {
  uses?: string;
  with?: Record<string, string>;
}

/** The bench-action step's inputs of an example workflow, as the runner would pass them (expressions left out). */
export function exampleInputs(file: string): Record<string, string> {
  const workflow = parse(readFileSync(join(REPO_ROOT, 'workflows-examples', file), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const bench = steps.find((step) => step.uses?.startsWith('sark/bench-action@'));
  assert.ok(bench, `${file} has a bench-action step`);
  return Object.fromEntries(Object.entries(bench.with ?? {}).filter(([, value]) => !String(value).includes('${{')));
}

/** A git repository holding `files`, committed on main. */
function createRepo(files: Record<string, string>): { root: string; sha: string } {
  const root = mkdtempSync(join(tmpdir(), 'bench-lang-'));
  git(root, 'init', '-q', '-b', 'main');
  return { root, sha: commit(root, files, 'initial') };
}

function commit(root: string, files: Record<string, string>, message: string): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}

export interface LanguageCase {
  /** e.g. 'Go module, go test -bench'. */
  label: string;
  /** The example workflow under workflows-examples/. */
  example: string;
  /** The project's files; `slow`: the benchmarked function does twice the work. */
  files: (slow: boolean) => Record<string, string>;
  /** Set up the checkout as the example's steps before bench-action would (npm ci: node_modules). */
  prepare?: (root: string) => void;
  /** Extra environment of the job (no network: GOPROXY=off, ...). */
  env?: Record<string, string>;
  /** The benchmark ids the suite writes, each with its wall time. */
  ids: readonly string[];
  /** The metrics each benchmark has (`time`, and Go's -benchmem B/op and allocs/op, each its own row). */
  metrics: readonly string[];
  /** The id the slow head makes 2x slower. */
  slowed: string;
  /** Generous: a loaded 2-core machine. */
  timeoutMs: number;
}

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- summary (head)\n${run.summary.slice(0, 3000)}\n--- stdout (tail)\n${run.stdout.slice(-5000)}\n--- stderr (tail)\n${run.stderr.slice(-2500)}`;
}

/** The action runs as a step of the example's job: its inputs, the fake's token and environment, no Rust. */
export function describeLanguage(c: LanguageCase): void {
  describe(`${c.label}: ${c.example} end to end, no Rust toolchain on PATH`, { concurrency: 1 }, () => {
    let fake: FakeGitHub;
    let root: string;
    let mainSha: string;
    const noRust = pathWithoutRust();
    const act = (runId: number, event: Record<string, unknown>) =>
      runAction({
        node: NODE24,
        env: { ...fake.env(runId), ...c.env, PATH: noRust },
        event,
        // The confirmation round's budget cut from the default 10 minutes to 2, for the suite's time, and the
        // threshold raised from 10% to 50%: the test is about the language's path through the action, and at load
        // ~20 on 2 cores an unchanged pytest-benchmark run moved +47% [+40%, +55%] from its baseline, which the round
        // then left undecided, so the unchanged PR failed. The slowed benchmark does eleven times the work: at twice,
        // a Go run at load ~11 read +46.1% [-33%, +218%], 0.31 below the truth on the log scale with a half-width of
        // 0.78, and stayed undecided. The same draw on x11 (log 2.40) puts the lower bound at 2.40 - 0.31 - 0.78 =
        // 1.31, +271%, far past the 50% threshold; at x4 it would have been +34%, undecided again.
        inputs: {
          ...exampleInputs(c.example),
          'github-token': fake.writeToken,
          'confirm-budget': '2',
          threshold: '50',
        },
        workspace: root,
        timeoutMs: c.timeoutMs,
      });
    const noRustTried = (run: ActionRun) => {
      assert.doesNotMatch(run.stdout, /rustup|Rust toolchain|cargo (build|bench)/, 'no Rust step ran');
    };

    before(async () => {
      fake = await FakeGitHub.start();
      ({ root, sha: mainSha } = createRepo(c.files(false)));
      c.prepare?.(root);
    });
    after(() => fake.close());

    it(
      'three pushes record the baseline with its history (the cold start ends)',
      { timeout: 3 * c.timeoutMs + 30_000 },
      async () => {
        for (const n of [1, 2, 3]) {
          if (n > 1) mainSha = commit(root, { 'CHANGES.md': `push ${n}\n` }, `push ${n}`);
          const run = fake.addRun({ headSha: mainSha });
          const result = await act(run.id, pushEvent(fake, run.id));
          assert.equal(result.code, 0, explain(result));
          // A push never fails on a regression (fail-on-regression is off on pushes), whatever the runner did.
          if (n === 1) assert.equal(result.outputs['verdict'], 'no-baseline', explain(result));
          else assert.notEqual(result.outputs['verdict'], 'no-baseline', 'the second push compares with the first');
          noRustTried(result);
          const results = JSON.parse(readFileSync(result.outputs['results-path'] ?? '', 'utf8')) as {
            benchmarks: { id: string; metric: string }[];
          };
          const timed = results.benchmarks.filter((b) => b.metric === 'time').map((b) => b.id);
          assert.deepEqual(timed.sort(), [...c.ids].sort());
          const rows = results.benchmarks.map((b) => `${b.id} ${b.metric}`).sort();
          assert.deepEqual(rows, c.ids.flatMap((id) => c.metrics.map((metric) => `${id} ${metric}`)).sort());
          assert.ok(fake.artifactsOf(run.id, 'bench-baseline')[0], `push ${n} uploads the baseline`);
          fake.completeRun(run.id, 'success');
        }
      },
    );

    const openPull = (number: number, files: Record<string, string>) => {
      git(root, 'checkout', '-q', '-b', `pr-${number}`, mainSha);
      const headSha = commit(root, files, `pull request ${number}`);
      fake.addPull({ number, headSha, baseSha: mainSha, headRef: `pr-${number}` });
      fake.setMergeBase(mainSha, headSha, mainSha);
      return fake.addRun({ headSha, event: 'pull_request', headBranch: `pr-${number}`, pullRequests: [number] });
    };

    it('an unchanged pull request passes, with one comment', { timeout: c.timeoutMs + 30_000 }, async () => {
      const run = openPull(1, { 'README.md': 'Docs only.\n' });
      const result = await act(run.id, pullRequestEvent(fake, 1));
      assert.equal(result.code, 0, explain(result));
      assert.equal(result.outputs['verdict'], 'pass', explain(result));
      assert.equal(result.outputs['regressions'], '0');
      noRustTried(result);
      assert.equal(fake.commentsOn(1).length, 1);
    });

    it(
      `a pull request that multiplies by eleven the work of ${c.slowed} fails on it, the command run again on base and head`,
      { timeout: c.timeoutMs + 30_000 },
      async () => {
        const run = openPull(2, c.files(true));
        const result = await act(run.id, pullRequestEvent(fake, 2));
        assert.equal(result.code, 1, explain(result));
        assert.equal(result.outputs['verdict'], 'regression', explain(result));
        noRustTried(result);
        assert.ok(
          result.errors.some((e) => e.includes(`${c.slowed} regressed`)),
          explain(result),
        );
        const comment = fake.commentsOn(2)[0]?.body ?? '';
        assert.match(comment, new RegExp(c.slowed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.equal(fake.artifactsOf(run.id, 'bench-baseline').length, 0, 'a pull request never writes the baseline');
        // Every regression the baseline flags is measured again here: the command, on the base's worktree and the head.
        assert.match(result.stdout, /Check out the base [0-9a-f]{7} in a worktree/, explain(result));
        assert.match(result.stdout, /Confirmation pair 1: base/, explain(result));
        assert.match(comment, /Confirmation round/);
      },
    );
  });
}
