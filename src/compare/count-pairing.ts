/**
 * Which wall-time benchmark an instruction count stands for, strictly enough
 * to let the count overrule wall time. Pure.
 *
 * A count decides a wall-time benchmark only when it measures that benchmark:
 * the same id (Criterion benchmarks counted by bench-action's harness), or a
 * gungraun id whose Criterion twin (schema/metric.ts twinIds) is one wall-time
 * id that no other count could claim: unambiguous both ways. A loose shape
 * that fits more than one id on either side (the group alone, `group/N`)
 * pairs nothing, so a count of another function can never pass a real
 * wall-time regression. The report's twin column (report/instructions.ts)
 * still shows the loose match, as display only.
 */
import { TIME_METRIC, twinIds } from '../schema/metric.ts';
import { isCounted } from './exact.ts';
import type { ComparisonRow, Verdict } from './types.ts';

const DECIDED: ReadonlySet<Verdict> = new Set(['regression', 'improvement', 'unchanged']);

/** Counted id → the wall-time id it measures, for the pairs that may decide. */
export function countPairs(countedIds: Iterable<string>, timeIds: ReadonlySet<string>): Map<string, string> {
  const pairs = new Map<string, string>();
  const loose = new Map<string, Set<string>>();
  const counted = [...new Set(countedIds)];
  for (const id of counted) if (timeIds.has(id)) pairs.set(id, id);
  const exact = new Set(pairs.values());
  for (const id of counted) {
    if (pairs.has(id)) continue;
    // Ambiguity is judged on every wall-time id: a twin left over once exact counts took the others is not 1:1.
    loose.set(id, new Set(twinIds(id).filter((t) => t !== id && timeIds.has(t))));
  }
  const claims = new Map<string, number>();
  for (const candidates of loose.values()) for (const t of candidates) claims.set(t, (claims.get(t) ?? 0) + 1);
  for (const [id, candidates] of loose) {
    if (candidates.size !== 1) continue;
    const [twin = ''] = candidates;
    if (claims.get(twin) === 1 && !exact.has(twin)) pairs.set(id, twin);
  }
  return pairs;
}

/**
 * The wall-time ids whose instruction count decides them: counted on both
 * sides with a decided verdict (not new, missing or inconclusive) and paired strictly (countPairs). The one
 * definition of "the count decides this benchmark": the gate, the report's
 * verdict line and the confirmation round (which need not re-measure these)
 * all read it, through analysis/analyze.ts's `countDecides`.
 */
export function countDecides(rows: readonly ComparisonRow[]): Set<string> {
  const time = new Set(rows.filter((r) => r.metric === TIME_METRIC).map((r) => r.id));
  const countedRows = rows.filter((r) => isCounted(r.metric));
  const pairs = countPairs(
    countedRows.map((r) => r.id),
    time,
  );
  const ids = new Set<string>();
  for (const row of countedRows) {
    // A count that decided nothing (new, missing, a count of 0, an interval widened past the threshold):
    // wall time decides.
    if (row.change === null || !DECIDED.has(row.verdict)) continue;
    const twin = pairs.get(row.id);
    if (twin !== undefined) ids.add(twin);
  }
  return ids;
}
