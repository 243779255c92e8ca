/**
 * Which instruction count a benchmark keeps, and what the report says about
 * the ones without: a Criterion benchmark counted by the harness and also by
 * a gungraun twin (SARK's `cache_get/hit` and
 * `cache_instructions/cache/get.hit`) keeps gungraun's, the project's own
 * deliberate measurement; a Criterion benchmark with wall time and no count
 * keeps its wall-time verdict and the report says why. Pure.
 */
import type { Uncounted } from '../formats/criterion-callgrind.ts';
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

/**
 * The report's sentences about counts: which benchmarks have none and why
 * (wall time decides them), and where gungraun's count was used. Empty when
 * every Criterion benchmark has its own count.
 */
export function countNotes(
  choice: CountChoice,
  uncounted: readonly Uncounted[],
  timeIds: ReadonlySet<string>,
  counted: ReadonlySet<string>,
): string[] {
  const notes: string[] = [];
  const explained = new Set([...uncounted.map((u) => u.id), ...choice.gungraunUsed.map((u) => u.id)]);
  const reasons = [
    ...uncounted,
    ...[...timeIds]
      .filter((id) => !counted.has(id) && !explained.has(id))
      .sort()
      .map((id) => ({ id, reason: 'the counting pass did not reach it' })),
  ];
  if (reasons.length > 0)
    notes.push(
      `No instruction count for ${reasons.length === 1 ? '1 Criterion benchmark' : `${reasons.length} Criterion benchmarks`} (wall time decides ${reasons.length === 1 ? 'it' : 'them'}): ${list(reasons, (u) => `${u.id} (${u.reason})`)}.`,
    );
  if (choice.gungraunUsed.length > 0)
    notes.push(
      `${choice.gungraunUsed.length === 1 ? '1 Criterion benchmark has' : `${choice.gungraunUsed.length} Criterion benchmarks have`} a gungraun twin: gungraun's count decides, the harness's is left out (${list(choice.gungraunUsed, (u) => `${u.id} ← ${u.gungraun}`)}).`,
    );
  return notes;
}
