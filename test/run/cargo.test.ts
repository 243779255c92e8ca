import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cargoBenchArgs } from '../../src/run/cargo.ts';
import { isInstalled, planToolchain } from '../../src/run/toolchain.ts';

test('bench args select bench targets only, so Criterion flags never reach libtest', () => {
  assert.deepEqual(cargoBenchArgs([], []), ['bench', '--bench', '*']);
});

const QUICK = [
  ['--warm-up-time', '0.5'],
  ['--measurement-time', '1'],
] as const;

test('quick adds short measurement flags after --', () => {
  assert.deepEqual(cargoBenchArgs([], QUICK), [
    'bench',
    '--bench',
    '*',
    '--',
    '--warm-up-time',
    '0.5',
    '--measurement-time',
    '1',
  ]);
});

test("the user's own target selection and harness flags win", () => {
  assert.deepEqual(
    cargoBenchArgs(['-p', 'sark-cache', '--bench', 'cache_benchmarks', '--', '--measurement-time', '3'], QUICK),
    [
      'bench',
      '-p',
      'sark-cache',
      '--bench',
      'cache_benchmarks',
      '--',
      '--warm-up-time',
      '0.5',
      '--measurement-time',
      '3',
    ],
  );
});

test('toolchain: the input wins, then rust-toolchain.toml up the tree, then stable', () => {
  const files = new Set(['/repo/rust-toolchain.toml']);
  const exists = (path: string) => files.has(path);
  assert.deepEqual(planToolchain('1.95.0', '/repo/native', '/repo', exists), { kind: 'named', name: '1.95.0' });
  assert.deepEqual(planToolchain('', '/repo/native', '/repo', exists), {
    kind: 'file',
    file: '/repo/rust-toolchain.toml',
  });
  assert.deepEqual(planToolchain('', '/other/native', '/other', exists), { kind: 'named', name: 'stable' });
});

test('an installed toolchain is recognized in rustup toolchain list', () => {
  const list =
    'stable-x86_64-unknown-linux-gnu (active, default)\nnightly-x86_64-unknown-linux-gnu\n1.95.0-x86_64-unknown-linux-gnu\n';
  assert.equal(isInstalled(list, 'stable'), true);
  assert.equal(isInstalled(list, '1.95.0'), true);
  assert.equal(isInstalled(list, '1.95'), false);
  assert.equal(isInstalled(list, 'beta'), false);
});

test("a user's flag wins in any form clap reads it, and ours never sits beside one it conflicts with", () => {
  const round = [['--sample-size', '10'], ['--nresamples', '1000'], ['--noplot']] as const;
  const harness = (user: string[]) => {
    const args = cargoBenchArgs(['--', ...user], round);
    return args.slice(args.indexOf('--') + 1);
  };
  // clap refuses a flag given twice: `--flag=value` and Criterion's short `-n` name the same flag.
  assert.deepEqual(harness(['--sample-size=50']), ['--nresamples', '1000', '--noplot', '--sample-size=50']);
  assert.deepEqual(harness(['-n']), ['--sample-size', '10', '--nresamples', '1000', '-n']);
  // Criterion 0.4-0.8 declare `quick` conflicts_with `sample-size`: with the user's --quick, no --sample-size.
  assert.deepEqual(harness(['--quick']), ['--nresamples', '1000', '--noplot', '--quick']);
  // A filter is not a flag.
  assert.deepEqual(harness(['parse']), ['--sample-size', '10', '--nresamples', '1000', '--noplot', 'parse']);
});
