import type { Gate } from '../compare/gate.ts';
import { isCounted } from '../compare/exact.ts';
import { escapeText, plural } from './format.ts';

/**
 * The report's first word on the gate: why wall-time regressions cannot fail
 * the build yet, and how many runs of the base branch are still needed. Null
 * when nothing is held back. Pure.
 */
export function gateNotice(gate: Gate, baseBranch: string): string | null {
  const { coldStart, held } = gate;
  const branch = escapeText(baseBranch);
  if (coldStart) {
    const more = `${coldStart.remaining} more push${coldStart.remaining === 1 ? '' : 'es'} to ${branch}`;
    // A regression confirmed on this runner needs no history: saying "cannot fail" beside a failed build would mislead.
    const confirmed = gate.failing.filter((row) => !isCounted(row.metric)).length;
    const headline =
      confirmed > 0
        ? `⏳ **Cold start: a wall-time change against the baseline alone cannot fail the build yet; ${plural(confirmed, 'regression')} confirmed on this runner ${confirmed === 1 ? 'does' : 'do'}.**`
        : '⏳ **Cold start: wall-time regressions cannot fail the build yet.**';
    return (
      `${headline} The baseline has ${coldStart.runs} of the ${coldStart.needed} runs of ${branch} ` +
      `needed to know how much its benchmarks vary between runs; ${more} (each recording a baseline) will make them count. Until then, changes beyond the threshold are shown as possible regressions.`
    );
  }
  if (held.length === 0) return null;
  return `⏳ ${plural(held.length, 'possible regression')} on benchmarks with too few baseline runs to know their run-to-run spread (new benchmarks) cannot fail the build yet.`;
}
