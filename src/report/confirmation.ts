/**
 * The confirmation round's words for the comment: each outcome's label, a
 * change with its interval, and the round's state for the first lines.
 */
import type { Comparison, ComparisonRow, ConfirmationRound, ConfirmationStatus } from '../compare/types.ts';
import type { Interval } from '../schema/types.ts';
import { escapeText, formatInterval, formatPercent, plural } from './format.ts';

export const CONFIRMATION_STATUS: Record<ConfirmationStatus, string> = {
  confirmed: '❌ confirmed on this runner',
  cleared: '✅ cleared: the interval is below the threshold',
  undecided: '❔ undecided',
  'not-measured': '⏱️ not measured',
};

/** "+14.0% [+11.0%, +17.0%]" for a change and its interval. */
export function changeWithInterval(change: number | null, ci: Interval | null): string {
  if (change === null) return '–';
  return ci
    ? `${formatPercent(change)} [${formatPercent(ci.lower)}, ${formatPercent(ci.upper)}]`
    : formatPercent(change);
}

/**
 * The round's state for the comment's first lines, when it did not simply
 * finish: skipped or measured nothing (the verdicts are the baseline's alone)
 * or partial (the budget ran out), with the reason; and a baseline that
 * decided nothing. Null otherwise.
 */
export function confirmationHeadline(comparison: Comparison): string | null {
  const round = comparison.confirmationRound;
  if (!round) return null;
  const unusable = round.baselineUnusable
    ? ' The baseline decided nothing, so the largest uncertainties were re-measured first.'
    : '';
  // A round whose runs produced none of its candidates decided nothing: as plain as a skipped one, whatever its state.
  if (round.state !== 'skipped' && round.candidates > 0 && round.pairs === 0 && round.notMeasured === round.candidates)
    return `⚠️ **Confirmation round measured nothing**: ${escapeText(round.reason ?? 'no run produced any of its benchmarks; see the log')}. The verdicts below are the baseline's alone.${unusable}`;
  if (round.state === 'skipped')
    return `⚠️ **Confirmation round skipped**: ${escapeText(round.reason ?? 'see the log')}. The verdicts below are the baseline's alone.${unusable}`;
  if (round.state === 'partial')
    return `⏱️ **Confirmation round partial**: ${escapeText(round.reason ?? 'the budget ran out')}; ${round.confirmed + round.cleared} of ${plural(round.candidates, 'benchmark')} decided, ${round.undecided} undecided, ${round.notMeasured} not measured.${unusable}`;
  return unusable ? `❔${unusable}` : null;
}

/** Whether a row's change and interval are the confirmation round's (confirmed or cleared), not the baseline's. */
export const fromRound = (row: ComparisonRow): boolean =>
  row.confirmation?.status === 'confirmed' || row.confirmation?.status === 'cleared';

/** Beside an interval that is the round's sequential interval, not a bootstrap one. */
export const ROUND_MARK = '🔁';

/** A row's interval cell, marked when it is the round's. */
export function intervalCell(row: ComparisonRow): string {
  const cell = formatInterval(row.ci, formatPercent);
  return fromRound(row) && row.ci ? `${cell} ${ROUND_MARK}` : cell;
}

/**
 * The footer's first words: which interval the rows show. A bootstrap
 * interval of the ratio of medians, except where the confirmation round
 * decided a row: there the change is the geometric mean of its pairs'
 * head/base ratios and the interval the sequential t interval (docs/statistics.md).
 */
export function intervalLegend(comparison: Comparison): string {
  const level = `${Math.round(comparison.options.level * 100)}%`;
  const bootstrap = `Change = head/base ratio of medians with a ${level} bootstrap interval`;
  const rows = comparison.rows.filter(fromRound);
  const round = comparison.confirmationRound;
  if (rows.length === 0 || !round) return bootstrap;
  const roundLevel = `${Math.round((1 - round.alpha) * 100)}%`;
  return `${bootstrap}; for the ${plural(rows.length, 'row')} whose interval is marked ${ROUND_MARK}, the confirmation round's: the geometric mean of its pairs' head/base ratios on this runner with a sequential t interval (${roundLevel} over all its looks), no q`;
}

/** Said beside the round's candidates: the open wall-time rows it left to their instruction counts; empty when none. */
export function leftToCountsPhrase(round: ConfirmationRound): string {
  if (round.leftToCounts === 0) return '';
  return ` (${round.leftToCounts} more left to their instruction counts, which overrule wall time)`;
}
