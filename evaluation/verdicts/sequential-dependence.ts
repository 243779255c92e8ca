/**
 * What the confirmation round's sequential rule (src/compare/sequential.ts)
 * assumes and what breaks it: its error bound holds for independent pairs.
 * When consecutive pairs share a runner's mood (a burst of load that lasts
 * several pairs), the pairs' log ratios are correlated; here as a stationary
 * AR(1) process, d_i = mu + e_i, e_i = rho e_(i-1) + sqrt(1 - rho^2) sigma z_i,
 * so each d_i has the same spread sigma whatever rho, and only the dependence
 * changes. The rule runs as the round runs it (a pair at a time, stopping at
 * its first decision or after the design's last look). With a true change
 * exactly at the threshold every confirmation is wrong and so is every
 * clearing; at that change the outcome does not depend on sigma (the t
 * interval is location-scale free), so rho alone sets the rates. Pure: seeded
 * draws in, counts out.
 */
import { maxPairs, SEQUENTIAL_DESIGN, sequentialState } from '../../src/compare/sequential.ts';
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';

export interface DependenceOptions {
  threshold: number;
  /** Lag-1 correlations between consecutive pairs' log ratios; 0 is the independence the bound assumes. */
  rhos: number[];
  /** Spread of one pair's log ratio (sd), for the unchanged case. */
  sigma: number;
  /** Sequences per cell. */
  sequences: number;
  seed: number;
}

export interface DependenceCell {
  rho: number;
  /** True change at the threshold: wrongly confirmed, wrongly cleared, of `sequences`. */
  atThreshold: { confirmed: number; cleared: number };
  /** Unchanged code (true change 0): wrongly confirmed. */
  unchangedConfirmed: number;
  sequences: number;
}

/** One sequence's outcome under AR(1) pairs. */
function outcome(rng: () => number, mu: number, rho: number, sigma: number, threshold: number): string {
  const d: number[] = [];
  const innovation = Math.sqrt(1 - rho * rho) * sigma;
  let e = sigma * normalDraw(rng);
  for (let n = 1; n <= maxPairs(SEQUENTIAL_DESIGN); n++) {
    if (n > 1) e = rho * e + innovation * normalDraw(rng);
    d.push(mu + e);
    const state = sequentialState(d, threshold, 'lower', SEQUENTIAL_DESIGN);
    if (state.outcome !== 'undecided') return state.outcome;
  }
  return 'undecided';
}

export function evaluateDependence(options: DependenceOptions): DependenceCell[] {
  const tau = Math.log1p(options.threshold);
  return options.rhos.map((rho) => {
    const rng = mulberry32(options.seed + Math.round(rho * 1000));
    const cell: DependenceCell = {
      rho,
      atThreshold: { confirmed: 0, cleared: 0 },
      unchangedConfirmed: 0,
      sequences: options.sequences,
    };
    for (let i = 0; i < options.sequences; i++) {
      const at = outcome(rng, tau, rho, options.sigma, options.threshold);
      if (at === 'confirmed') cell.atThreshold.confirmed++;
      if (at === 'cleared') cell.atThreshold.cleared++;
      if (outcome(rng, 0, rho, options.sigma, options.threshold) === 'confirmed') cell.unchangedConfirmed++;
    }
    return cell;
  });
}

/** The options docs/verdicts.md and docs/statistics.md are generated with (npm run bench:verdicts). */
export const DEPENDENCE_OPTIONS: DependenceOptions = {
  threshold: 0.1,
  rhos: [0, 0.3, 0.5, 0.7, 0.9],
  sigma: 0.15,
  sequences: 4000,
  seed: 26,
};

const rate = (hits: number, total: number): string => `${((100 * hits) / total).toFixed(1)}%`;

/**
 * docs/statistics.md's sentence on the rates (between its `sequential-dependence`
 * markers): independent pairs, and lag-1 correlations of 0.5 and 0.7 when simulated.
 */
export function dependenceSentence(cells: readonly DependenceCell[], options: DependenceOptions): string {
  const at = (rho: number): DependenceCell | undefined => cells.find((c) => Math.abs(c.rho - rho) < 1e-9);
  const independent = at(0);
  if (!independent) throw new Error('the dependence simulation has no independent (rho 0) row');
  const correlated = [at(0.5), at(0.7)].filter((c): c is DependenceCell => c !== undefined);
  const list = (values: string[]): string =>
    values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} and ${values.at(-1) ?? ''}`;
  const confirmedAt = correlated.map(
    (c, i) =>
      `${rate(c.atThreshold.confirmed, c.sequences)} at ${i === 0 ? 'a lag-1 correlation of ' : ''}${c.rho.toFixed(1)}${i === 0 ? ' between consecutive pairs' : ''}`,
  );
  const bound = ((SEQUENTIAL_DESIGN.alpha / 2) * 100).toFixed(1);
  const unchanged = [independent, ...correlated].map((c) => rate(c.unchangedConfirmed, c.sequences));
  return `stationary AR(1) pairs, the rule run pair by pair as the round runs it, ${options.sequences} sequences per row: a true change on the threshold is wrongly confirmed in ${rate(independent.atThreshold.confirmed, independent.sequences)} of sequences with independent pairs (the bound: ${bound}%), ${list(confirmedAt)}; unchanged code at a ${(options.sigma * 100).toFixed(0)}% spread between pairs is confirmed in ${list(unchanged)}.`;
}

/** `doc` with the text between `<!-- generated: NAME -->` and `<!-- end: NAME -->` replaced by `text`. */
export function replaceGenerated(doc: string, name: string, text: string): string {
  const open = `<!-- generated: ${name} -->`;
  const close = `<!-- end: ${name} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start === -1 || end < start) throw new Error(`no ${open} ... ${close} block to replace`);
  return `${doc.slice(0, start + open.length)}${text}${doc.slice(end)}`;
}

const share = (hits: number, total: number): string => `${((100 * hits) / total).toFixed(1)}% (${hits}/${total})`;

export function renderDependence(cells: readonly DependenceCell[], options: DependenceOptions): string {
  const bound = ((SEQUENTIAL_DESIGN.alpha / 2) * 100).toFixed(1);
  return [
    '### When pairs are not independent',
    '',
    `The rule's bound (a wrong confirmation at most ${bound}% of the time, and a wrong clearing as often) assumes independent pairs. Consecutive pairs that share a burst of load are not: here each pair's log ratio follows a stationary AR(1) process with lag-1 correlation rho between consecutive pairs (the same spread whatever rho), and the rule runs pair by pair as the round does, ${options.sequences} seeded sequences per row. At a true change exactly on the ${(options.threshold * 100).toFixed(0)}% threshold every decision is wrong, whatever the spread; unchanged code is drawn at a ${(options.sigma * 100).toFixed(0)}% spread between pairs (a loaded runner's). Generated by \`npm run bench:verdicts\` (evaluation/verdicts/sequential-dependence.ts).`,
    '',
    '| lag-1 correlation | wrongly confirmed at the threshold | wrongly cleared at the threshold | unchanged code confirmed |',
    '|---:|---:|---:|---:|',
    ...cells.map(
      (c) =>
        `| ${c.rho.toFixed(1)} | ${share(c.atThreshold.confirmed, c.sequences)} | ${share(c.atThreshold.cleared, c.sequences)} | ${share(c.unchangedConfirmed, c.sequences)} |`,
    ),
    '',
  ].join('\n');
}
