/**
 * Instruction counts for plain Criterion benches, end to end: the bundled
 * action on a crate whose benches know nothing of bench-action
 * (fixtures/workspaces/criterion-counts, Criterion 0.3.6), against the
 * loopback GitHub. Two pushes of the same commit count the same; a pull
 * request that adds 2% to one function's work fails on that count, with wall
 * time beside it; the benchmark the count cannot measure (iter_custom) keeps
 * its wall-time verdict and the comment says why; no file of the crate's
 * changes. Needs Valgrind (scripts/setup.sh installs it).
 *
 * The same test runs on a public crate for docs/verdicts.md, writing the
 * record the page's table is rendered from (evaluation/verdicts/criterion-counts.ts);
 * evaluation/verdicts/record-criterion-counts.sh sets it up per crate:
 *   BENCH_COUNTS_CRATE=/path/to/crate BENCH_COUNTS_TARGET=/path/to/target \
 *   BENCH_COUNTS_CHANGE='{"file":"src/x.rs","from":"...","to":"...","description":"..."}' \
 *   BENCH_COUNTS_EXPECT=group/id BENCH_COUNTS_TOUCHED='["group/id", ...]' [BENCH_COUNTS_LOCK_NOTE=...] \
 *   BENCH_COUNTS_INPUTS='{"confirm":"false"}' BENCH_COUNTS_REPORT=evaluation/verdicts/criterion-counts/x.json \
 *   node scripts/test.mjs test/valgrind/criterion-counts-e2e.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lockedRegistryCriterion } from '../../src/run/criterion-harness.ts';
import type { Results } from '../../src/schema/types.ts';
import type { CountsRecord, RecordedRun } from '../../evaluation/verdicts/criterion-counts.ts';
import { NODE24, REPO_ROOT, runAction, type ActionRun } from '../support/action-runner.ts';
import { git } from '../support/cargo-repo.ts';
import { criterionTarget } from '../support/criterion-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';

const CRATE = process.env['BENCH_COUNTS_CRATE'] ?? join(REPO_ROOT, 'fixtures', 'workspaces', 'criterion-counts');
const TARGET = process.env['BENCH_COUNTS_TARGET'] ?? criterionTarget('criterion-counts-e2e');
const CHANGE = JSON.parse(
  process.env['BENCH_COUNTS_CHANGE'] ??
    JSON.stringify({
      file: 'src/lib.rs',
      from: 'ROUNDS: u32 = 50;',
      to: 'ROUNDS: u32 = 51;',
      description: 'checksum: 51 rounds instead of 50',
    }),
) as { file: string; from: string; to: string; description?: string };
const EXPECT = process.env['BENCH_COUNTS_EXPECT'] ?? 'checksum/64';
const FIXTURE = process.env['BENCH_COUNTS_CRATE'] === undefined;
/** More inputs for a public crate's run, e.g. {"confirm": "false"}. */
const EXTRA_INPUTS = JSON.parse(process.env['BENCH_COUNTS_INPUTS'] ?? '{}') as Record<string, string>;
const STEP_MS = 2_400_000;

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-5000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

function counts(run: ActionRun): Map<string, number> {
  const results = JSON.parse(readFileSync(run.outputs['results-path'] ?? '', 'utf8')) as Results;
  return new Map(
    results.benchmarks.filter((b) => b.metric === 'instructions').map((b) => [b.id, b.estimates.median] as const),
  );
}

/** One run as the evaluation record keeps it (evaluation/verdicts/criterion-counts.ts). */
function recorded(run: ActionRun, started: { at: number; load: number }): RecordedRun {
  const results = JSON.parse(readFileSync(run.outputs['results-path'] ?? '', 'utf8')) as Results;
  const timing = /Criterion benches counted under Callgrind: .*?build (\d+) s, Valgrind (\d+) s\./.exec(run.stdout);
  return {
    seconds: Math.round((Date.now() - started.at) / 100) / 10,
    load: [started.load, loadavg()[0] ?? 0],
    counting: timing ? { build: Number(timing[1]), valgrind: Number(timing[2]) } : null,
    counts: Object.fromEntries(counts(run)),
    wallTime: results.benchmarks.filter((b) => b.metric === 'time').length,
  };
}

const version = (command: string) => execFileSync(command, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';

describe('plain Criterion benches get instruction counts with no change to the project', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let root: string;
  let baseSha: string;
  let headSha: string;
  const runs: ActionRun[] = [];
  const pushes: RecordedRun[] = [];
  let pr: CountsRecord['pr'] | null = null;
  const env = (runId: number) => ({ ...fake.env(runId), CARGO_TARGET_DIR: TARGET });
  const inputs = () => ({ 'github-token': fake.writeToken, quick: 'true', ...EXTRA_INPUTS });

  before(async () => {
    assert.equal(NODE24.missing, null, NODE24.missing ?? '');
    fake = await FakeGitHub.start();
  });
  after(() => {
    fake?.close();
    const out = process.env['BENCH_COUNTS_REPORT'];
    if (!out || pr === null) return;
    // What ran: the commit, marked -dirty when the tree differs from it (the records this script writes aside), so a
    // record never names a commit its code was not.
    const benchActionCommit = () => {
      const changed = git(REPO_ROOT, 'status', '--porcelain', '--', '.', ':!evaluation/verdicts/criterion-counts');
      return `${git(REPO_ROOT, 'rev-parse', '--short', 'HEAD')}${changed.trim() === '' ? '' : '-dirty'}`;
    };
    const manifest = readFileSync(join(CRATE, 'Cargo.toml'), 'utf8');
    const field = (name: string) => new RegExp(`^${name} = "([^"]+)"`, 'm').exec(manifest)?.[1] ?? '?';
    const record: CountsRecord = {
      crate: { name: field('name'), version: field('version') },
      criterion: lockedRegistryCriterion(readFileSync(join(root, 'Cargo.lock'), 'utf8')),
      lockNote: process.env['BENCH_COUNTS_LOCK_NOTE'] ?? null,
      change: { file: CHANGE.file, description: CHANGE.description ?? `'${CHANGE.from}' to '${CHANGE.to}'` },
      touched: JSON.parse(process.env['BENCH_COUNTS_TOUCHED'] ?? JSON.stringify([EXPECT])) as string[],
      recorded: {
        date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        commit: benchActionCommit(),
        valgrind: version('valgrind'),
        rustc: version('rustc'),
        cpu: `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores`,
      },
      inputs: { quick: 'true', ...EXTRA_INPUTS },
      pushes,
      pr,
    };
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  });

  it('sets up a git checkout of the crate, a base commit and a head with the change', () => {
    root = mkdtempSync(join(tmpdir(), 'bench-counts-'));
    cpSync(CRATE, root, { recursive: true });
    writeFileSync(join(root, '.gitignore'), 'target/\n');
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    baseSha = git(root, 'rev-parse', 'HEAD');
    const file = join(root, CHANGE.file);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(CHANGE.from), `${CHANGE.file} has no '${CHANGE.from}'`);
    writeFileSync(file, text.replace(CHANGE.from, CHANGE.to));
    git(root, 'commit', '-qam', 'about 2% more work in one function');
    headSha = git(root, 'rev-parse', 'HEAD');
    git(root, 'checkout', '-q', baseSha);
    mkdirSync(TARGET, { recursive: true });
  });

  for (const n of [1, 2]) {
    it(
      `push ${n} of the same commit records a count for every Criterion benchmark it can count`,
      { timeout: STEP_MS },
      async () => {
        const run = fake.addRun({ headSha: baseSha });
        const started = { at: Date.now(), load: loadavg()[0] ?? 0 };
        const result = await runAction({
          node: NODE24,
          env: env(run.id),
          event: pushEvent(fake, run.id),
          inputs: inputs(),
          workspace: root,
          timeoutMs: STEP_MS - 20_000,
        });
        assert.equal(result.code, 0, explain(result));
        runs.push(result);
        fake.completeRun(run.id, 'success');
        // No file of the crate's changed, Cargo.lock included (the patched build rewrites it, the action puts it back).
        assert.equal(git(root, 'status', '--porcelain'), '', 'the checkout is unchanged');
        assert.match(result.stdout, /Build the Criterion benches with bench-action's counting harness/);
        const got = counts(result);
        assert.ok(got.get(EXPECT), `a count for ${EXPECT}: ${JSON.stringify([...got])}`);
        pushes.push(recorded(result, started));
        if (FIXTURE) {
          assert.deepEqual([...got.keys()].sort(), ['checksum/64', 'digits/batched', 'digits/parse/12']);
          // The setup builds an 18-byte vector; parsing it is all that is counted, close to the 12 digits' count.
          assert.ok((got.get('digits/batched') ?? 0) < 3 * (got.get('digits/parse/12') ?? 0), JSON.stringify([...got]));
        }
      },
    );
  }

  it('two runs of unchanged code give identical counts for every benchmark', () => {
    const [first, second] = runs.map(counts);
    assert.ok(first && second);
    const differing = [...first].filter(([id, c]) => second.get(id) !== c);
    assert.deepEqual(differing, [], 'counts that moved between two runs of one commit');
    assert.equal(second.size, first.size);
  });

  it(
    'a pull request adding about 2% to one function fails on its count, wall time beside it',
    { timeout: STEP_MS },
    async () => {
      git(root, 'checkout', '-q', headSha);
      fake.addPull({ number: 7, headSha, baseSha });
      fake.setMergeBase(baseSha, headSha, baseSha);
      const run = fake.addRun({ headSha, event: 'pull_request', headBranch: 'more-work', pullRequests: [7] });
      const started = { at: Date.now(), load: loadavg()[0] ?? 0 };
      const result = await runAction({
        node: NODE24,
        env: env(run.id),
        event: pullRequestEvent(fake, 7),
        inputs: inputs(),
        workspace: root,
        timeoutMs: STEP_MS - 20_000,
      });
      const body = fake.commentsOn(7).at(-1)?.body ?? '';
      const firstLine = body.split('\n').find((l) => /^(❌|✅|⚠️)/.test(l)) ?? '';
      const head = counts(result);
      const base = counts(runs[1]!);
      pr = {
        ...recorded(result, started),
        code: result.code ?? -1,
        verdict: result.outputs['verdict'] ?? '',
        firstLine,
      };
      assert.equal(result.code, 1, explain(result));
      assert.equal(result.outputs['verdict'], 'regression');
      assert.ok(
        result.errors.some((e) => e.includes(EXPECT)),
        explain(result),
      );
      assert.match(firstLine, /in instruction counts over the 1\.0% threshold/, body);
      assert.match(firstLine, /instruction counts decided \d+ benchmarks?\b/);
      assert.match(body, /#### Instruction counts/);
      if (FIXTURE) {
        const change = (head.get(EXPECT) ?? 0) / (base.get(EXPECT) ?? 1) - 1;
        assert.ok(change > 0.015 && change < 0.025, `the count of ${EXPECT} moved ${change}`);
        // iter_custom: wall time only, and the comment says why.
        assert.match(
          body,
          /No instruction count for 1 Criterion benchmark \(wall time decides it\): digits\/custom \(iter\\?_custom times its own loop/,
        );
      }
    },
  );
});
