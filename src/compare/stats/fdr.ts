/** False discovery rate control over the benchmarks of one comparison. */

/**
 * Benjamini-Hochberg adjusted p-values (q-values). Nulls (no test possible) are
 * not part of the family and stay null.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const tested: { index: number; p: number }[] = [];
  pValues.forEach((p, index) => {
    if (p !== null) tested.push({ index, p });
  });
  tested.sort((a, b) => a.p - b.p);
  const m = tested.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = tested[rank - 1] as { index: number; p: number };
    running = Math.min(running, (entry.p * m) / rank);
    out[entry.index] = running;
  }
  return out;
}
