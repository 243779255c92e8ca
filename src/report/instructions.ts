/**
 * The instruction-count section of the comparison report: counted rows
 * (gungraun under Valgrind) with the wall-time change of their Criterion twin
 * beside them, regressions first. Pure: rows in, markdown lines out.
 */
import { worsening } from '../compare/verdict.ts';
import { isCounted } from '../compare/exact.ts';
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import { benchmarkLabel, TIME_METRIC, twinIds } from '../schema/metric.ts';
import { escapeName, formatPercent, formatSpeed, formatValue, plural, VERDICT_LABEL, VERDICT_ORDER } from './format.ts';

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

/**
 * Which signal decided, for the verdict line: instruction counts where a
 * benchmark has one on both sides, wall time elsewhere; wall-time regressions
 * that a count overrules are named so a reader sees why they do not fail.
 */
export function signalPhrase(comparison: Comparison, overruled: number): string {
  const counted = comparison.rows.filter((r) => isCountedRow(r) && r.verdict !== 'new' && r.verdict !== 'missing');
  if (counted.length === 0) return '';
  const instr = `${(comparison.options.instructionsThreshold * 100).toFixed(1)}%`;
  const over =
    overruled > 0
      ? `; ${plural(overruled, 'wall-time change')} over ${(comparison.options.threshold * 100).toFixed(0)}% on counted benchmarks ${overruled === 1 ? 'does' : 'do'} not decide`
      : '';
  return ` · instruction counts decided ${plural(counted.length, 'benchmark')} (${instr} threshold)${over}`;
}

/** The worst regression that decides (a wall-time one a count overrules does not), as the verdict line names it. */
export function worstDeciding(comparison: Comparison, countDecides: ReadonlySet<string>): string | null {
  const { worstRegression } = comparison.summary;
  if (countDecides.size === 0)
    return worstRegression ? `${escapeName(worstRegression.id, 80)} ${formatSpeed(worstRegression.factor)}` : null;
  let worst: ComparisonRow | null = null;
  let factor = 1;
  for (const row of comparison.rows) {
    if (row.verdict !== 'regression' || row.change === null) continue;
    if (!isCountedRow(row) && countDecides.has(row.id)) continue;
    const w = worsening(row.change, row.direction);
    if (worst === null || w > factor) [worst, factor] = [row, w];
  }
  return worst ? `${escapeName(benchmarkLabel(worst), 80)} ${formatSpeed(factor)}` : null;
}
