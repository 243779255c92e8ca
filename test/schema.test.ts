import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssues, validateResults } from '../src/schema/validate.ts';
import { SCHEMA_VERSION, type Results } from '../src/schema/types.ts';

function minimal(): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: '0.1.0' },
      commit: null,
      ref: null,
      timestamp: '2026-11-26T00:00:00.000Z',
      runner: null,
      versions: {},
    },
    benchmarks: [
      {
        id: 'g/f',
        metric: 'time',
        group: 'g',
        function: 'f',
        parameter: null,
        source: 'criterion',
        unit: 'ns',
        direction: 'lower',
        estimates: { median: 10, mean: 11, stdDev: 1, ci: { lower: 10.5, upper: 11.5, level: 0.95 } },
        throughput: null,
        samples: [10, 11, 12],
      },
    ],
  };
}

test('a minimal results document validates', () => {
  const outcome = validateResults(minimal());
  assert.equal(outcome.ok, true);
});

test('a wrong schema version is rejected with its JSON path', () => {
  const doc = { ...minimal(), schemaVersion: 4 };
  const outcome = validateResults(doc);
  assert.equal(outcome.ok, false);
  if (!outcome.ok) assert.match(formatIssues(outcome.issues), /at \/schemaVersion/);
});

test('an unknown property names itself', () => {
  const doc = minimal();
  (doc.benchmarks[0] as unknown as Record<string, unknown>).colour = 'red';
  const outcome = validateResults(doc);
  assert.equal(outcome.ok, false);
  if (!outcome.ok) assert.match(formatIssues(outcome.issues), /\/benchmarks\/0.*'colour'/);
});

test('NaN in samples is rejected', () => {
  const doc = minimal();
  doc.benchmarks[0]!.samples = [1, Number.NaN];
  const outcome = validateResults(doc);
  assert.equal(outcome.ok, false);
});
