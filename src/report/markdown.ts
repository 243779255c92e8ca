import { markdownTable } from 'markdown-table';
import type { ClaimResult } from '../claims/types.ts';
import { worsening } from '../compare/compare.ts';
import { baselineUnusable } from '../compare/confirm.ts';
import type { Comparison, ComparisonRow, MuteRule, PairResult } from '../compare/types.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import {
  capLength,
  claimsPhrase,
  escapeName,
  describeRunner,
  escapeText,
  formatFactor,
  formatInterval,
  formatPercent,
  formatQ,
  formatSpeed,
  formatValue,
  plural,
  shortSha,
  VERDICT_LABEL,
  VERDICT_ORDER,
} from './format.ts';
import { CONFIRMATION_STATUS, changeWithInterval, confirmationHeadline, intervalCell, intervalLegend, leftToCountsPhrase } from './confirmation.ts';
import { INSTRUCTION_ALIGN, INSTRUCTION_HEADER, instructionIntro, instructionRows, isCountedRow, signalPhrase, worstDeciding } from './instructions.ts';

/** GitHub rejects comments over 65,536 characters; keep room for a marker and edits. */
export const DEFAULT_MAX_LENGTH = 65536 - 1536;

export interface MarkdownOptions {
  claims?: readonly ClaimResult[];
  title?: string;
  /** Hidden HTML comment that lets a bot find and update its own comment. */
  marker?: string;
  /** Character budget for the whole report. */
  maxLength?: number;
  /** One line about where the base came from, e.g. "baseline from main @ 1a2b3c4, 3 days old". */
  baselineNote?: string;
  /** Said right under the verdict line: why regressions cannot fail the build yet (report/gate-notice.ts). */
  notice?: string;
  /** Regressions that are shown but cannot fail the build; when all are, the verdict line says "possible". */
  heldRegressions?: number;
  /** Ids of wall-time benchmarks whose instruction count decides instead (compare/count-pairing.ts countDecides). */
  countDecides?: ReadonlySet<string>;
  /** Mutes of the thresholds file past their `until`: their benchmarks count again, and the report says so. */
  expiredMutes?: readonly MuteRule[];
}

/** The one rule every verdict label follows (docs/statistics.md, "The verdict rule"), said under every report. */
export const VERDICT_RULE = (alpha: number): string =>
  `A regression (improvement) needs q ≤ ${alpha}, an interval wholly on the slower (faster) side of no change, and an estimate beyond the threshold; unchanged needs the whole interval within the threshold either way; anything else is inconclusive. A confirmation round's verdict replaces the baseline's: confirmed when its interval lies wholly beyond the threshold, cleared when wholly below it.`;

function changeText(row: ComparisonRow): string {
  if (row.change === null) return '–';
  return `${formatSpeed(worsening(row.change, row.direction))} (${formatPercent(row.change)})`;
}

function idCell(row: ComparisonRow): string {
  return `${escapeName(benchmarkLabel(row))}${row.weak ? ' ⚠️' : ''}`;
}

const CHANGE_HEADER = ['Benchmark', 'Base', 'Head', 'Change', 'CI', 'q'];

function changeCells(row: ComparisonRow): string[] {
  return [idCell(row), formatValue(row.baseMedian, row.unit), formatValue(row.headMedian, row.unit), changeText(row), intervalCell(row), formatQ(row.qValue)];
}

/** A table's lines: [header, delimiter, ...rows], so callers can cut rows to fit. */
export function tableLines(header: string[], rows: string[][], align: string[]): string[] {
  return markdownTable([header, ...rows], { align, alignDelimiters: false }).split('\n');
}

const CHANGE_ALIGN = ['l', 'r', 'r', 'l', 'l', 'r'];

/** Inconclusive only about an improvement: the confirmation round cleared it of a regression. */
const isClearedOnly = (row: ComparisonRow): boolean => row.verdict === 'inconclusive' && row.confirmation?.status === 'cleared';

function verdictLine(comparison: Comparison, claims: readonly ClaimResult[], held: number, countDecides: ReadonlySet<string> = new Set()): string {
  const overruled = comparison.rows.filter((r) => r.verdict === 'regression' && !isCountedRow(r) && countDecides.has(r.id)).length;
  const { counts, worstRegression, total, inCommon } = comparison.summary;
  const rest: string[] = [];
  if (counts.improvement > 0) rest.push(plural(counts.improvement, 'improvement'));
  // A row the confirmation round cleared of a regression is decided, even when its interval reaches past the improvement edge.
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
  if (comparison.confirmationRound?.baselineUnusable ?? baselineUnusable(comparison)) rest.unshift('the baseline decided nothing: every benchmark was inconclusive against it');
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
  const open = comparison.rows.filter((r) => r.verdict === 'inconclusive' && !isClearedOnly(r) && (isCountedRow(r) || !countDecides.has(r.id))).length;
  if (open > 0) return `❔ **No regressions found, ${open} undecided** over the ${threshold} · ${rest.join(' · ')} · ${all}${signal}`;
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
  if (comparison.summary.inCommon === 0 && missing.length === 0) return '🚫 **The baseline has no benchmarks.** Nothing was compared, so nothing here can pass.';
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
  const ci = drift.ci ? ` (${formatInterval(drift.ci, formatFactor)}, median of ${plural(drift.controls.length, 'control')})` : '';
  return `🎛️ **Runner ${formatSpeed(drift.factor)} than the baseline's; changes corrected**${ci}. Wall-time changes are divided by it, and its uncertainty widens their intervals.`;
}

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
    `🔁 **Confirmation round**: ${plural(round.candidates, 'benchmark')} the baseline could not clear, measured again on this runner${leftToCountsPhrase(round)}, base and head interleaved, pair by pair until a sequential interval (error rate ${(round.alpha * 100).toFixed(0)}% over all its looks, after ${round.looksAt.join(', ')} pairs) sat wholly on one side of the threshold: ${round.confirmed} confirmed, ${round.cleared} cleared, ${round.undecided} undecided, ${round.notMeasured} not measured; ${plural(round.pairs, 'pair')} in ${round.seconds.toFixed(0)} s (${round.buildSeconds.toFixed(0)} s of it building the base). The verdict on this runner is the final one.`,
  ];
  if (rows.length === 0) return lines;
  const cells = rows.map((row) => {
    const c = row.confirmation as NonNullable<ComparisonRow['confirmation']>;
    const against = `${VERDICT_LABEL[c.baselineVerdict]} ${changeWithInterval(c.baselineChange, c.baselineCi)}`;
    const here = changeWithInterval(c.change, c.ci);
    const result = c.decideBy ? `${CONFIRMATION_STATUS[c.status]}: ${escapeText(c.decideBy)}` : CONFIRMATION_STATUS[c.status];
    return [idCell(row), against, here, String(c.pairs), result];
  });
  lines.push('', tableLines(['Benchmark', 'Against the baseline', 'On this runner', 'Pairs', 'Result'], cells, ['l', 'l', 'l', 'r', 'l']).join('\n'));
  return lines;
}

export function pairLine(pair: PairResult): string[] {
  const name = escapeName(pair.name);
  if (pair.speedup === null) return [name, '–', '–', escapeName(pair.note ?? 'not measured')];
  const faster = pair.speedup >= 1;
  const factor = formatFactor(faster ? pair.speedup : 1 / pair.speedup);
  // The interval in the same terms as the factor: "slower" pairs show 1/speedup.
  const ci = pair.ci ? formatInterval(faster ? pair.ci : { ...pair.ci, lower: 1 / pair.ci.upper, upper: 1 / pair.ci.lower }, formatFactor) : '–';
  const what = `${factor} ${faster ? 'faster' : 'slower'} than ${escapeName(pair.reference)}${pair.weak ? ' ⚠️' : ''}`;
  return [name, what, ci, `${formatValue(pair.contenderMedian, pair.unit ?? '')} vs ${formatValue(pair.referenceMedian, pair.unit ?? '')}`];
}

export function claimLine(claim: ClaimResult): string[] {
  const status = claim.status === 'pass' ? '✅ pass' : claim.status === 'fail' ? '❌ fail' : '⚠️ missing';
  const measured = claim.measured ? `${Number(claim.measured.value.toPrecision(4))} ${escapeText(claim.measured.unit)}` : '–';
  const bound = claim.bound ? `${claim.bound.op === '<=' ? '≤' : '≥'} ${claim.bound.value} ${escapeText(claim.bound.unit)}` : '–';
  return [escapeName(claim.description, 300), measured, bound, status, escapeName(claim.detail, 300)];
}

/** Most severe first: by worsening for regressions, by gain for improvements. */
function bySeverity(a: ComparisonRow, b: ComparisonRow): number {
  const wa = a.change === null ? 1 : worsening(a.change, a.direction);
  const wb = b.change === null ? 1 : worsening(b.change, b.direction);
  return wb - wa;
}

/** Takes table lines (header, delimiter, rows) while they fit in `budget`; returns the text and how many rows were left out. */
export function fitTable(lines: string[], budget: number): { text: string; omitted: number } {
  const [header = '', delimiter = '', ...rows] = lines;
  let used = header.length + delimiter.length + 2;
  let kept = 0;
  for (const row of rows) {
    if (used + row.length + 1 > budget) break;
    used += row.length + 1;
    kept++;
  }
  return { text: [header, delimiter, ...rows.slice(0, kept)].join('\n'), omitted: rows.length - kept };
}

/** A table fitted to `budget`, with a line saying how many rows were left out. */
export function fittedTable(lines: string[], budget: number, what: string): string[] {
  const fitted = fitTable(lines, Math.max(0, budget));
  return fitted.omitted > 0 ? [fitted.text, '', `… and ${fitted.omitted} more ${what} left out to fit the comment size limit; the JSON report has them all.`] : [fitted.text];
}

/**
 * The PR comment: verdict line, regressions, improvements, pairs, claims, then
 * every benchmark in a collapsed table. Stays within `maxLength` by trimming the
 * collapsed table first, then improvements; regressions are only cut if they
 * alone exceed the budget, with a note. Pure.
 */
export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const claims = options.claims ?? [];
  // Counted rows (instructions) get their own section; the rest is wall time and other sampled metrics.
  const counted = comparison.rows.filter(isCountedRow);
  const rows = comparison.rows.filter((r) => !isCountedRow(r));
  const regressions = rows.filter((r) => r.verdict === 'regression').sort(bySeverity);
  const improvements = rows.filter((r) => r.verdict === 'improvement').sort((a, b) => -bySeverity(a, b));
  const { options: o } = comparison;

  const head: string[] = [];
  if (options.marker) head.push(`<!-- ${options.marker.replace(/-->/g, '')} -->`);
  head.push(`### ${escapeName(options.title ?? 'Benchmark results', 120)}`, '', verdictLine(comparison, claims, options.heldRegressions ?? 0, options.countDecides), '');
  const missing = missingNotice(comparison);
  if (missing) head.push(missing, '');
  if (options.notice) head.push(options.notice, '');
  const headline = confirmationHeadline(comparison);
  if (headline) head.push(headline, '');
  for (const mute of options.expiredMutes ?? [])
    head.push(
      `⏰ The mute of ${escapeName(mute.pattern, 80)} (${escapeName(mute.reason, 200)}) expired after ${mute.until ?? ''}: its benchmarks count again. Renew or remove it in the thresholds file.`,
      '',
    );
  head.push(`Base ${shortSha(comparison.base.commit)} on ${describeRunner(comparison.base)} · head ${shortSha(comparison.head.commit)} on ${describeRunner(comparison.head)}`);
  const drift = driftLine(comparison);
  if (drift) head.push('', drift);
  head.push(...confirmationSection(comparison));
  if (options.baselineNote) head.push('', `> ${escapeName(options.baselineNote, 1000)}`);

  const footer: string[] = [];
  footer.push(
    '',
    `<sub>${intervalLegend(comparison)}; q = Mann-Whitney p adjusted for ${Math.round(o.alpha * 100)}% false-discovery rate (Benjamini-Hochberg). ${VERDICT_RULE(o.alpha)} Seed ${o.seed}.</sub>`,
  );
  if (comparison.summary.weak > 0) {
    footer.push('', `⚠️ ${plural(comparison.summary.weak, 'benchmark')} had no raw samples on a side; their verdicts rest on reported spreads and are weaker.`);
  }

  // Regressions first and whole; cut only when they alone cannot fit. Pairs
  // and claims are short and always shown; improvements and the collapsed
  // table take what room is left, in that order.
  const regressionSection: string[] = [];
  const improvementSection: string[] = [];
  const tailSections: string[] = [];
  const sections = (): string[] => [...regressionSection, ...improvementSection, ...tailSections];
  const budgetLeft = (): number => maxLength - [...head, ...sections(), ...footer].join('\n').length - 64;

  if (regressions.length > 0) {
    const lines = tableLines(CHANGE_HEADER, regressions.map(changeCells), CHANGE_ALIGN);
    const fitted = fitTable(lines, budgetLeft() - 200);
    regressionSection.push('', `#### Regressions (${regressions.length})`, '', fitted.text);
    if (fitted.omitted > 0) regressionSection.push('', `… and ${fitted.omitted} more regressions that do not fit in a comment; see the JSON report.`);
  }
  if (counted.length > 0) {
    const lines = tableLines(INSTRUCTION_HEADER, instructionRows(comparison.rows), INSTRUCTION_ALIGN);
    const fitted = fitTable(lines, budgetLeft() - 400);
    regressionSection.push('', `#### Instruction counts (${counted.length})`, '', instructionIntro(comparison.rows, o.instructionsThreshold), '', fitted.text);
    if (fitted.omitted > 0) regressionSection.push('', `… and ${fitted.omitted} more; the JSON report has them all.`);
  }
  // Pairs and claims next: short in practice, but a results file can hold
  // thousands, so they are fitted too, with a note.
  if (comparison.pairs.length > 0) {
    tailSections.push(
      '',
      '#### Comparisons',
      '',
      ...fittedTable(tableLines(['Pair', 'Speedup', 'CI', 'Medians'], comparison.pairs.map(pairLine), ['l', 'l', 'l', 'l']), budgetLeft() - 300, 'pairs'),
    );
  }
  if (claims.length > 0) {
    tailSections.push(
      '',
      '#### Claims',
      '',
      ...fittedTable(tableLines(['Claim', 'Measured', 'Bound', 'Status', 'Detail'], claims.map(claimLine), ['l', 'r', 'r', 'l', 'l']), budgetLeft() - 300, 'claims'),
    );
  }
  if (improvements.length > 0) {
    const lines = tableLines(CHANGE_HEADER, improvements.map(changeCells), CHANGE_ALIGN);
    const fitted = fitTable(lines, budgetLeft() - 200);
    if (fitted.text.split('\n').length > 2) {
      improvementSection.push('', `#### Improvements (${improvements.length})`, '', fitted.text);
      if (fitted.omitted > 0) improvementSection.push('', `… and ${fitted.omitted} more improvements left out to fit the comment size limit.`);
    }
  }

  // A row the confirmation round cleared of a regression is not too noisy to judge: it is judged.
  const inconclusive = rows.filter((r) => r.verdict === 'inconclusive' && r.confirmation?.status !== 'cleared');
  if (inconclusive.length > 0) {
    const lines = tableLines(
      ['Benchmark', 'Change', 'CI', 'Run-to-run sd'],
      inconclusive.map((row) => [idCell(row), changeText(row), intervalCell(row), row.extraNoise > 0 ? `±${(row.extraNoise * 100).toFixed(1)}%` : '–']),
      ['l', 'l', 'l', 'r'],
    );
    const fitted = fitTable(lines, budgetLeft() - 600);
    if (fitted.text.split('\n').length > 2) {
      improvementSection.push(
        '',
        `#### Too noisy to judge (${inconclusive.length})`,
        '',
        `Neither a significant change beyond the threshold nor an interval wholly inside it, so the data cannot tell whether they crossed it. To decide them, measure more (Criterion's \`--sample-size\`, a longer \`--measurement-time\`), run base and head on the same runner (\`compare-mode: same-runner\`, or a larger \`confirm-budget\`), or count instructions.`,
        '',
        fitted.text,
      );
      if (fitted.omitted > 0) improvementSection.push('', `… and ${fitted.omitted} more; see the collapsed table.`);
    }
  }

  const muted = rows.filter((r) => r.verdict === 'muted');
  if (muted.length > 0) {
    const lines = tableLines(
      ['Benchmark', 'Would be', 'Change', 'Reason', 'Until'],
      muted.map((row) => [idCell(row), VERDICT_LABEL[row.muted?.verdict ?? 'muted'], changeText(row), escapeName(row.muted?.reason ?? '', 200), row.muted?.until ?? '–']),
      ['l', 'l', 'l', 'l', 'l'],
    );
    improvementSection.push(
      '',
      `#### Muted (${muted.length})`,
      '',
      'Muted in the thresholds file: measured and shown, never failing the build.',
      '',
      ...fittedTable(lines, budgetLeft() - 400, 'muted benchmarks'),
    );
  }

  const everything = [...rows].sort(
    (a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || (benchmarkLabel(a) < benchmarkLabel(b) ? -1 : benchmarkLabel(a) > benchmarkLabel(b) ? 1 : 0),
  );
  const allLines = tableLines(
    ['Benchmark', 'Verdict', 'Base', 'Head', 'Change', 'CI', 'q'],
    everything.map((row) => {
      const [id, base, headValue, change, ci, q] = changeCells(row) as [string, string, string, string, string, string];
      return [id, isClearedOnly(row) ? '✅ cleared' : VERDICT_LABEL[row.verdict], base, headValue, change, ci, q];
    }),
    ['l', 'l', 'r', 'r', 'l', 'l', 'r'],
  );
  const detailsFrame = 120;
  const fitted = fitTable(allLines, budgetLeft() - detailsFrame);
  if (fitted.text.split('\n').length > 2) {
    tailSections.push('', `<details><summary>All ${rows.length} benchmarks</summary>`, '', fitted.text);
    if (fitted.omitted > 0) tailSections.push('', `${fitted.omitted} of ${rows.length} rows left out to fit the comment size limit; the JSON report has them all.`);
    tailSections.push('', '</details>');
  } else if (rows.length > 0) {
    tailSections.push('', `The table of all ${rows.length} benchmarks does not fit in a comment; the JSON report has them all.`);
  }
  return capLength([...head, ...sections(), ...footer].join('\n') + '\n', maxLength);
}
