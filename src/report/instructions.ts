/**
 * The instruction-count section of the comparison report: counted rows
 * (gungraun under Valgrind) with the wall-time change of their Criterion twin
 * beside them, regressions first. Pure: rows in, markdown lines out.
 */
import { worsening } from '../compare/compare.ts';
import { isCounted } from '../compare/exact.ts';
import type { ComparisonRow } from '../compare/types.ts';
import { benchmarkLabel, TIME_METRIC, twinIds } from '../schema/metric.ts';
import { escapeName, formatPercent, formatValue, VERDICT_LABEL, VERDICT_ORDER } from './format.ts';

export { twinIds };

export function isCountedRow(row: ComparisonRow): boolean {
  return isCounted(row.metric);
}

/** The wall-time rows by id, built once for all counted rows (per row it made the section quadratic). */
export function wallTimeIndex(rows: readonly ComparisonRow[]): ReadonlyMap<string, ComparisonRow> {
  return new Map(rows.filter((r) => r.metric === TIME_METRIC).map((r) => [r.id, r]));
}

/** The wall-time row that measures the same code as a counted row, if any. */
export function wallTimeTwin(row: ComparisonRow, time: ReadonlyMap<string, ComparisonRow>): ComparisonRow | undefined {
  for (const id of twinIds(row.id)) {
    const twin = time.get(id);
    if (twin) return twin;
  }
  return undefined;
}

function changeCell(row: ComparisonRow): string {
  if (row.change === null) return '–';
  const band =
    row.ci && row.ci.upper > row.ci.lower
      ? ` (${formatPercent(row.ci.lower)} … ${formatPercent(row.ci.upper)} with history)`
      : '';
  return `${formatPercent(row.change)}${band}`;
}

function twinCell(twin: ComparisonRow | undefined): string {
  if (!twin) return '–';
  const change = twin.change === null ? '–' : formatPercent(twin.change);
  return `${change} ${twin.verdict === 'unchanged' ? '(unchanged)' : `(${twin.verdict})`} ${escapeName(twin.id)}`;
}

/** Regressions (worst first), improvements, then the rest by id. */
function byVerdict(a: ComparisonRow, b: ComparisonRow): number {
  const order = VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict];
  if (order !== 0) return order;
  const wa = a.change === null ? 1 : worsening(a.change, a.direction);
  const wb = b.change === null ? 1 : worsening(b.change, b.direction);
  if (a.verdict === 'regression' && wa !== wb) return wb - wa;
  if (a.verdict === 'improvement' && wa !== wb) return wa - wb;
  return benchmarkLabel(a) < benchmarkLabel(b) ? -1 : benchmarkLabel(a) > benchmarkLabel(b) ? 1 : 0;
}

/** Header, delimiter and one row per counted benchmark, for fitTable. */
export function instructionRows(rows: readonly ComparisonRow[]): string[][] {
  const time = wallTimeIndex(rows);
  return rows
    .filter(isCountedRow)
    .sort(byVerdict)
    .map((row) => {
      const twin = wallTimeTwin(row, time);
      // Which signal decided: a count regression fails the build even when wall time cannot tell.
      const decided =
        row.verdict === 'regression' && twin && twin.verdict !== 'regression' ? ' (decided by instructions)' : '';
      const values = [formatValue(row.baseMedian, row.unit), formatValue(row.headMedian, row.unit)];
      return [escapeName(row.id), VERDICT_LABEL[row.verdict] + decided, ...values, changeCell(row), twinCell(twin)];
    });
}

export const INSTRUCTION_HEADER = ['Benchmark', 'Verdict', 'Base', 'Head', 'Change', 'Wall time'];
export const INSTRUCTION_ALIGN = ['l', 'l', 'r', 'r', 'l', 'l'];

/** The section's lead: what was counted and the threshold, one paragraph. */
export function instructionIntro(rows: readonly ComparisonRow[], threshold: number): string {
  const counted = rows.filter(isCountedRow);
  const regressions = counted.filter((r) => r.verdict === 'regression').length;
  const what = regressions > 0 ? `${regressions} over` : 'none over';
  return `Instructions executed under Valgrind (gungraun benches, and Criterion benches counted by bench-action's harness under their own ids): exact counts, so the change is the ratio of counts, with no sampling noise; ${what} the ${(threshold * 100).toFixed(threshold < 0.1 ? 1 : 0)}% instruction threshold. Counts miss cache misses, syscalls, I/O and contention: wall time is beside them.`;
}
