import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { benchArtifacts, cargoMessages } from '../../src/run/cargo-messages.ts';
import { deathCause } from '../../src/run/criterion-counts.ts';
import {
  buildLimitText,
  countLimitSeconds,
  countLimits,
  describeLimits,
  gungraunLimits,
  afterGungraun,
  passLimitText,
} from '../../src/run/count-limits.ts';
import { ProcessError } from '../../src/common/errors.ts';
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

  it('bounds the counting build by three wall-time builds (at least 20 minutes), the pass by that plus one binary', () => {
    assert.deepEqual(countLimits({ buildSeconds: 30, benchSeconds: 12 }), {
      buildSeconds: 1200,
      binarySeconds: 600,
      passSeconds: 1800,
      capped: false,
    });
    assert.deepEqual(countLimits({ buildSeconds: 700.5, benchSeconds: 100 }), {
      buildSeconds: 2102,
      binarySeconds: 1000,
      passSeconds: 3102,
      capped: false,
    });
  });

  it('caps the pass at an hour whatever the wall-time pass took, and names the cap when it decided', () => {
    // Half an hour of quick runs once allowed 5 h 20 min (20 min of build and ten times the runs).
    const long = countLimits({ buildSeconds: 60, benchSeconds: 1800 });
    assert.deepEqual(long, { buildSeconds: 1200, binarySeconds: 3600, passSeconds: 3600, capped: true });
    assert.equal(passLimitText(long), 'the 60-minute cap on a counting pass');
    assert.equal(buildLimitText(long), 'its 1200 s limit');
    // A cold two-hour build: no part's limit is longer than the pass's.
    const cold = countLimits({ buildSeconds: 7200, benchSeconds: 10 });
    assert.deepEqual(cold, { buildSeconds: 3600, binarySeconds: 600, passSeconds: 3600, capped: true });
    assert.equal(buildLimitText(cold), 'the 60-minute cap on a counting pass');
    assert.equal(passLimitText(countLimits({ buildSeconds: 30, benchSeconds: 12 })), 'its 1800 s limit');
    assert.match(describeLimits(long, { buildSeconds: 60, benchSeconds: 1800 }), /capped at 60 minutes/);
    const short = { buildSeconds: 30, benchSeconds: 12 };
    assert.doesNotMatch(describeLimits(countLimits(short), short), /capped/);
  });

  it("gives each gungraun bench a Criterion pass's limit, and the Criterion benches what gungraun's left of the cap", () => {
    const limits = countLimits({ buildSeconds: 30, benchSeconds: 12 });
    assert.deepEqual(gungraunLimits(limits), { benchSeconds: 1800, passSeconds: 3600 });
    assert.equal(afterGungraun(limits, 60), limits, 'a short gungraun pass leaves the derived limits as they were');
    assert.deepEqual(afterGungraun(limits, 3000), {
      buildSeconds: 600,
      binarySeconds: 600,
      passSeconds: 600,
      capped: true,
    });
    assert.equal(passLimitText(afterGungraun(limits, 3000) ?? limits), 'the 60-minute cap on a counting pass');
    assert.equal(afterGungraun(limits, 3600), null, 'nothing left: the Criterion benches are not counted');
  });

  it("says why a bench binary died in one line: how it ended and its last stderr line, not Valgrind's", () => {
    const failure = {
      command: 'valgrind --tool=callgrind /t/parse-1 --bench',
      cwd: '/w',
      how: 'exited with 101',
      errorLines: ["thread 'main' panicked at benches/parse.rs:3:5:"],
      tail: 'Benchmarking x\n==12== Callgrind\nno input file',
      stderrTail:
        "==12== Callgrind, a call-graph generating cache profiler\nthread 'main' panicked at benches/parse.rs:3:5:\nno input file\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n==12== Events    : Ir",
    };
    assert.equal(deathCause(ProcessError.of(failure)), 'exited with 101; its last stderr line: no input file');
    assert.equal(
      deathCause(
        ProcessError.of({ ...failure, how: 'was killed by SIGSEGV', stderrTail: '==12== Process terminating' }),
      ),
      'was killed by SIGSEGV',
    );
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
    assert.deepEqual(benchArtifacts(cargoMessages(json)), [
      { target: 'parse', executable: '/w/target/release/deps/parse-1', packageDir: '/w/p' },
    ]);
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
      [],
    );
    assert.deepEqual(notes, [
      'No instruction count for 2 Criterion benchmarks (wall time decides them): cache_delete/x (iter_custom times its own loop); cache_scan (the counting pass did not reach it).',
      "1 Criterion benchmark has a gungraun twin: gungraun's count decides, the harness's is left out (cache_get/hit ← cache_instructions/cache_get/hit).",
    ]);
  });

  it('says nothing when every benchmark has its own count', () => {
    const choice = chooseCounts([count('a', 1)], [], new Set(['a']));
    assert.deepEqual(countNotes(choice, [], new Set(['a']), new Set(['a']), []), []);
  });

  it("a bench that did not build gives its benchmarks that one reason, not also 'did not reach it'", () => {
    const time = new Set(['parse/a', 'parse/b', 'broken/x', 'broken/y']);
    const choice = chooseCounts([count('parse/a', 10), count('parse/b', 20)], [], time);
    const lost = [{ bench: 'p --bench broken', reason: 'did not build against the counting harness (error[E0599])' }];
    const notes = countNotes(choice, [], time, new Set(['parse/a', 'parse/b']), lost);
    assert.deepEqual(notes, [
      'No instruction count for 2 Criterion benchmarks (wall time decides them): broken/x, broken/y (p --bench broken did not build against the counting harness (error[E0599])).',
    ]);
    assert.doesNotMatch(notes.join(' '), /did not reach/);
  });

  it('a bench that died outside any benchmark, after its last, is still named with its cause', () => {
    const time = new Set(['parse/a']);
    const choice = chooseCounts([count('parse/a', 10)], [], time);
    const lost = [{ bench: 'p --bench parse', reason: 'died under Valgrind outside any benchmark (exited with 101)' }];
    assert.deepEqual(countNotes(choice, [], time, new Set(['parse/a']), lost), [
      'Counting pass: p --bench parse died under Valgrind outside any benchmark (exited with 101).',
    ]);
  });
});
