/**
 * The comment's tables: a benchmark's change cells, pair and claim rows, and
 * tables cut to a character budget with a note saying what was left out. Pure.
 */
import { markdownTable } from 'markdown-table';
import type { ClaimResult } from '../claims/types.ts';
import { worsening } from '../compare/verdict.ts';
import type { ComparisonRow, PairResult } from '../compare/types.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import { intervalCell } from './confirmation.ts';
import {
  escapeName,
  escapeText,
  formatFactor,
  formatInterval,
  formatPercent,
  formatQ,
  formatSpeed,
  formatValue,
} from './format.ts';

/** A median that went from or to 0 has no ratio (compare/ratio.ts zeroMedian): the cell shows both medians instead. */
function fromOrToZero(row: ComparisonRow): string | null {
  const { baseMedian: base, headMedian: head } = row;
  if (base === null || head === null || (base === 0) === (head === 0)) return null;
  return `${formatValue(base, row.unit)} → ${formatValue(head, row.unit)}, no ratio`;
}

export function changeText(row: ComparisonRow): string {
  if (row.change === null) return fromOrToZero(row) ?? '–';
  return `${formatSpeed(worsening(row.change, row.direction))} (${formatPercent(row.change)})`;
}

export function idCell(row: ComparisonRow): string {
  return `${escapeName(benchmarkLabel(row))}${row.weak ? ' ⚠️' : ''}`;
}

export const CHANGE_HEADER = ['Benchmark', 'Base', 'Head', 'Change', 'CI', 'q'];

export function changeCells(row: ComparisonRow): string[] {
  return [
    idCell(row),
    formatValue(row.baseMedian, row.unit),
    formatValue(row.headMedian, row.unit),
    changeText(row),
    intervalCell(row),
    formatQ(row.qValue),
  ];
}

/** A table's lines: [header, delimiter, ...rows], so callers can cut rows to fit. */
export function tableLines(header: string[], rows: string[][], align: string[]): string[] {
  return markdownTable([header, ...rows], { align, alignDelimiters: false }).split('\n');
}

export const CHANGE_ALIGN = ['l', 'r', 'r', 'l', 'l', 'r'];

export function pairLine(pair: PairResult): string[] {
  const name = escapeName(pair.name);
  if (pair.speedup === null) return [name, '–', '–', escapeName(pair.note ?? 'not measured')];
  const faster = pair.speedup >= 1;
  const factor = formatFactor(faster ? pair.speedup : 1 / pair.speedup);
  // The interval in the same terms as the factor: "slower" pairs show 1/speedup.
  const ci = pair.ci
    ? formatInterval(
        faster ? pair.ci : { ...pair.ci, lower: 1 / pair.ci.upper, upper: 1 / pair.ci.lower },
        formatFactor,
      )
    : '–';
  const what = `${factor} ${faster ? 'faster' : 'slower'} than ${escapeName(pair.reference)}${pair.weak ? ' ⚠️' : ''}`;
  return [
    name,
    what,
    ci,
    `${formatValue(pair.contenderMedian, pair.unit ?? '')} vs ${formatValue(pair.referenceMedian, pair.unit ?? '')}`,
  ];
}

export function claimLine(claim: ClaimResult): string[] {
  const status = claim.status === 'pass' ? '✅ pass' : claim.status === 'fail' ? '❌ fail' : '⚠️ missing';
  const measured = claim.measured
    ? `${Number(claim.measured.value.toPrecision(4))} ${escapeText(claim.measured.unit)}`
    : '–';
  const bound = claim.bound
    ? `${claim.bound.op === '<=' ? '≤' : '≥'} ${claim.bound.value} ${escapeText(claim.bound.unit)}`
    : '–';
  return [escapeName(claim.description, 300), measured, bound, status, escapeName(claim.detail, 300)];
}

/** Most severe first: by worsening for regressions, by gain for improvements. */
export function bySeverity(a: ComparisonRow, b: ComparisonRow): number {
  const wa = a.change === null ? 1 : worsening(a.change, a.direction);
  const wb = b.change === null ? 1 : worsening(b.change, b.direction);
  return wb - wa;
}

/**
 * Takes table lines (header, delimiter, rows) while they fit in `budget`; returns the text and how many rows were left
 * out.
 */
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
  return fitted.omitted > 0
    ? [
        fitted.text,
        '',
        `… and ${fitted.omitted} more ${what} left out to fit the comment size limit; the JSON report has them all.`,
      ]
    : [fitted.text];
}

/** The claims' section of a report (the PR comment's and the run report's), fitted to `budget` characters. */
export function claimsSection(claims: readonly ClaimResult[], budget: number): string[] {
  const table = tableLines(['Claim', 'Measured', 'Bound', 'Status', 'Detail'], claims.map(claimLine), [
    'l',
    'r',
    'r',
    'l',
    'l',
  ]);
  return ['', '#### Claims', '', ...fittedTable(table, budget, 'claims')];
}
