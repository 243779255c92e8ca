/**
 * The report says which interval each row shows: a bootstrap interval of the
 * ratio of medians from the comparison with the baseline, or, for a row the
 * confirmation round decided, the round's sequential t interval. Before, the
 * footer called every interval a bootstrap one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import type { PairMedians } from '../../src/compare/confirm.ts';
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import { scaled, synthetic, type SyntheticSpec } from '../compare/synthetic.ts';

const IDS = ['work/a', 'work/b', 'work/c'];
const specs: SyntheticSpec[] = IDS.map((id, i) => ({ id, median: 1000 * (i + 1), logSd: 0.02, samples: 50 }));
const base = synthetic(41, specs);
// A head 1.5x slower across the board: every row a regression against the baseline, so every row a candidate.
const head = scaled(synthetic(42, specs), () => 1.5);

function pairs(seed: number, n: number, mu: number): PairMedians[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => ({ base: 1000, head: 1000 * Math.exp(mu + 0.02 * normalDraw(rng)) }));
}

/** The rows of a markdown table whose first cell is `id`. */
const rowsOf = (markdown: string, id: string): string[] =>
  markdown.split('\n').filter((line) => line.startsWith(`| ${id} |`));

describe('which interval a row shows', () => {
  it("marks the confirmation round's intervals and says in the footer what they are", () => {
    const analysis = analyze({
      base,
      head,
      threshold: 0.1,
      confirmation: {
        candidates: IDS,
        // work/a confirmed, work/b cleared, work/c undecided after too few pairs for a look.
        pairs: new Map([
          ['work/a', pairs(1, 5, Math.log(1.3))],
          ['work/b', pairs(2, 5, 0)],
          ['work/c', pairs(3, 2, 0)],
        ]),
        state: 'complete',
        seconds: 30,
        buildSeconds: 5,
      },
    });
    const byId = new Map(analysis.comparison?.rows.map((row) => [row.id, row]));
    assert.equal(byId.get('work/a')?.confirmation?.status, 'confirmed');
    assert.equal(byId.get('work/b')?.confirmation?.status, 'cleared');
    assert.equal(byId.get('work/c')?.confirmation?.status, 'not-measured');
    const md = analysis.markdown;
    // Rows the round decided show its interval, marked; the baseline's verdict stands with its bootstrap interval,
    // unmarked.
    for (const id of ['work/a', 'work/b']) {
      const rows = rowsOf(md, id).filter((line) => line.includes(' … '));
      assert.ok(rows.length > 0, md);
      assert.ok(
        rows.every((line) => / … [^|]*% 🔁 \|/.test(line)),
        rows.join('\n'),
      );
    }
    const unmarked = rowsOf(md, 'work/c').filter((line) => line.includes(' … '));
    assert.ok(unmarked.length > 0 && unmarked.every((line) => !line.includes('🔁')), unmarked.join('\n'));
    const footer = md.split('\n').find((line) => line.startsWith('<sub>Change = ')) ?? '';
    assert.match(footer, /^<sub>Change = head\/base ratio of medians with a 95% bootstrap interval; /);
    assert.match(
      footer,
      /for the 2 rows whose interval is marked 🔁, the confirmation round's: the geometric mean of its pairs' head\/base ratios on this runner with a sequential t interval \(95% over all its looks\), no q/,
    );
  });

  it('calls every interval a bootstrap one when no round decided any row', () => {
    const md = analyze({ base, head, threshold: 0.1 }).markdown;
    assert.doesNotMatch(md, /🔁|sequential t interval/);
    assert.match(md, /<sub>Change = head\/base ratio of medians with a 95% bootstrap interval; q = /);
  });
});
