/** The confirmation round's section of the comment, under its first lines. Pure. */
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import { CONFIRMATION_STATUS, changeWithInterval, leftToCountsPhrase } from './confirmation.ts';
import { escapeText, plural, VERDICT_LABEL } from './format.ts';
import { idCell, tableLines } from './tables.ts';

/**
 * The confirmation round: its cost, then each benchmark it looked at again,
 * with what the baseline said, what this runner says, and for an undecided one
 * what would decide it. Empty when none ran.
 */
export function confirmationSection(comparison: Comparison): string[] {
  const round = comparison.confirmationRound;
  if (!round || round.state === 'skipped') return [];
  const rows = comparison.rows.filter((row) => row.confirmation);
  const lines = [
    '',
    `🔁 **Confirmation round**: ${plural(round.candidates, 'benchmark')} the baseline could not clear, measured again on this runner${leftToCountsPhrase(round)}, base and head interleaved, pair by pair until a sequential interval (error rate ${(round.alpha * 100).toFixed(0)}% over all its looks, after ${round.looksAt.join(', ')} pairs) sat wholly on one side of the threshold: ${round.confirmed} confirmed, ${round.cleared} cleared, ${round.undecided} undecided, ${round.notMeasured} not measured; ${plural(round.pairs, 'pair')} in ${round.seconds.toFixed(0)} s (${round.buildSeconds.toFixed(0)} s of it building the base).${round.pairs > 0 ? ' The verdict on this runner is the final one.' : ''}`,
  ];
  if (rows.length === 0) return lines;
  const cells = rows.map((row) => {
    const c = row.confirmation as NonNullable<ComparisonRow['confirmation']>;
    const against = `${VERDICT_LABEL[c.baselineVerdict]} ${changeWithInterval(c.baselineChange, c.baselineCi)}`;
    const here = changeWithInterval(c.change, c.ci);
    const result = c.decideBy
      ? `${CONFIRMATION_STATUS[c.status]}: ${escapeText(c.decideBy)}`
      : CONFIRMATION_STATUS[c.status];
    return [idCell(row), against, here, String(c.pairs), result];
  });
  lines.push(
    '',
    tableLines(['Benchmark', 'Against the baseline', 'On this runner', 'Pairs', 'Result'], cells, [
      'l',
      'l',
      'l',
      'r',
      'l',
    ]).join('\n'),
  );
  return lines;
}
