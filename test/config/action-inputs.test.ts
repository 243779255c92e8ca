import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionInputs, splitArgs } from '../../src/config/action-inputs.ts';
import { UsageError } from '../../src/common/errors.ts';

const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

test('defaults match action.yml', () => {
  const config = parseActionInputs(from({}));
  assert.equal(config.mode, 'full');
  assert.equal(config.threshold, 0.1);
  assert.equal(config.comment, 'always');
  assert.equal(config.failOnRegression, null, 'unset: decided by the event (off on pushes)');
  assert.equal(config.baselineArtifact, 'bench-baseline');
  assert.equal(config.uploadBaseline, 'auto');
  assert.equal(config.historySize, 30);
  assert.equal(config.nativeDir, '', 'empty: the workspace is detected (native/, else the root)');
  assert.equal(config.compareMode, 'baseline');
  assert.equal(config.exposeTokenToBenchmarks, false);
});

test('toolchain names with inner dashes and plus signs stay valid', () => {
  for (const name of ['stable', '1.95.0', 'nightly-2026-01-01', 'stable-x86_64-unknown-linux-gnu'])
    assert.equal(parseActionInputs(from({ toolchain: name })).toolchain, name);
});

test('fail-on-regression: unset is null, so the event decides; set, it is what it says', () => {
  assert.equal(parseActionInputs(from({ 'fail-on-regression': 'true' })).failOnRegression, true);
  assert.equal(parseActionInputs(from({ 'fail-on-regression': 'false' })).failOnRegression, false);
});

test('results are read one per line, blank lines and comments skipped', () => {
  const config = parseActionInputs(from({ mode: 'compare', results: 'a.json\n\n  # note\n target/criterion \n' }));
  assert.deepEqual(config.results, ['a.json', 'target/criterion']);
});

test('threshold accepts a percent sign and becomes a fraction', () => {
  assert.equal(parseActionInputs(from({ threshold: '15%' })).threshold, 0.15);
});

for (const [name, value, pattern] of [
  ['mode', 'fast', /Input 'mode' must be one of full, compare, comment, merge; got 'fast'/],
  ['threshold', 'ten', /Input 'threshold' must be a number/],
  ['threshold', '-1', /Input 'threshold'/],
  ['fail-on-regression', 'maybe', /Input 'fail-on-regression' must be true or false/],
  ['comment', 'sometimes', /Input 'comment'/],
  ['history-size', '2.5', /Input 'history-size' must be a whole number/],
  ['upload-baseline', 'yes', /Input 'upload-baseline'/],
  ['toolchain', 'stable; rm -rf /', /Input 'toolchain'/],
  ['toolchain', '--force-non-host', /Input 'toolchain' must be a rustup toolchain name/],
  ['toolchain', '-v', /Input 'toolchain'/],
  ['expose-token-to-benchmarks', 'please', /Input 'expose-token-to-benchmarks' must be true or false/],
  ['shard', '3/2', /Input 'shard': the shard index must be 1 to 2; got '3\/2'/],
  ['suite', 'linux x64', /Input 'suite' must be 1 to 64 letters, digits/],
  ['suite', '-x', /Input 'suite'/],
  ['shard', 'half', /Input 'shard': expected i\/n such as 1\/4; got 'half'/],
] as const) {
  test(`bad ${name} '${value}' fails naming the input`, () => {
    assert.throws(
      () => parseActionInputs(from({ [name]: value })),
      (error: unknown) => error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n'),
    );
  });
}

test('compare mode without results names the missing input', () => {
  assert.throws(() => parseActionInputs(from({ mode: 'compare' })), /Input 'results' is required/);
});

test('splitArgs honours quotes', () => {
  assert.deepEqual(splitArgs(`-p sark-cache -- --save-baseline "my base" 'x y'`), [
    '-p',
    'sark-cache',
    '--',
    '--save-baseline',
    'my base',
    'x y',
  ]);
  assert.deepEqual(splitArgs('   '), []);
  assert.deepEqual(splitArgs(''), []);
});

test('splitArgs keeps a quoted argument with spaces whole, inside a word or across lines', () => {
  assert.deepEqual(splitArgs(`-- "cache_get/warm hits" --baseline='main run'`), [
    '--',
    'cache_get/warm hits',
    '--baseline=main run',
  ]);
  assert.deepEqual(splitArgs('-p sark-cache\n  --features "a b"\n'), ['-p', 'sark-cache', '--features', 'a b']);
  assert.deepEqual(splitArgs(`-- '^(get|set)$' .*`), ['--', '^(get|set)$', '.*']);
});

test('same-runner needs full mode', () => {
  assert.throws(
    () => parseActionInputs(from({ mode: 'compare', results: 'a.json', 'compare-mode': 'same-runner' })),
    /Input 'compare-mode': same-runner .* needs mode: full/,
  );
  assert.equal(parseActionInputs(from({ 'compare-mode': 'same-runner' })).compareMode, 'same-runner');
});

test('controls are globs, one per line, none by default', () => {
  assert.deepEqual(parseActionInputs(from({})).controls, []);
  assert.deepEqual(
    parseActionInputs(from({ controls: 'cache_*/moka\n\n  cache_*/dashmap/* \n# comment\n' })).controls,
    ['cache_*/moka', 'cache_*/dashmap/*'],
  );
});

test('the confirmation round: auto by default with a 10-minute budget; bad values name the input', () => {
  const config = parseActionInputs(from({}));
  assert.equal(config.confirm, 'auto');
  assert.equal(config.confirmBudget, 10);
  assert.equal(parseActionInputs(from({ confirm: 'false', 'confirm-budget': '2.5' })).confirmBudget, 2.5);
  assert.throws(
    () => parseActionInputs(from({ confirm: 'maybe' })),
    /Input 'confirm' must be one of auto, true, false; got 'maybe'/,
  );
  assert.throws(
    () => parseActionInputs(from({ 'confirm-budget': '-1' })),
    /Input 'confirm-budget' must be a number from 0 to 360/,
  );
});

test('shard: i/n in full mode; not with another mode or same-runner; mode merge takes none', () => {
  assert.deepEqual(parseActionInputs(from({ shard: '2/4' })).shard, { index: 2, count: 4 });
  assert.equal(parseActionInputs(from({})).shard, null);
  assert.equal(parseActionInputs(from({ mode: 'merge' })).mode, 'merge');
  assert.throws(
    () => parseActionInputs(from({ mode: 'merge', shard: '1/2' })),
    /Input 'shard' runs a share of the benchmarks, so it needs mode: full \(mode is 'merge'\)/,
  );
  assert.throws(
    () => parseActionInputs(from({ shard: '1/2', 'compare-mode': 'same-runner' })),
    /Input 'shard' cannot be combined with compare-mode: same-runner/,
  );
});

test('suite: its own baseline and dashboard artifacts', () => {
  const config = parseActionInputs(from({ suite: 'ubuntu-24.04_stable' }));
  assert.equal(config.suite, 'ubuntu-24.04_stable');
  assert.equal(config.baselineArtifact, 'bench-baseline-ubuntu-24.04_stable');
  assert.equal(config.dashboardArtifact, 'bench-dashboard-ubuntu-24.04_stable');
  assert.equal(parseActionInputs(from({ suite: 'arm', 'baseline-artifact': 'perf' })).baselineArtifact, 'perf-arm');
  assert.equal(parseActionInputs(from({})).dashboardArtifact, 'bench-dashboard');
});
