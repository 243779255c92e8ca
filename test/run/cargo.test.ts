import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { cargoBenchArgs, wallTimePass } from '../../src/run/cargo.ts';
import { recordingLog } from '../support/log.ts';
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

test("the wall-time pass's build covers the benches' compilation (cargo bench --no-run), its runs only the runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wall-time-pass-'));
  // A cargo that records its calls and moves a clock file on by what each call stands for, so the split is exact.
  writeFileSync(join(dir, 'clock'), '0');
  writeFileSync(
    join(dir, 'cargo'),
    `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncase "$*" in\n  build*) add=10 ;;\n  *--no-run*) add=100 ;;\n  bench*) add=7 ;;\n  metadata*) add=0; echo '{"packages":[]}' ;;\n  *) add=0 ;;\nesac\necho $(( $(cat "${dir}/clock") + add )) > "${dir}/clock"\n`,
    { mode: 0o755 },
  );
  const run = {
    nativeDir: dir,
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` },
    userArgs: ['--features', 'x', '--', '--noplot'],
    quick: false,
    criterionHome: join(dir, 'criterion'),
    criterionTargets: ['parse'],
  };
  const now = () => Number(readFileSync(join(dir, 'clock'), 'utf8')) * 1000;
  const cost = await wallTimePass(run, recordingLog(), now);
  assert.deepEqual(cost, { buildSeconds: 110, benchSeconds: 7 });
  const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  assert.deepEqual(
    calls.filter((c) => !c.startsWith('metadata')),
    [
      'build --release --workspace',
      'bench --bench parse --features x --no-run',
      'bench --bench parse --features x -- --noplot',
    ],
  );
});
