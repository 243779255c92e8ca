/**
 * The `run` input's command (run/command.ts) with real bash: where its results
 * are read from (run-results, $BENCH_ACTION_OUTPUT, standard output), and the
 * one-line errors when they are not there; and the command on both sides of a
 * git repository (run/command-rounds.ts): same-runner rounds and the
 * confirmation round's sides run it in the base commit's worktree.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError, ProcessError, UsageError } from '../../src/common/errors.ts';
import { runBenchCommand, type CommandRun } from '../../src/run/command.ts';
import { commandSameRunner, confirmCommand } from '../../src/run/command-rounds.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import type { BenchCommand } from '../../src/run/settings.ts';
import { REPO_ROOT } from '../support/action-runner.ts';
import { git } from '../support/cargo-repo.ts';
import { recordingLog } from '../support/log.ts';

const GO = join(REPO_ROOT, 'fixtures', 'go', 'go-1.26-one-package.txt');
const RESULTS_JSON = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
const meta = runMetaOnce({ commit: 'a'.repeat(40) });

function commandRun(run: string, results: BenchCommand['results'] = [], cwd = mkdtempSync(join(tmpdir(), 'cmd-'))) {
  const args: CommandRun = {
    command: { run, results },
    cwd,
    env: { PATH: process.env['PATH'] ?? '' },
    quick: false,
    scratch: mkdtempSync(join(tmpdir(), 'cmd-scratch-')),
    meta,
    label: `run: ${run}`,
  };
  return { args, cwd };
}

const ids = (results: { benchmarks: { id: string; metric: string }[] }) =>
  results.benchmarks.map((b) => `${b.id} ${b.metric}`).sort();

describe('the run command: where its results are read from', () => {
  it('its standard output, detected (go test -bench text), when it names nothing and writes no file', async () => {
    const { args } = commandRun(`cat '${GO}'`);
    const results = await runBenchCommand(args, recordingLog());
    assert.deepEqual(ids(results), [
      'BenchmarkFib/n=20 steps/op',
      'BenchmarkFib/n=20 time',
      'BenchmarkFib/n=40 steps/op',
      'BenchmarkFib/n=40 time',
      'BenchmarkFib10 time',
    ]);
    assert.equal(results.run.commit, 'a'.repeat(40), "the run's metadata wraps raw output");
  });

  it('$BENCH_ACTION_OUTPUT when the command wrote it, with BENCH_ACTION_QUICK set', async () => {
    const { args } = commandRun(
      `test "$BENCH_ACTION_QUICK" = 1 && cp '${RESULTS_JSON}' "$BENCH_ACTION_OUTPUT"; echo noise`,
    );
    const results = await runBenchCommand({ ...args, quick: true }, recordingLog());
    const expected = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as { benchmarks: unknown[] };
    assert.equal(results.benchmarks.length, expected.benchmarks.length);
  });

  it('the files run-results names, relative to where it ran, in the format named; `-` is its standard output', async () => {
    const { args } = commandRun(`cat '${GO}' | tee out.txt`, [{ path: 'out.txt', format: 'go' }]);
    assert.equal((await runBenchCommand(args, recordingLog())).benchmarks.length, 5);
    const stdout = commandRun(`cat '${GO}'`, [{ path: '-', format: 'go' }]);
    assert.equal((await runBenchCommand(stdout.args, recordingLog())).benchmarks.length, 5);
  });

  it('a named file it did not write (stale from the checkout) or did not create is an error naming the file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cmd-stale-'));
    writeFileSync(join(cwd, 'old.txt'), readFileSync(GO, 'utf8'));
    utimesSync(join(cwd, 'old.txt'), new Date('2026-01-01'), new Date('2026-01-01'));
    const stale = commandRun('true', [{ path: 'old.txt' }], cwd);
    await assert.rejects(
      runBenchCommand(stale.args, recordingLog()),
      (e: unknown) => e instanceof InputError && /old\.txt: the 'run' command did not write it/.test(e.message),
    );
    const missing = commandRun('true', [{ path: 'nowhere.json' }]);
    await assert.rejects(
      runBenchCommand(missing.args, recordingLog()),
      (e: unknown) => e instanceof InputError && /nowhere\.json: not found after the 'run' command ran/.test(e.message),
    );
  });

  it('standard output that is no benchmark output, or none at all, is a usage error naming the input', async () => {
    await assert.rejects(
      runBenchCommand(commandRun('echo all tests passed').args, recordingLog()),
      (e: unknown) =>
        e instanceof UsageError && /^Input 'run': its standard output is no benchmark output/.test(e.message),
    );
    await assert.rejects(
      runBenchCommand(commandRun('true').args, recordingLog()),
      (e: unknown) => e instanceof UsageError && /^Input 'run': the command printed nothing/.test(e.message),
    );
  });

  it('a failing command (a failing stage of a pipe too) is a ProcessError with its output', async () => {
    await assert.rejects(
      runBenchCommand(commandRun(`false | cat '${GO}'`).args, recordingLog()),
      (e: unknown) => e instanceof ProcessError && /exited with 1/.test(e.message),
    );
  });
});

/** A repository whose bench.sh prints one Go benchmark line at `ns` ns/op: base 100, head 300. */
function twoCommits(): { root: string; baseSha: string } {
  const root = mkdtempSync(join(tmpdir(), 'cmd-repo-'));
  const script = (ns: number) => `echo "BenchmarkWork-2   1000   ${ns} ns/op"\n`;
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(join(root, 'bench.sh'), script(100));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFileSync(join(root, 'bench.sh'), script(300));
  git(root, 'commit', '-q', '-am', 'head');
  return { root, baseSha };
}

describe('the run command on both sides of a pull request', () => {
  const build = (root: string, run = 'bash bench.sh') => ({
    command: { run, results: [] },
    workDir: root,
    env: { PATH: process.env['PATH'] ?? '' },
    quick: false,
    meta,
  });

  it("same-runner rounds run it in the base commit's worktree and in the head, interleaved", async () => {
    const { root, baseSha } = twoCommits();
    const log = recordingLog();
    const scratch = mkdtempSync(join(tmpdir(), 'cmd-sr-'));
    const result = await commandSameRunner({ build: build(root), baseSha, rounds: 2, scratch }, log);
    assert.equal(result.base.benchmarks[0]?.estimates.median, 100);
    assert.equal(result.head.benchmarks[0]?.estimates.median, 300);
    assert.equal(result.base.run.commit, baseSha);
    assert.deepEqual(result.baseRuns.get('BenchmarkWork'), [100, 100]);
    assert.equal(git(root, 'worktree', 'list').split('\n').length, 1, 'the base worktree is removed');
  });

  it('the confirmation round measures every open candidate in each pair, base and head', async () => {
    const { root, baseSha } = twoCommits();
    // npm ci's node_modules is not in git: the base's worktree borrows the head's, and removing it leaves them be.
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), 'kept');
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    const log = recordingLog();
    const scratch = mkdtempSync(join(tmpdir(), 'cmd-confirm-'));
    const needsDeps = 'test -f node_modules/dep/index.js && bash bench.sh';
    const candidate = { key: 'BenchmarkWork', id: 'BenchmarkWork', threshold: 0.1, direction: 'lower' as const };
    const measured = await confirmCommand(
      {
        build: build(root, needsDeps),
        baseSha,
        scratch,
        candidates: [candidate],
        budgetMs: 120_000,
        design: { alpha: 0.05, looksAt: [3] },
      },
      log,
    );
    assert.equal(measured.state, 'complete');
    assert.deepEqual(measured.pairs.get('BenchmarkWork'), [
      { base: 100, head: 300 },
      { base: 100, head: 300 },
      { base: 100, head: 300 },
    ]);
    assert.equal(git(root, 'worktree', 'list').split('\n').length, 1, 'the base worktree is removed');
    assert.ok(log.lines.some((line) => /uses the head's node_modules/.test(line)));
    assert.equal(readFileSync(join(root, 'node_modules', 'dep', 'index.js'), 'utf8'), 'kept');
  });
});
