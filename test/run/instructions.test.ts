import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseActionInputs } from '../../src/config/action-inputs.ts';
import { criterionOnly, isGungraunSource, splitBenchTargets } from '../../src/run/bench-targets.ts';
import { cargoBenchArgs } from '../../src/run/cargo.ts';
import { gungraunFailure } from '../../src/run/instruction-pass.ts';
import { lockedGungraunVersion } from '../../src/run/instructions.ts';
import { countsInstructions } from '../../src/run/settings.ts';

const SOURCES: Record<string, string> = {
  '/w/a/benches/cache_benchmarks.rs': readFileSync('native/sark-cache/benches/cache_benchmarks.rs', 'utf8'),
  '/w/a/benches/cache_instructions.rs': readFileSync('native/sark-cache/benches/cache_instructions.rs', 'utf8'),
};

const METADATA = JSON.stringify({
  packages: [
    {
      name: 'sark-cache',
      targets: [
        { name: 'sark_cache', kind: ['lib'], src_path: '/w/a/src/lib.rs' },
        { name: 'cache_benchmarks', kind: ['bench'], src_path: '/w/a/benches/cache_benchmarks.rs' },
        { name: 'cache_instructions', kind: ['bench'], src_path: '/w/a/benches/cache_instructions.rs' },
      ],
    },
  ],
});

test("the workspace's real benches split into Criterion's and gungraun's by their source", () => {
  const split = splitBenchTargets(METADATA, (path) => SOURCES[path] ?? null);
  assert.deepEqual(
    split.criterion.map((t) => t.name),
    ['cache_benchmarks'],
  );
  assert.deepEqual(
    split.gungraun.map((t) => [t.package, t.name]),
    [['sark-cache', 'cache_instructions']],
  );
  assert.deepEqual(criterionOnly(split), ['cache_benchmarks']);
  assert.equal(criterionOnly({ criterion: split.criterion, gungraun: [] }), null);
  assert.equal(isGungraunSource('use iai_callgrind::{main};'), true);
  assert.equal(isGungraunSource('// mentions gungraun in a comment only'), false);
});

test('with gungraun benches present, cargo bench names the Criterion benches instead of every bench', () => {
  assert.deepEqual(
    cargoBenchArgs(
      [],
      [
        ['--warm-up-time', '0.5'],
        ['--measurement-time', '1'],
      ],
      ['cache_benchmarks', 'opa_benchmarks'],
    ),
    [
      'bench',
      '--bench',
      'cache_benchmarks',
      '--bench',
      'opa_benchmarks',
      '--',
      '--warm-up-time',
      '0.5',
      '--measurement-time',
      '1',
    ],
  );
  assert.deepEqual(cargoBenchArgs([], []), ['bench', '--bench', '*']);
  // The user's own target selection wins.
  assert.deepEqual(cargoBenchArgs(['--bench', 'x'], [], ['cache_benchmarks']), ['bench', '--bench', 'x']);
});

test("the runner's version is the gungraun library's, read from the real Cargo.lock", () => {
  assert.equal(lockedGungraunVersion(readFileSync('native/Cargo.lock', 'utf8')), '0.20.0');
  assert.equal(lockedGungraunVersion('[[package]]\nname = "gungraun-runner"\nversion = "9.9.9"\n'), null);
});

test('instructions and instructions-threshold inputs', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const defaults = parseActionInputs(get({}));
  assert.equal(defaults.instructions, 'auto');
  assert.equal(defaults.instructionsThreshold, 0.01);
  assert.equal(
    parseActionInputs(get({ instructions: 'false', 'instructions-threshold': '2.5' })).instructionsThreshold,
    0.025,
  );
  assert.throws(
    () => parseActionInputs(get({ instructions: 'sometimes' })),
    /Input 'instructions' must be one of auto, true, false/,
  );
});

test('instruction counts: always on true, never on false, on auto when the workspace has gungraun benches', () => {
  assert.deepEqual(
    [countsInstructions('true', 0), countsInstructions('false', 3), countsInstructions('auto', 0)],
    [true, false, false],
  );
  assert.equal(countsInstructions('auto', 1), true);
});

test('a failing gungraun bench fails the job in one line naming each bench and its cause; none failing, nothing', () => {
  assert.equal(gungraunFailure([]), null);
  const failure = gungraunFailure([
    {
      bench: 'fails --bench first',
      reason: "exited with 101: thread 'main' panicked at benches/first.rs:1:13: no fixture",
    },
    { bench: 'fails --bench limits', reason: 'exited with 3' },
  ]);
  assert.ok(failure);
  assert.equal(failure.exitCode, 2);
  assert.doesNotMatch(failure.message, /\n/);
  assert.match(
    failure.message,
    /^gungraun benches failed: fails --bench first \(exited with 101: thread 'main' panicked at benches\/first\.rs:1:13: no fixture\); fails --bench limits \(exited with 3\)\. It is the project's own benchmark: fix it/,
  );
});
