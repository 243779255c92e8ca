/** A comparison's summary: counts by verdict, the overall change, the worst regression. Pure. */
import { benchmarkKey } from '../schema/metric.ts';
import type { ComparisonRow, ComparisonSummary, Verdict, WorstRegression } from './types.ts';
import { worsening } from './verdict.ts';

function emptyCounts(): Record<Verdict, number> {
  return { regression: 0, improvement: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0, control: 0, muted: 0 };
}

/** Whether a row was measured on both sides (a muted one by what it would have been). */
function bothSides(row: ComparisonRow): boolean {
  const verdict = row.muted?.verdict ?? row.verdict;
  return verdict !== 'new' && verdict !== 'missing';
}

export function summarize(rows: readonly ComparisonRow[]): ComparisonSummary {
  const counts = emptyCounts();
  let logSum = 0;
  let compared = 0;
  let worst: WorstRegression | null = null;
  let weak = 0;
  let inCommon = 0;
  for (const row of rows) {
    counts[row.verdict]++;
    if (bothSides(row)) inCommon++;
    if (row.weak) weak++;
    // Controls measure the runner, not the code; muted rows are not judged: neither is part of the overall change.
    if (row.change === null || row.verdict === 'control' || row.verdict === 'muted') continue;
    const factor = worsening(row.change, row.direction);
    logSum += Math.log(factor);
    compared++;
    if (row.verdict === 'regression' && (worst === null || factor > worst.factor))
      worst = { id: benchmarkKey(row), change: row.change, factor };
  }
  return {
    total: rows.length,
    counts,
    geometricMean: compared > 0 ? Math.exp(logSum / compared) : null,
    compared,
    worstRegression: worst,
    weak,
    inCommon,
  };
}
