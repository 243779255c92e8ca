/**
 * run/shard.ts's filters on a Criterion that reads its filter as a substring
 * (0.3.0 and older; test/run/confirm-criterion.test.ts shows that reading on
 * real Criterion 0.3.0). Before, a shard passed the one anchored regex
 * `^(?:a|b)$`, text no id contains: every shard of such a project measured
 * nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepShare, shardFilters } from '../../src/run/shard.ts';
import type { Benchmark, Results } from '../../src/schema/types.ts';
import { shareOf } from '../../src/shard/share.ts';

const listed = ['parse/1', 'parse/10', 'parse/100', 'fmt(u64)/1', 'control'];
const shares = [1, 2].map((index) =>
  shareOf({ spec: { index, count: 2 }, listed, baseline: null, isControl: (id) => id === 'control', nodeSuite: false }),
);
/** What Criterion 0.1.0-0.3.0 runs for a filter (`id.contains(filter)`), and 0.3.1 on (a regex search). */
const substringRuns = (filter: string) => listed.filter((id) => id.includes(filter));
const regexRuns = (filter: string) => listed.filter((id) => new RegExp(filter).test(id));

describe("a shard's filters, by how the locked Criterion reads them", () => {
  it('runs each of its benchmarks on a substring Criterion, and keeps its own alone', () => {
    for (const share of shares) {
      const mine = [...share.ids, ...share.controls].sort();
      // The one regex of the share, as a substring Criterion reads it: nothing at all.
      assert.deepEqual(substringRuns(share.filter ?? ''), []);
      const filters = shardFilters(share, 'substring');
      const ran = new Set(filters.flatMap(substringRuns));
      for (const id of mine) assert.ok(ran.has(id), `${id} of shard ${share.spec.index}`);
      // A substring filter runs the ids containing it too (parse/1 runs parse/10): those are another shard's.
      const results = { benchmarks: [...ran].map((id) => ({ id })) } as unknown as Results;
      assert.deepEqual(
        keepShare(results, share)
          .benchmarks.map((b: Benchmark) => b.id)
          .sort(),
        mine,
      );
    }
  });

  it('keeps the one regex on a regex Criterion, and the safe shape when the lock holds both kinds', () => {
    const [share] = shares;
    assert.ok(share);
    assert.deepEqual(shardFilters(share, 'regex'), [share.filter]);
    assert.deepEqual(regexRuns(share.filter ?? '').sort(), [...share.ids, ...share.controls].sort());
    for (const filter of shardFilters(share, 'either')) {
      assert.ok(substringRuns(filter).length > 0 && regexRuns(filter).length > 0, filter);
    }
  });
});
