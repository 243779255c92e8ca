import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineFiles, historyFileName, rollBaseline } from '../../src/github/baseline-layout.ts';
import { resultsAt } from '../support/github-results.ts';

const sha = (n: number): string => n.toString(16).padStart(40, '0');
const day = (n: number): string => new Date(Date.UTC(2026, 10, 1 + n, 12)).toISOString();

describe('baseline layout', () => {
  it('names history files so they sort by time', () => {
    assert.equal(
      historyFileName(resultsAt('abcdef0123456789', '2026-11-26T16:51:14.123Z')),
      'history/20261126T165114123Z-abcdef012345.json',
    );
    // Two pushes in one second, the later one with the lower commit: still in the order they ran.
    const sameSecond = [
      historyFileName(resultsAt('f'.repeat(40), '2026-11-26T16:51:14.100Z')),
      historyFileName(resultsAt('0'.repeat(40), '2026-11-26T16:51:14.900Z')),
    ];
    assert.deepEqual([...sameSecond].reverse().sort(), sameSecond);
    const names = [3, 1, 2].map((n) => historyFileName(resultsAt(sha(n), day(n))));
    assert.deepEqual(
      [...names].sort(),
      [1, 2, 3].map((n) => historyFileName(resultsAt(sha(n), day(n)))),
    );
  });

  it('the first upload has no history', () => {
    const current = resultsAt(sha(1), day(1));
    const rolled = rollBaseline(null, current, 30);
    assert.deepEqual(rolled, { latest: current, history: [] });
    assert.deepEqual(
      baselineFiles(rolled).map((f) => f.path),
      ['results.json'],
    );
  });

  it('moves the previous latest into history and keeps the newest historySize runs', () => {
    let contents = rollBaseline(null, resultsAt(sha(0), day(0)), 3);
    for (let n = 1; n <= 5; n++) contents = rollBaseline(contents, resultsAt(sha(n), day(n)), 3);
    assert.equal(contents.latest?.run.commit, sha(5));
    assert.deepEqual(
      contents.history.map((r) => r.run.commit),
      [sha(4), sha(3), sha(2)],
    );
    const files = baselineFiles(contents);
    assert.equal(files.length, 4);
    assert.equal(JSON.parse(files[0]?.content ?? '').run.commit, sha(5));
  });

  it('re-uploading the same run does not put it into its own history', () => {
    const first = rollBaseline(null, resultsAt(sha(1), day(1)), 5);
    const second = rollBaseline(first, resultsAt(sha(2), day(2)), 5);
    const rerun = rollBaseline(second, resultsAt(sha(2), day(2)), 5);
    assert.deepEqual(
      rerun.history.map((r) => r.run.commit),
      [sha(1)],
    );
  });

  it('historySize 0 keeps only the latest', () => {
    const first = rollBaseline(null, resultsAt(sha(1), day(1)), 0);
    assert.deepEqual(rollBaseline(first, resultsAt(sha(2), day(2)), 0).history, []);
  });

  it('two runs stamped the same second at the same commit get distinct files', () => {
    const a = resultsAt(sha(1), day(1), 100);
    const b = { ...resultsAt(sha(1), day(1), 200), run: { ...a.run, timestamp: day(1).replace('.000Z', '.500Z') } };
    const paths = baselineFiles({ latest: null, history: [a, b] }).map((f) => f.path);
    assert.equal(new Set(paths).size, 2);
  });
});
