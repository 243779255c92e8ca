/**
 * The confirmation round's sequential rule (src/compare/sequential.ts) on the
 * verdict corpus: how often it confirms unchanged code (a false alarm), how
 * often it confirms an injected slowdown (a detection), and how often it can
 * decide at all. The corpus's runs play round pairs: each draw shuffles the
 * runs and pairs them off (run 2k is the base, run 2k+1 the head), so 10 runs
 * give 5 pairs, enough for the design's looks after 3 and 5 pairs only. As in
 * the change-point evaluation, the corpus's noise is also rescaled (each
 * benchmark's log medians shrunk around their mean to a chosen run-to-run sd,
 * keeping its shape and outliers), since the recorded corpus is far noisier
 * than a runner a confirmation round would run on. Pure: corpus in, counts out.
 */
import { standardDeviation } from '../../src/common/sample.ts';
import { runMedians } from '../../src/compare/noise.ts';
import { sequentialState, SEQUENTIAL_DESIGN } from '../../src/compare/sequential.ts';
import { deriveSeed, mulberry32 } from '../../src/compare/stats/rng.ts';
import type { Results } from '../../src/schema/types.ts';

export interface SequentialEvalOptions {
  threshold: number;
  /** Injected slowdowns (0.2 = 20% slower); 0 is the A/A case. */
  effects: number[];
  /** Shuffles of the runs per benchmark and setting. */
  draws: number;
  /** null: the corpus as recorded; else log residuals rescaled to this run-to-run sd. */
  noise: (number | null)[];
  seed: number;
}

export interface SequentialCell {
  confirmed: number;
  cleared: number;
  undecided: number;
  total: number;
  /** Pairs spent, summed: the rule stops at its first decision. */
  pairs: number;
}

export interface SequentialEvaluation {
  pairsPerDraw: number;
  benchmarks: number;
  /** cells[noise label][effect label]. */
  cells: Map<string, Map<string, SequentialCell>>;
  medianSpread: Map<string, number>;
}

const noiseLabel = (noise: number | null): string =>
  noise === null ? 'as recorded' : `rescaled to ${(noise * 100).toFixed(0)}%`;
const effectLabel = (effect: number): string => (effect === 0 ? 'A/A' : `+${Math.round(effect * 100)}%`);

export function evaluateSequential(runs: readonly Results[], options: SequentialEvalOptions): SequentialEvaluation {
  const medians = [...runMedians(runs)].filter(([, m]) => m.length === runs.length);
  const pairsPerDraw = Math.floor(runs.length / 2);
  const cells = new Map<string, Map<string, SequentialCell>>();
  const medianSpread = new Map<string, number>();
  for (const noise of options.noise) {
    const row = new Map<string, SequentialCell>();
    const spreads: number[] = [];
    for (const effect of options.effects) {
      const cell: SequentialCell = { confirmed: 0, cleared: 0, undecided: 0, total: 0, pairs: 0 };
      for (const [key, values] of medians) {
        const logs = values.map(Math.log);
        const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
        const spread = standardDeviation(logs) ?? 0;
        const scale = noise === null || spread === 0 ? 1 : noise / spread;
        const scaled = logs.map((x) => mean + (x - mean) * scale);
        if (effect === options.effects[0]) spreads.push(noise === null ? spread : noise);
        const rng = mulberry32(deriveSeed(options.seed, `${key}/${noise}/${effect}`));
        for (let draw = 0; draw < options.draws; draw++) {
          const order = scaled.map((_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = Math.floor(rng() * (i + 1));
            [order[i], order[j]] = [order[j] as number, order[i] as number];
          }
          const d: number[] = [];
          let outcome = 'undecided';
          for (let k = 0; k < pairsPerDraw; k++) {
            d.push(
              (scaled[order[2 * k + 1] as number] as number) +
                Math.log1p(effect) -
                (scaled[order[2 * k] as number] as number),
            );
            const state = sequentialState(d, options.threshold, 'lower', SEQUENTIAL_DESIGN);
            outcome = state.outcome;
            if (outcome !== 'undecided') break;
          }
          cell.total++;
          cell.pairs += d.length;
          if (outcome === 'confirmed') cell.confirmed++;
          else if (outcome === 'cleared') cell.cleared++;
          else cell.undecided++;
        }
      }
      row.set(effectLabel(effect), cell);
    }
    spreads.sort((a, b) => a - b);
    medianSpread.set(noiseLabel(noise), spreads[spreads.length >> 1] ?? 0);
    cells.set(noiseLabel(noise), row);
  }
  return { pairsPerDraw, benchmarks: medians.length, cells, medianSpread };
}

const share = (hits: number, total: number): string =>
  total === 0 ? '–' : `${((100 * hits) / total).toFixed(hits > 0 && hits < total / 100 ? 2 : 1)}% (${hits}/${total})`;

export function renderSequential(evaluation: SequentialEvaluation, options: SequentialEvalOptions): string {
  const effects = options.effects.map(effectLabel);
  const lines = [
    "## The confirmation round's sequential rule",
    '',
    `Each benchmark's ${evaluation.pairsPerDraw * 2} recorded runs, shuffled ${options.draws} times and paired off, play ${evaluation.pairsPerDraw} round pairs (the design looks after ${SEQUENTIAL_DESIGN.looksAt.filter((n) => n <= evaluation.pairsPerDraw).join(' and ')} of them; its later looks need more runs than the corpus has). ${evaluation.benchmarks} benchmarks, threshold ${(options.threshold * 100).toFixed(0)}%; an injected slowdown scales the head run. **Confirmed** on A/A is a false alarm, on an injected slowdown of more than the threshold a detection; **cleared** on a slowdown beyond the threshold would be a miss of the other kind. The corpus's runs were recorded one after another, not interleaved, so they carry more drift between a pair's two runs than a round does. Generated by \`npm run bench:verdicts\`.`,
    '',
  ];
  for (const [noise, row] of evaluation.cells) {
    lines.push(
      `### Noise ${noise} (median run-to-run sd ${(100 * (evaluation.medianSpread.get(noise) ?? 0)).toFixed(0)}%)`,
      '',
      '| change | confirmed | cleared | undecided | mean pairs |',
      '|---|---:|---:|---:|---:|',
      ...effects.map((e) => {
        const c = row.get(e);
        if (!c) return `| ${e} | – | – | – | – |`;
        return `| ${e} | ${share(c.confirmed, c.total)} | ${share(c.cleared, c.total)} | ${share(c.undecided, c.total)} | ${(c.pairs / c.total).toFixed(1)} |`;
      }),
      '',
    );
  }
  return lines.join('\n');
}
