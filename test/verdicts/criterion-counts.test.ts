/**
 * evaluation/verdicts/criterion-counts.ts: the Criterion-counts section of
 * docs/verdicts.md is rendered from the recorded runs, and the page holds
 * what the committed records render to (no figure typed by hand).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  evaluateCrate,
  renderCriterionCounts,
  type CountsRecord,
  type RecordedRun,
} from '../../evaluation/verdicts/criterion-counts.ts';

const run = (counts: Record<string, number>, seconds = 100): RecordedRun => ({
  seconds,
  load: [2, 3.5],
  counting: { build: 4, valgrind: 1 },
  counts,
  wallTime: Object.keys(counts).length,
});

const record: CountsRecord = {
  crate: { name: 'demo', version: '1.2.3' },
  criterion: ['0.3.6'],
  lockNote: null,
  change: { file: 'src/lib.rs', description: 'one more step in `f`' },
  touched: ['f/a', 'f/b'],
  recorded: {
    date: '2026-12-06 19:00 UTC',
    commit: 'abc1234',
    valgrind: 'valgrind-3.19.0',
    rustc: 'rustc 1.95.0',
    cpu: 'x, 2 cores',
  },
  inputs: { quick: 'true', confirm: 'false' },
  pushes: [run({ 'f/a': 1000, 'f/b': 500, 'g/c': 70 }, 300), run({ 'f/a': 1000, 'f/b': 500, 'g/c': 70 })],
  pr: {
    ...run({ 'f/a': 1020, 'f/b': 500, 'g/c': 70 }),
    code: 1,
    verdict: 'regression',
    firstLine: '❌ **1 regression** in instruction counts over the 1.0% threshold | x',
  },
};

describe('the Criterion-counts evaluation, from its records', () => {
  it('derives A/A, the change on the touched benchmarks and the untouched ones, and the verdict', () => {
    const e = evaluateCrate(record);
    assert.deepEqual(e.aaMoved, []);
    assert.deepEqual(
      e.touchedMoved.map(([id, c]) => [id, Math.round(c * 1e4) / 1e4]),
      [['f/a', 0.02]],
    );
    assert.deepEqual(e.touchedStill, ['f/b']);
    assert.deepEqual([e.untouchedMoved.length, e.untouched], [0, 1]);
    assert.ok(e.failedOnCounts);
    const moved = evaluateCrate({
      ...record,
      pushes: [run({ 'f/a': 1001, 'f/b': 500, 'g/c': 70 }), record.pushes[1]!],
    });
    assert.deepEqual(moved.aaMoved, ['f/a']);
  });

  it('renders one row per crate and the cost of each run with its load', () => {
    const text = renderCriterionCounts([record]);
    assert.match(
      text,
      /\| demo 1\.2\.3 +\| 0\.3\.6 +\| 3 of 3 +\| 0 of 3 +\| `src\/lib\.rs`: one more step in `f` +\| f\/a \+2\.00% \(unmoved on its path: f\/b\) +\| 0 of 1 +\| \*\*failed on counts\*\*: "❌ \*\*1 regression\*\* in instruction counts over the 1\.0% threshold \\\| x" +\|/,
    );
    assert.match(text, /push 1 300 s \(load 2\.0-3\.5; the counting pass in it: build 4 s, Valgrind 1 s\)/);
  });

  it('docs/verdicts.md holds what the committed records render to', () => {
    const dir = join('evaluation', 'verdicts', 'criterion-counts');
    const records = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as CountsRecord);
    assert.ok(records.length >= 2, 'two crates or more are recorded');
    assert.ok(
      readFileSync(join('docs', 'verdicts.md'), 'utf8').includes(renderCriterionCounts(records).trimEnd()),
      'docs/verdicts.md is out of date: run npm run bench:verdicts',
    );
  });
});
