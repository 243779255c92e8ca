import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { capLength } from '../../src/report/format.ts';
import type { Results } from '../../src/schema/types.ts';
import { scaled, synthetic } from '../compare/synthetic.ts';

/** GitHub's limit on a comment body; the reports leave room under it for the marker. */
const GITHUB_LIMIT = 65_536;

/** 2n benchmarks (a contender and a reference each) in n pairs, with a few samples so it stays quick. */
function pairedRun(n: number, seed = 1): Results {
  const specs = Array.from({ length: n }, (_, i) => [
    { id: `cache/get/${i}`, median: 100, samples: 12 },
    { id: `redis/get/${i}`, median: 1000, samples: 12 },
  ]).flat();
  const results = synthetic(seed, specs);
  results.pairs = Array.from({ length: n }, (_, i) => ({
    name: `cache vs redis ${i}`,
    contender: `cache/get/${i}`,
    reference: `redis/get/${i}`,
  }));
  return results;
}

describe('reports fit in a GitHub comment', () => {
  it('1,500 pairs, all regressed: under the limit, with the regressions counted in full and the cut tables noted', () => {
    const base = pairedRun(1500);
    const head = scaled(base, () => 1.5);
    const { markdown, regressions } = analyze({ base, head, threshold: 0.1 });
    assert.ok(markdown.length <= GITHUB_LIMIT - 1000, `${markdown.length} characters`);
    assert.ok(regressions > 2000, `${regressions} regressions`);
    assert.match(markdown, new RegExp(`❌ \\*\\*${regressions} regressions\\*\\*`));
    assert.match(markdown, new RegExp(`#### Regressions \\(${regressions}\\)`));
    assert.match(markdown, /more regressions that do not fit in a comment/);
    assert.match(markdown, /more pairs left out to fit the comment size limit/);
  });

  it('1,500 pairs with nothing to compare: the run report fits too', () => {
    const { markdown } = analyze({ base: null, head: pairedRun(1500), threshold: 0.1 });
    assert.ok(markdown.length <= GITHUB_LIMIT - 1000, `${markdown.length} characters`);
    assert.match(markdown, /more pairs left out to fit the comment size limit/);
  });

  it('a 30,000-character benchmark id is cut in the verdict line and its cells, and the report fits', () => {
    const long = `bench/${'x'.repeat(30_000)}`;
    const base = synthetic(3, [
      { id: long, median: 100 },
      { id: 'other/one', median: 100 },
    ]);
    const head = scaled(base, (id) => (id === long ? 2 : 1));
    const { markdown, regressions } = analyze({ base, head, threshold: 0.1, title: `Title ${'t'.repeat(5000)}` });
    assert.equal(regressions, 1);
    assert.ok(markdown.length < 10_000, `${markdown.length} characters`);
    const verdict = markdown.split('\n').find((line) => line.startsWith('❌')) ?? '';
    assert.ok(verdict.length < 400, `verdict line: ${verdict.length} characters`);
    assert.match(verdict, /^❌ \*\*1 regression\*\* .*worst bench\/x+… 2\.00x slower/);
    const heading = markdown.split('\n').find((line) => line.startsWith('### ')) ?? '';
    assert.ok(heading.length < 200, heading.slice(0, 50));
  });

  it('capLength cuts at a line, closes an open <details>, and says where the rest is', () => {
    const text = `head\n<details><summary>x</summary>\n\n${'| row |\n'.repeat(20_000)}</details>\n`;
    const capped = capLength(text, 10_000);
    assert.ok(capped.length <= 10_000, String(capped.length));
    assert.match(capped, /\| row \|\n\n<\/details>\n\n_The report was cut here to fit GitHub's 65,536-character limit/);
    assert.equal(capLength('short\n', 10_000), 'short\n');
  });
});
