/**
 * The confirmation round's words for the comment: each outcome's label, a
 * change with its interval, and the round's state for the first lines.
 */
import type { Comparison, ConfirmationStatus } from '../compare/types.ts';
import type { Interval } from '../schema/types.ts';
import { escapeText, formatPercent, plural } from './format.ts';

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
 * finish: skipped (the verdicts are the baseline's alone) or partial (the
 * budget ran out), with the reason; and a baseline that decided nothing. Null
 * otherwise.
 */
export function confirmationHeadline(comparison: Comparison): string | null {
  const round = comparison.confirmationRound;
  if (!round) return null;
  const unusable = round.baselineUnusable
    ? ' The baseline decided nothing, so the largest uncertainties were re-measured first.'
    : '';
  if (round.state === 'skipped')
    return `⚠️ **Confirmation round skipped**: ${escapeText(round.reason ?? 'see the log')}. The verdicts below are the baseline's alone.${unusable}`;
  if (round.state === 'partial')
    return `⏱️ **Confirmation round partial**: ${escapeText(round.reason ?? 'the budget ran out')}; ${round.confirmed + round.cleared} of ${plural(round.candidates, 'benchmark')} decided, ${round.undecided} undecided, ${round.notMeasured} not measured.${unusable}`;
  return unusable ? `❔${unusable}` : null;
}
