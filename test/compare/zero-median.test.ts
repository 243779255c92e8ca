/**
 * Zero medians, as Go's -benchmem prints them: `0 allocs/op` on both sides is unchanged (it was inconclusive, so an
 * allocation-free benchmark kept every Go PR from a green tick), and a change from or to zero, which has no ratio,
 * stays inconclusive with both medians in its change cell instead of a bare dash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare } from '../../src/compare/index.ts';
import { parseInput } from '../../src/formats/index.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import { SCHEMA_VERSION, type Results } from '../../src/schema/types.ts';
import { runMeta } from './synthetic.ts';

/** `go test -bench . -benchmem -count n` output for one benchmark: `allocs` allocations of 16 bytes per op. */
function goRun(count: number, allocs: number, commit: string): Results {
  const lines = Array.from(
    { length: count },
    (_, i) =>
      `BenchmarkParse-2   \t 1000000\t        ${20 + i}.5 ns/op\t      ${16 * allocs} B/op\t       ${allocs} allocs/op`,
  );
  const text = [
    'goos: linux',
    'goarch: amd64',
    'pkg: example.com/z',
    ...lines,
    'PASS',
    'ok  \texample.com/z\t1.0s',
    '',
  ].join('\n');
  const parsed = parseInput({ kind: 'file', path: 'go.txt', text });
  assert.equal(parsed.format, 'go');
  return {
    schemaVersion: SCHEMA_VERSION,
    run: runMeta(commit),
    benchmarks: parsed.benchmarks,
  };
}

const row = (results: ReturnType<typeof compare>, metric: string) => {
  const found = results.rows.find((r) => r.metric === metric);
  assert.ok(found, `no ${metric} row`);
  return found;
};

describe('zero medians', () => {
  // 5 samples: the bootstrap and rank test; 3: the normal approximation from the reported spread.
  for (const count of [5, 3]) {
    it(`0 allocs/op and 0 B/op on both sides are unchanged (${count} samples a side)`, () => {
      const comparison = compare(goRun(count, 0, 'a'.repeat(40)), goRun(count, 0, 'b'.repeat(40)), { threshold: 0.1 });
      for (const metric of ['allocs/op', 'B/op']) {
        const r = row(comparison, metric);
        assert.equal(r.verdict, 'unchanged', `${metric}: ${r.verdict} (${r.note ?? ''})`);
        assert.equal(r.change, 1);
        assert.match(r.note ?? '', /the median is 0 on both sides/);
      }
    });

    it(`0 to 1 allocs/op has no ratio: inconclusive, and the change cell shows both medians (${count} samples)`, () => {
      const comparison = compare(goRun(count, 0, 'a'.repeat(40)), goRun(count, 1, 'b'.repeat(40)), { threshold: 0.1 });
      const r = row(comparison, 'allocs/op');
      assert.equal(r.verdict, 'inconclusive');
      assert.equal(r.change, null);
      assert.match(r.note ?? '', /0 on one side only: a change from or to zero has no ratio/);
      const markdown = renderMarkdown(comparison);
      assert.match(
        markdown,
        /\| BenchmarkParse \\\[allocs\/op\\\](?: ⚠️)? \| 0\.00 allocs\/op → 1\.00 allocs\/op, no ratio \| – \| – \|/,
      );
      // And back: an improvement to zero reads the other way.
      const back = renderMarkdown(
        compare(goRun(count, 1, 'b'.repeat(40)), goRun(count, 0, 'c'.repeat(40)), { threshold: 0.1 }),
      );
      assert.match(back, /1\.00 allocs\/op → 0\.00 allocs\/op, no ratio/);
    });
  }
});
