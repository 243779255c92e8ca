import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionInputs } from '../../src/config/action-inputs.ts';
import { parseResultsLine } from '../../src/config/results-inputs.ts';
import { UsageError } from '../../src/common/errors.ts';

test('results lines: FORMAT: PATH forces a format, a bare path is detected, a Windows path stays a path', () => {
  assert.deepEqual(parseResultsLine('go: out/bench.txt'), { path: 'out/bench.txt', format: 'go' });
  assert.deepEqual(parseResultsLine('  customBiggerIsBetter:  rps.json '), {
    path: 'rps.json',
    format: 'customBiggerIsBetter',
  });
  assert.deepEqual(parseResultsLine('target/criterion'), { path: 'target/criterion' });
  assert.deepEqual(parseResultsLine('C:\\bench\\out.json'), { path: 'C:\\bench\\out.json' });
  assert.throws(
    () => parseResultsLine('gobench: x.txt'),
    (e: unknown) =>
      e instanceof UsageError && /Input 'results': 'gobench' in 'gobench: x\.txt' is not a format/.test(e.message),
  );
});

test('the action refuses a misspelt format in results before running anything', () => {
  const inputs: Record<string, string> = { mode: 'compare', results: 'pytest: out.json', 'github-token': 't' };
  assert.throws(
    () => parseActionInputs((name) => inputs[name] ?? ''),
    /'pytest' in 'pytest: out\.json' is not a format/,
  );
  inputs['results'] = 'pytest-benchmark: out.json';
  assert.deepEqual(parseActionInputs((name) => inputs[name] ?? '').results, ['pytest-benchmark: out.json']);
});
