/**
 * The PR comment: its first lines (verdict-line.ts), the round (confirmation.ts), then the tables
 * (tables.ts) fitted to GitHub's size limit, most important first.
 */
import type { ClaimResult } from '../claims/types.ts';
import type { Comparison, MuteRule } from '../compare/types.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import { capLength, describeRunner, escapeName, plural, shortSha, VERDICT_LABEL, VERDICT_ORDER } from './format.ts';
import { confirmationHeadline, intervalCell, intervalLegend } from './confirmation.ts';
import { confirmationSection } from './round-section.ts';
import {
  INSTRUCTION_ALIGN,
  INSTRUCTION_HEADER,
  instructionIntro,
  instructionRows,
  isCountedRow,
} from './instructions.ts';
import {
  bySeverity,
  CHANGE_ALIGN,
  CHANGE_HEADER,
  changeCells,
  changeText,
  claimsSection,
  fittedTable,
  fitTable,
  idCell,
  pairLine,
  tableLines,
} from './tables.ts';
import { driftLine, isClearedOnly, missingNotice, VERDICT_RULE, verdictLine } from './verdict-line.ts';

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
  head.push(
    `### ${escapeName(options.title ?? 'Benchmark results', 120)}`,
    '',
    verdictLine(comparison, claims, options.heldRegressions ?? 0, options.countDecides),
    '',
  );
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
  head.push(
    `Base ${shortSha(comparison.base.commit)} on ${describeRunner(comparison.base)} · head ${shortSha(comparison.head.commit)} on ${describeRunner(comparison.head)}`,
  );
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
    footer.push(
      '',
      `⚠️ ${plural(comparison.summary.weak, 'benchmark')} had no raw samples on a side; their verdicts rest on reported spreads and are weaker.`,
    );
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
    if (fitted.omitted > 0)
      regressionSection.push(
        '',
        `… and ${fitted.omitted} more regressions that do not fit in a comment; see the JSON report.`,
      );
  }
  if (counted.length > 0) {
    const lines = tableLines(INSTRUCTION_HEADER, instructionRows(comparison.rows), INSTRUCTION_ALIGN);
    const fitted = fitTable(lines, budgetLeft() - 400);
    regressionSection.push(
      '',
      `#### Instruction counts (${counted.length})`,
      '',
      instructionIntro(comparison.rows, o.instructionsThreshold),
      '',
      fitted.text,
    );
    if (fitted.omitted > 0) regressionSection.push('', `… and ${fitted.omitted} more; the JSON report has them all.`);
  }
  // Pairs and claims next: short in practice, but a results file can hold
  // thousands, so they are fitted too, with a note.
  if (comparison.pairs.length > 0) {
    tailSections.push(
      '',
      '#### Comparisons',
      '',
      ...fittedTable(
        tableLines(['Pair', 'Speedup', 'CI', 'Medians'], comparison.pairs.map(pairLine), ['l', 'l', 'l', 'l']),
        budgetLeft() - 300,
        'pairs',
      ),
    );
  }
  if (claims.length > 0) {
    tailSections.push(...claimsSection(claims, budgetLeft() - 300));
  }
  if (improvements.length > 0) {
    const lines = tableLines(CHANGE_HEADER, improvements.map(changeCells), CHANGE_ALIGN);
    const fitted = fitTable(lines, budgetLeft() - 200);
    if (fitted.text.split('\n').length > 2) {
      improvementSection.push('', `#### Improvements (${improvements.length})`, '', fitted.text);
      if (fitted.omitted > 0)
        improvementSection.push(
          '',
          `… and ${fitted.omitted} more improvements left out to fit the comment size limit.`,
        );
    }
  }

  // A row the confirmation round cleared of a regression is not too noisy to judge: it is judged.
  const inconclusive = rows.filter((r) => r.verdict === 'inconclusive' && r.confirmation?.status !== 'cleared');
  if (inconclusive.length > 0) {
    const lines = tableLines(
      ['Benchmark', 'Change', 'CI', 'Run-to-run sd'],
      inconclusive.map((row) => [
        idCell(row),
        changeText(row),
        intervalCell(row),
        row.extraNoise > 0 ? `±${(row.extraNoise * 100).toFixed(1)}%` : '–',
      ]),
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
      muted.map((row) => [
        idCell(row),
        VERDICT_LABEL[row.muted?.verdict ?? 'muted'],
        changeText(row),
        escapeName(row.muted?.reason ?? '', 200),
        row.muted?.until ?? '–',
      ]),
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
    (a, b) =>
      VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] ||
      (benchmarkLabel(a) < benchmarkLabel(b) ? -1 : benchmarkLabel(a) > benchmarkLabel(b) ? 1 : 0),
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
    if (fitted.omitted > 0)
      tailSections.push(
        '',
        `${fitted.omitted} of ${rows.length} rows left out to fit the comment size limit; the JSON report has them all.`,
      );
    tailSections.push('', '</details>');
  } else if (rows.length > 0) {
    tailSections.push(
      '',
      `The table of all ${rows.length} benchmarks does not fit in a comment; the JSON report has them all.`,
    );
  }
  return capLength([...head, ...sections(), ...footer].join('\n') + '\n', maxLength);
}
