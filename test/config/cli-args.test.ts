import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCliArgs } from '../../src/cli/commands.ts';
import { UsageError } from '../../src/common/errors.ts';

const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n');

test('compare takes base, head and its options', () => {
  const command = parseCliArgs([
    'compare',
    'a.json',
    'target/criterion',
    '--threshold',
    '5',
    '--format',
    'json',
    '--no-fail',
    '--history',
    'h1',
    '--history',
    'h2',
  ]);
  assert.deepEqual(command, {
    kind: 'compare',
    base: 'a.json',
    head: 'target/criterion',
    history: ['h1', 'h2'],
    controls: [],
    threshold: 0.05,
    instructionsThreshold: 0.01,
    thresholdsFile: null,
    claimsFile: null,
    format: 'json',
    output: null,
    fail: false,
    failOnMissing: false,
    seed: 1,
  });
});

test('compare defaults: 10%, markdown, failing on regression', () => {
  const command = parseCliArgs(['compare', 'a', 'b']);
  assert.equal(command.kind, 'compare');
  if (command.kind === 'compare') {
    assert.equal(command.threshold, 0.1);
    assert.equal(command.format, 'markdown');
    assert.equal(command.fail, true);
  }
});

test('parse accepts several inputs and -o', () => {
  assert.deepEqual(parseCliArgs(['parse', 'x', 'y', '-o', 'out.json']), {
    kind: 'parse',
    inputs: ['x', 'y'],
    output: 'out.json',
    commit: null,
    ref: null,
    inputFormat: null,
  });
});

test('--help on every command', () => {
  for (const argv of [[], ['--help'], ['parse', '--help'], ['compare', '-h'], ['report', '--help']]) {
    const command = parseCliArgs(argv);
    assert.equal(command.kind, 'help');
    if (command.kind === 'help') assert.match(command.text, /Usage/);
  }
});

test('bad usage gives one line naming the option', () => {
  assert.throws(
    () => parseCliArgs(['compare', 'a', 'b', '--colour']),
    usage(/bench-action compare: Unknown option '--colour'/),
  );
  assert.throws(() => parseCliArgs(['compare', 'a']), usage(/expected <base> and <head>, got 1/));
  assert.throws(
    () => parseCliArgs(['compare', 'a', 'b', '--threshold', 'lots']),
    usage(/--threshold must be a percentage/),
  );
  assert.throws(
    () => parseCliArgs(['compare', 'a', 'b', '--format', 'html']),
    usage(/--output-format \(or --format\) is the report's format, markdown or json; got 'html'\.$/),
  );
  assert.throws(() => parseCliArgs(['frobnicate']), usage(/unknown command 'frobnicate'/));
  assert.throws(() => parseCliArgs(['parse']), usage(/at least one/));
});

test('compare --history-dir takes a count of runs, 10 by default', () => {
  const command = (argv: string[]) => {
    const parsed = parseCliArgs(['compare', 'a', 'b', ...argv]);
    return parsed.kind === 'compare' ? parsed.historyDir : 'not compare';
  };
  assert.equal(command([]), undefined);
  assert.deepEqual(command(['--history-dir', 'results']), { path: 'results', count: 10, match: '*.json' });
  assert.deepEqual(
    command(['--history-dir', 'results', '--history-count', '3', '--history-match', 'benchmark_*.json']),
    { path: 'results', count: 3, match: 'benchmark_*.json' },
  );
  assert.throws(() => command(['--history-count', '3']), usage(/--history-count needs --history-dir/));
  assert.throws(() => command(['--history-match', '*.json']), usage(/--history-match needs --history-dir/));
  for (const bad of ['0', '2.5', 'all']) {
    assert.throws(
      () => command(['--history-dir', 'r', '--history-count', bad]),
      usage(new RegExp(`--history-count must be .*'${bad.replace('.', '\\.')}'`)),
    );
  }
});

test('compare takes control globs, repeatable, and refuses an empty one', () => {
  const command = parseCliArgs(['compare', 'a', 'b', '--controls', 'cache_*/moka', '--controls', ' calibration/** ']);
  assert.equal(command.kind === 'compare' && command.controls.join(','), 'cache_*/moka,calibration/**');
  assert.throws(
    () => parseCliArgs(['compare', 'a', 'b', '--controls', ' ']),
    usage(/--controls needs a benchmark-id glob/),
  );
});
