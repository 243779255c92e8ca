import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { benchExecutables, countLimitSeconds } from '../../src/run/criterion-counts.ts';
import { notCountedIn } from '../../src/run/instruction-pass.ts';
import {
  countingCargoArgs,
  harnessCopy,
  harnessSource,
  isCriterionSource,
  lockedRegistryCriterion,
  patchConfig,
} from '../../src/run/criterion-harness.ts';
import { chooseCounts, countNotes } from '../../src/run/count-choice.ts';
import type { Benchmark } from '../../src/schema/types.ts';

const count = (id: string, n: number, source: Benchmark['source'] = 'criterion-callgrind'): Benchmark => ({
  id,
  metric: 'instructions',
  group: id,
  function: null,
  parameter: null,
  source,
  unit: 'instructions',
  direction: 'lower',
  estimates: { median: n, mean: n, stdDev: null, ci: null },
  throughput: null,
  samples: null,
});

describe('the counting pass: what it builds and runs', () => {
  it('patches each registry Criterion the lock locks, the first as criterion and the others by package', () => {
    const lock = `version = 4
[[package]]
name = "criterion"
version = "0.5.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "criterion"
version = "0.3.6"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "criterion"
version = "0.9.0"
`;
    const versions = lockedRegistryCriterion(lock);
    assert.deepEqual(versions, ['0.3.6', '0.5.1']);
    assert.deepEqual(
      patchConfig(
        new Map([
          ['0.3.6', '/t/c-0.3.6'],
          ['0.5.1', '/t/c-0.5.1'],
        ]),
      ),
      [
        '--config',
        'patch.crates-io.criterion.path="/t/c-0.3.6"',
        '--config',
        'patch.crates-io.criterion-bench-action-0_5_1.path="/t/c-0.5.1"',
        '--config',
        'patch.crates-io.criterion-bench-action-0_5_1.package="criterion"',
      ],
    );
    assert.deepEqual(lockedRegistryCriterion('not toml ['), []);
  });

  it("drops --locked from the patched build (the patch rewrites the lock's Criterion entry), keeps --frozen's --offline", () => {
    assert.deepEqual(countingCargoArgs(['--locked', '--features', 'x', '--frozen', '--profile', 'bench']), [
      '--features',
      'x',
      '--offline',
      '--profile',
      'bench',
    ]);
  });

  it('bounds each bench binary under Valgrind by ten wall-time passes, at least ten minutes', () => {
    assert.equal(countLimitSeconds(12), 600);
    assert.equal(countLimitSeconds(456.2), 4562);
  });

  it('shard and same-runner modes say that their Criterion benches are not counted, unless nothing would be', () => {
    assert.match(
      notCountedIn('shard mode', 'auto', 2) ?? '',
      /^Instruction counts of the Criterion benches are not taken in shard mode: wall time decides them/,
    );
    assert.equal(notCountedIn('shard mode', 'false', 2), null);
    assert.equal(notCountedIn('compare-mode same-runner', 'true', 0), null);
  });

  it('counts only benches that use Criterion', () => {
    assert.ok(isCriterionSource('use criterion::{criterion_group, criterion_main, Criterion};'));
    assert.ok(!isCriterionSource('fn main() { divan::main(); }'));
  });

  it("reads the bench executables from cargo's JSON messages", () => {
    const json = [
      JSON.stringify({
        reason: 'compiler-artifact',
        manifest_path: '/w/p/Cargo.toml',
        target: { name: 'parse', kind: ['bench'] },
        executable: '/w/target/release/deps/parse-1',
      }),
      JSON.stringify({
        reason: 'compiler-artifact',
        manifest_path: '/w/p/Cargo.toml',
        target: { name: 'p', kind: ['lib'] },
        executable: null,
      }),
      'Compiling p',
    ].join('\n');
    assert.deepEqual(
      [...benchExecutables(json)],
      [['parse', { executable: '/w/target/release/deps/parse-1', manifestDir: '/w/p' }]],
    );
  });

  it('finds the harness in the checkout, and copies it at the locked version once per harness content', () => {
    assert.ok(existsSync(join(harnessSource(), 'src', 'lib.rs')));
    const root = mkdtempSync(join(tmpdir(), 'bench-harness-copy-'));
    const dir = harnessCopy(harnessSource(), '0.5.1', root);
    assert.match(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), /^version = "0\.5\.1"$/m);
    assert.ok(existsSync(join(dir, 'src', 'bencher.rs')) && existsSync(join(dir, 'build.rs')));
    assert.equal(harnessCopy(harnessSource(), '0.5.1', root), dir, 'the same content, the same directory');
    assert.notEqual(harnessCopy(harnessSource(), '0.3.6', root), dir);
  });
});

describe('which count a benchmark keeps, and what the report says about the others', () => {
  it("a Criterion benchmark with a gungraun twin keeps gungraun's count; the report names both", () => {
    const time = new Set(['cache_get/hit', 'cache_set/new', 'cache_delete/x', 'cache_scan']);
    const choice = chooseCounts(
      [count('cache_get/hit', 900), count('cache_set/new', 1200)],
      [count('cache_instructions/cache_get/hit', 850, 'gungraun')],
      time,
    );
    assert.deepEqual(
      choice.kept.map((b) => b.id),
      ['cache_set/new'],
    );
    assert.deepEqual(choice.gungraunUsed, [{ id: 'cache_get/hit', gungraun: 'cache_instructions/cache_get/hit' }]);
    const notes = countNotes(
      choice,
      [{ id: 'cache_delete/x', reason: 'iter_custom times its own loop' }],
      time,
      new Set(['cache_set/new']),
    );
    assert.deepEqual(notes, [
      'No instruction count for 2 Criterion benchmarks (wall time decides them): cache_delete/x (iter_custom times its own loop); cache_scan (the counting pass did not reach it).',
      "1 Criterion benchmark has a gungraun twin: gungraun's count decides, the harness's is left out (cache_get/hit ← cache_instructions/cache_get/hit).",
    ]);
  });

  it('says nothing when every benchmark has its own count', () => {
    const choice = chooseCounts([count('a', 1)], [], new Set(['a']));
    assert.deepEqual(countNotes(choice, [], new Set(['a']), new Set(['a'])), []);
  });
});
