/**
 * Which instruction count a benchmark keeps, and what the report says about
 * the ones without: a Criterion benchmark counted by the harness and also by
 * a gungraun twin (SARK's `cache_get/hit` and
 * `cache_instructions/cache/get.hit`) keeps gungraun's, the project's own
 * deliberate measurement; a Criterion benchmark with wall time and no count
 * keeps its wall-time verdict and the report says why. Pure.
 */
import type { LostBench, Uncounted } from '../formats/criterion-callgrind.ts';
import { countPairs } from '../compare/count-pairing.ts';
import type { Benchmark } from '../schema/types.ts';

export interface CountChoice {
  /** The harness's counts to keep (those without a gungraun twin). */
  kept: Benchmark[];
  /** Criterion ids whose gungraun twin's count was used instead, with that twin. */
  gungraunUsed: { id: string; gungraun: string }[];
}

/** Drops the harness's count of each Criterion benchmark a gungraun count already measures. */
export function chooseCounts(
  harness: readonly Benchmark[],
  gungraun: readonly Benchmark[],
  timeIds: ReadonlySet<string>,
): CountChoice {
  // Only a strict pairing (the same id, or one gungraun id to one Criterion id) replaces the harness's own count.
  const twins = new Map<string, string>();
  for (const [g, twin] of countPairs(
    gungraun.map((b) => b.id),
    timeIds,
  ))
    twins.set(twin, g);
  const kept: Benchmark[] = [];
  const gungraunUsed: CountChoice['gungraunUsed'] = [];
  for (const b of harness) {
    const twin = twins.get(b.id);
    if (twin === undefined) kept.push(b);
    else gungraunUsed.push({ id: b.id, gungraun: twin });
  }
  return { kept, gungraunUsed };
}

const LISTED = 8;

function list<T>(items: readonly T[], show: (item: T) => string): string {
  const shown = items.slice(0, LISTED).map(show).join('; ');
  return items.length > LISTED ? `${shown}; and ${items.length - LISTED} more` : shown;
}

/** The ids of each reason together, in the order of their first id: "a, b (why); c (other)". */
function byReason(reasons: readonly Uncounted[]): string {
  const groups = new Map<string, string[]>();
  for (const { id, reason } of reasons) groups.set(reason, [...(groups.get(reason) ?? []), id]);
  const parts: string[] = [];
  let left = LISTED;
  for (const [reason, ids] of groups) {
    if (left === 0) break;
    const shown = ids.slice(0, left);
    left -= shown.length;
    parts.push(`${shown.join(', ')} (${reason})`);
  }
  const hidden = reasons.length - (LISTED - left);
  return hidden > 0 ? `${parts.join('; ')}; and ${hidden} more` : parts.join('; ');
}

/**
 * The report's sentences about counts: which benchmarks have none and why
 * (wall time decides them), and where gungraun's count was used. Empty when
 * every Criterion benchmark has its own count. A benchmark the harness never
 * named belongs to a bench that lost its counts (`lost`: no build, a death,
 * a time limit), and which bench it was is known only to that bench, so it
 * takes that bench's cause (all of them when several were lost), one reason,
 * the real one; "did not reach it" is left for when no bench was lost.
 */
export function countNotes(
  choice: CountChoice,
  uncounted: readonly Uncounted[],
  timeIds: ReadonlySet<string>,
  counted: ReadonlySet<string>,
  lost: readonly LostBench[],
): string[] {
  const notes: string[] = [];
  const explained = new Set([...uncounted.map((u) => u.id), ...choice.gungraunUsed.map((u) => u.id)]);
  const unnamed = [...timeIds].filter((id) => !counted.has(id) && !explained.has(id)).sort();
  const why =
    lost.length === 0 ? 'the counting pass did not reach it' : lost.map((l) => `${l.bench} ${l.reason}`).join('; ');
  const reasons = [...uncounted, ...unnamed.map((id) => ({ id, reason: why }))];
  if (reasons.length > 0)
    notes.push(
      `No instruction count for ${reasons.length === 1 ? '1 Criterion benchmark' : `${reasons.length} Criterion benchmarks`} (wall time decides ${reasons.length === 1 ? 'it' : 'them'}): ${byReason(reasons)}.`,
    );
  // A lost bench with no benchmark left to carry its cause (it died after its last one, or its benchmarks have no
  // wall time either) is still named: the run did not end as it should.
  const unsaid = unnamed.length > 0 ? [] : lost.filter((l) => l.in === undefined);
  if (unsaid.length > 0) notes.push(`Counting pass: ${list(unsaid, (l) => `${l.bench} ${l.reason}`)}.`);
  if (choice.gungraunUsed.length > 0)
    notes.push(
      `${choice.gungraunUsed.length === 1 ? '1 Criterion benchmark has' : `${choice.gungraunUsed.length} Criterion benchmarks have`} a gungraun twin: gungraun's count decides, the harness's is left out (${list(choice.gungraunUsed, (u) => `${u.id} ← ${u.gungraun}`)}).`,
    );
  return notes;
}
