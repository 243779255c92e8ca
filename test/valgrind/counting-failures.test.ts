/**
 * The counting pass loses counts, never the job: a bench that does not build
 * against the harness, one that runs past the time limit per bench binary and
 * one that dies outside any benchmark lose their own benchmarks' counts with
 * the cause; the other benches keep theirs, and Cargo.lock comes back byte for
 * byte. The counting build and the pass as a whole stop at their limits. Runs
 * the real build and Valgrind on copies of fixtures/workspaces/criterion-counts
 * with benches added. Needs Valgrind.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Log } from '../../src/common/log.ts';
import { runCriterionCounts, type CriterionCountsSetup } from '../../src/run/criterion-counts.ts';
import { REPO_ROOT } from '../support/action-runner.ts';
import { criterionTarget } from '../support/criterion-workspace.ts';
import { ends, pidIn, show } from '../support/processes.ts';

const LIMIT_SECONDS = 20;
const limits = { buildSeconds: 1800, binarySeconds: LIMIT_SECONDS, passSeconds: 3600, capped: false };
const log: Log = {
  info: () => {},
  warning: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
  group: (name, work) => (process.stderr.write(`${name}\n`), work()),
};

describe('a counting pass with a broken bench and a slow one', { concurrency: 1 }, () => {
  let root: string;
  let lock: string;
  let setup: CriterionCountsSetup;
  const target = (name: string) => ({ package: 'counted', name, srcPath: join(root, 'benches', `${name}.rs`) });

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bench-count-failures-'));
    cpSync(join(REPO_ROOT, 'fixtures', 'workspaces', 'criterion-counts'), root, { recursive: true });
    appendFileSync(
      join(root, 'Cargo.toml'),
      '\n[[bench]]\nname = "broken"\nharness = false\n\n[[bench]]\nname = "slow"\nharness = false\n\n[[bench]]\nname = "dies"\nharness = false\n',
    );
    // Dies after its benchmark, outside any: the cause must survive into the report.
    writeFileSync(
      join(root, 'benches', 'dies.rs'),
      'use criterion::{criterion_group, criterion_main, Criterion};\nfn b(c: &mut Criterion) { c.bench_function("dies/first", |b| b.iter(|| 1 + 1)); panic!("no fixture data in ./data"); }\ncriterion_group!(g, b);\ncriterion_main!(g);\n',
    );
    // Uses an API the harness does not have: it builds with no counting harness.
    writeFileSync(
      join(root, 'benches', 'broken.rs'),
      'use criterion::{criterion_group, criterion_main, Criterion};\nfn b(c: &mut Criterion) { c.no_such_method(); }\ncriterion_group!(g, b);\ncriterion_main!(g);\n',
    );
    writeFileSync(
      join(root, 'benches', 'slow.rs'),
      'use criterion::{criterion_group, criterion_main, Criterion};\nfn b(c: &mut Criterion) { c.bench_function("slow/sleep", |b| b.iter(|| std::thread::sleep(std::time::Duration::from_secs(60)))); }\ncriterion_group!(g, b);\ncriterion_main!(g);\n',
    );
    lock = join(root, 'Cargo.lock');
    setup = {
      nativeDir: root,
      targetDir: criterionTarget('counting-failures'),
      env: process.env,
      cargoArgs: ['--locked'],
      limits,
    };
  });

  it('counts the good bench, names the broken one and the one stopped at the limit; the lock is as it was', async () => {
    const before = readFileSync(lock);
    const started = Date.now();
    const outcome = await runCriterionCounts(
      setup,
      [target('parse'), target('broken'), target('slow'), target('dies')],
      join(root, 'counts'),
      log,
    );
    assert.ok(outcome.ran, outcome.ran ? '' : outcome.reason);
    assert.ok(
      outcome.counts.benchmarks.some((b) => b.id === 'checksum/64' && b.estimates.median > 0),
      JSON.stringify(outcome.counts),
    );
    assert.deepEqual(
      outcome.counts.uncounted.find((u) => u.id === 'slow/sleep'),
      {
        id: 'slow/sleep',
        reason: `the bench binary was stopped under Valgrind in it (stopped at the ${LIMIT_SECONDS} s limit per bench binary)`,
      },
    );
    const lost = new Map(outcome.lost.map((l) => [l.bench, l.reason]));
    assert.match(lost.get('counted --bench broken') ?? '', /^did not build against the counting harness \(.+\)$/);
    assert.equal(
      lost.get('counted --bench slow'),
      `was stopped under Valgrind in slow/sleep (stopped at the ${LIMIT_SECONDS} s limit per bench binary)`,
    );
    assert.ok(
      outcome.counts.benchmarks.some((b) => b.id === 'dies/first'),
      'the benchmark before the death is counted',
    );
    assert.equal(
      lost.get('counted --bench dies'),
      'died under Valgrind outside any benchmark (exited with 101; its last stderr line: no fixture data in ./data)',
    );
    assert.ok(
      outcome.seconds.valgrind < 300,
      `the slow bench was stopped (Valgrind took ${outcome.seconds.valgrind} s)`,
    );
    assert.ok(readFileSync(lock).equals(before), 'Cargo.lock is byte for byte what it was');
    process.stderr.write(`counting pass with failures: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it(
    'the pass stops at its limit: the bench it cut short says so, the one it had no time for is named',
    { timeout: 900_000 },
    async () => {
      // Built first (each binary stopped at once), so the pass's 60 s below go to the binaries, whichever tests run.
      const warm = await runCriterionCounts(
        { ...setup, limits: { ...limits, binarySeconds: 1 } },
        [target('slow'), target('parse')],
        join(root, 'counts-warm'),
        log,
      );
      assert.ok(warm.ran, warm.ran ? '' : warm.reason);
      const started = Date.now();
      const outcome = await runCriterionCounts(
        { ...setup, limits: { buildSeconds: 1800, binarySeconds: 600, passSeconds: 60, capped: false } },
        [target('slow'), target('parse')],
        join(root, 'counts-pass'),
        log,
      );
      assert.ok(outcome.ran, outcome.ran ? '' : outcome.reason);
      assert.deepEqual(
        outcome.lost.find((l) => l.bench === 'counted --bench parse'),
        { bench: 'counted --bench parse', reason: 'was not run: the counting pass reached its 60 s limit' },
      );
      // The pass's end stopped it, not its own 600 s: the report says which.
      assert.equal(
        outcome.lost.find((l) => l.bench === 'counted --bench slow')?.reason,
        'was stopped under Valgrind in slow/sleep (stopped when the counting pass reached its 60 s limit)',
      );
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds < 300, `the pass ended at its limit, not after the slow bench's 600 s (${seconds} s)`);
    },
  );

  it('when no bench builds, the pass reports why instead of failing', async () => {
    const outcome = await runCriterionCounts(setup, [target('broken')], join(root, 'counts-none'), log);
    assert.equal(outcome.ran, false);
    assert.match(
      outcome.ran ? '' : outcome.reason,
      /^no bench built against the counting harness: counted --bench broken/,
    );
  });
});

describe('the counting build stops at its limit, and what it started stops with it', { concurrency: 1 }, () => {
  it(
    'a build script that hangs is killed with cargo; no bench built, the pass says why',
    { timeout: 900_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-count-build-limit-'));
      cpSync(join(REPO_ROOT, 'fixtures', 'workspaces', 'criterion-counts'), root, { recursive: true });
      const pidFile = join(root, 'build-script.pid');
      // Hangs only in the counting build's target directory, so nothing else this crate builds is held up.
      writeFileSync(
        join(root, 'build.rs'),
        `fn main() { if std::env::var("OUT_DIR").unwrap().contains("bench-action-counts") { std::fs::write(${JSON.stringify(pidFile)}, format!("{}\\n", std::process::id())).unwrap(); std::thread::sleep(std::time::Duration::from_secs(600)); } }\n`,
      );
      const started = Date.now();
      // Read while the build script runs: its start time tells it from a later process given the same pid.
      const buildScript = pidIn(pidFile, 600);
      const outcome = await runCriterionCounts(
        {
          nativeDir: root,
          targetDir: criterionTarget('counting-failures'),
          env: process.env,
          cargoArgs: ['--locked'],
          limits: { buildSeconds: 240, binarySeconds: 600, passSeconds: 900, capped: false },
        },
        [{ package: 'counted', name: 'parse', srcPath: join(root, 'benches', 'parse.rs') }],
        join(root, 'counts'),
        log,
      );
      const seconds = (Date.now() - started) / 1000;
      assert.equal(outcome.ran, false);
      assert.equal(
        outcome.ran ? '' : outcome.reason,
        'no bench built against the counting harness: counted --bench parse (did not build against the counting harness (the counting build ran past its 240 s limit))',
      );
      assert.ok(seconds < 400, `stopped at the limit, not after the build script's 600 s (${seconds} s)`);
      const proc = await buildScript;
      assert.ok(await ends(proc), `the build script was killed with cargo: ${show(proc)}`);
    },
  );
});
