/**
 * The comment's first lines: the verdict line, the benchmarks missing from the
 * head, the runner's drift, and the one rule every verdict follows. Pure.
 */
import type { ClaimResult } from '../claims/types.ts';
import { baselineUnusable } from '../compare/confirm.ts';
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import { claimsPhrase, escapeName, escapeText, formatFactor, formatInterval, formatSpeed, plural } from './format.ts';
import { isCountedRow, signalPhrase, worstDeciding } from './instructions.ts';

/** The one rule every verdict label follows (docs/statistics.md, "The verdict rule"), said under every report. */
export const VERDICT_RULE = (alpha: number): string =>
  `A regression (improvement) needs q ≤ ${alpha}, an interval wholly on the slower (faster) side of no change, and an estimate beyond the threshold; unchanged needs the whole interval within the threshold either way; anything else is inconclusive. A confirmation round's verdict replaces the baseline's: confirmed when its interval lies wholly beyond the threshold, cleared when wholly below it.`;

/** Inconclusive only about an improvement: the confirmation round cleared it of a regression. */
export const isClearedOnly = (row: ComparisonRow): boolean =>
  row.verdict === 'inconclusive' && row.confirmation?.status === 'cleared';

export function verdictLine(
  comparison: Comparison,
  claims: readonly ClaimResult[],
  held: number,
  countDecides: ReadonlySet<string> = new Set(),
): string {
  const overruled = comparison.rows.filter(
    (r) => r.verdict === 'regression' && !isCountedRow(r) && countDecides.has(r.id),
  ).length;
  const { counts, worstRegression, total, inCommon } = comparison.summary;
  const rest: string[] = [];
  if (counts.improvement > 0) rest.push(plural(counts.improvement, 'improvement'));
  // A row the confirmation round cleared of a regression is decided, even when its interval reaches past the
  // improvement edge.
  const cleared = comparison.rows.filter(isClearedOnly).length;
  const undecided = counts.inconclusive - cleared;
  if (undecided > 0) rest.push(`${undecided} inconclusive`);
  if (cleared > 0) rest.push(`${cleared} cleared by the confirmation round`);
  rest.push(`${counts.unchanged} unchanged`);
  if (counts.new > 0) rest.push(`${counts.new} new`);
  if (counts.missing > 0) rest.push(`${counts.missing} missing`);
  if (counts.control > 0) rest.push(plural(counts.control, 'control'));
  if (counts.muted > 0) rest.push(`${counts.muted} muted`);
  const claimsText = claimsPhrase(claims);
  if (claimsText) rest.push(claimsText);
  // Said first: against a baseline that decided nothing, the counts above say little.
  if (comparison.confirmationRound?.baselineUnusable ?? baselineUnusable(comparison))
    rest.unshift('the baseline decided nothing: every benchmark was inconclusive against it');
  const all = plural(total, 'benchmark');
  const threshold = `threshold ${(comparison.options.threshold * 100).toFixed(0)}%`;
  // A head that shares nothing with its baseline compared nothing: a renamed suite or a wrong path, never a pass.
  if (inCommon === 0)
    return `⚠️ **Nothing compared**: the head's ${plural(counts.new, 'benchmark')} and the baseline's ${counts.missing} have none in common${claimsText ? ` · ${claimsText}` : ''}`;
  const countedRegressions = comparison.rows.filter((r) => r.verdict === 'regression' && isCountedRow(r)).length;
  const signal = signalPhrase(comparison, overruled);
  const regressions = counts.regression - overruled;
  const worstText = worstDeciding(comparison, countDecides);
  if (regressions > 0 && worstRegression && worstText) {
    const worst = `worst ${worstText}`;
    if (held >= regressions)
      return `⚠️ **${plural(regressions, 'possible regression')}** over the ${threshold} (${worst}), not failing the build · ${rest.join(' · ')} · ${all}${signal}`;
    // Which signal decided: wall time against its threshold, instruction counts against theirs.
    const over =
      countedRegressions === 0
        ? `over the ${threshold}`
        : countedRegressions === regressions
          ? `in instruction counts over the ${(comparison.options.instructionsThreshold * 100).toFixed(1)}% threshold`
          : `(${regressions - countedRegressions} in wall time over the ${threshold}, ${countedRegressions} in instruction counts over ${(comparison.options.instructionsThreshold * 100).toFixed(1)}%)`;
    return `❌ **${plural(regressions, 'regression')}** ${over} (${worst}) · ${rest.join(' · ')} · ${all}${signal}`;
  }
  // Benchmarks gone from the head may hide a regression: not a green pass.
  if (counts.missing > 0)
    return `⚠️ **No regressions in the ${inCommon} compared, ${counts.missing} missing from the head** · threshold ${(comparison.options.threshold * 100).toFixed(0)}% · ${rest.join(' · ')} · ${all}`;
  // A green tick only when every benchmark was decided: an interval that spans the threshold cleared nothing
  // (a wall-time row whose instruction count decided is decided; a row the round cleared of a regression is decided).
  const open = comparison.rows.filter(
    (r) => r.verdict === 'inconclusive' && !isClearedOnly(r) && (isCountedRow(r) || !countDecides.has(r.id)),
  ).length;
  if (open > 0)
    return `❔ **No regressions found, ${open} undecided** over the ${threshold} · ${rest.join(' · ')} · ${all}${signal}`;
  return `✅ **No regressions** over the ${threshold} · ${rest.join(' · ')} · ${all}${signal}`;
}

/** How many missing ids the first lines name before "and N more". */
const MISSING_NAMED = 5;

/**
 * Right under the verdict line: which benchmarks of the baseline the head
 * lacks (renamed, deleted, filtered out or not run), so a gap is never silent.
 * Null when none is missing. Pure.
 */
export function missingNotice(comparison: Comparison): string | null {
  const missing = comparison.rows.filter((r) => r.verdict === 'missing');
  if (comparison.summary.inCommon === 0 && missing.length === 0)
    return '🚫 **The baseline has no benchmarks.** Nothing was compared, so nothing here can pass.';
  if (missing.length === 0) return null;
  const named = missing.slice(0, MISSING_NAMED).map((r) => escapeName(benchmarkLabel(r), 80));
  const more = missing.length > MISSING_NAMED ? ` and ${missing.length - MISSING_NAMED} more` : '';
  if (comparison.summary.inCommon === 0)
    return `🚫 **No benchmark in common with the baseline.** The baseline has ${named.join(', ')}${more}; the head has none of them. Was the suite renamed, or do the results point at the wrong files? Nothing was compared, so nothing here can pass.`;
  return `⚠️ **${plural(missing.length, 'benchmark')} of the baseline ${missing.length === 1 ? 'is' : 'are'} missing from the head**: ${named.join(', ')}${more}. Renamed, deleted or no longer run? A missing benchmark cannot show a regression; \`fail-on-missing: true\` (CLI \`--fail-on-missing\`) fails on it.`;
}

/** What the controls said about the runner: the header line of a controlled comparison. */
export function driftLine(comparison: Comparison): string | null {
  const drift = comparison.drift;
  if (drift === null) return null;
  if (!drift.applied) return `🎛️ Runner drift not corrected: ${escapeText(drift.reason ?? 'no usable controls')}.`;
  const ci = drift.ci
    ? ` (${formatInterval(drift.ci, formatFactor)}, median of ${plural(drift.controls.length, 'control')})`
    : '';
  return `🎛️ **Runner ${formatSpeed(drift.factor)} than the baseline's; changes corrected**${ci}. Wall-time changes are divided by it, and its uncertainty widens their intervals.`;
}
