/**
 * The counting pass loses counts, never the job: a bench that does not build
 * against the harness, and one that runs past the time limit per bench
 * binary, lose their own benchmarks' counts with the reason; the other
 * benches keep theirs, and Cargo.lock comes back byte for byte. Runs the real
 * build and Valgrind on a copy of fixtures/workspaces/criterion-counts with
 * two benches added. Needs Valgrind.
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

const LIMIT_SECONDS = 20;
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
      '\n[[bench]]\nname = "broken"\nharness = false\n\n[[bench]]\nname = "slow"\nharness = false\n',
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
      limitSeconds: LIMIT_SECONDS,
    };
  });

  it('counts the good bench, names the broken one and the one stopped at the limit; the lock is as it was', async () => {
    const before = readFileSync(lock);
    const started = Date.now();
    const outcome = await runCriterionCounts(
      setup,
      [target('parse'), target('broken'), target('slow')],
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
        reason: `the bench binary died under Valgrind in it (stopped at the ${LIMIT_SECONDS} s limit per bench binary)`,
      },
    );
    assert.match(outcome.notes.join(' '), /Not built against the counting harness: counted --bench broken \(.+\)/);
    assert.match(
      outcome.notes.join(' '),
      new RegExp(`counted --bench slow ran past the counting pass's ${LIMIT_SECONDS} s limit per bench binary`),
    );
    assert.ok(
      outcome.seconds.valgrind < 300,
      `the slow bench was stopped (Valgrind took ${outcome.seconds.valgrind} s)`,
    );
    assert.ok(readFileSync(lock).equals(before), 'Cargo.lock is byte for byte what it was');
    process.stderr.write(`counting pass with failures: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it('when no bench builds, the pass reports why instead of failing', async () => {
    const outcome = await runCriterionCounts(setup, [target('broken')], join(root, 'counts-none'), log);
    assert.equal(outcome.ran, false);
    assert.match(
      outcome.ran ? '' : outcome.reason,
      /^no bench built against the counting harness: counted --bench broken/,
    );
  });
});
