/**
 * Change-point evaluation: 30-run base-branch series built by resampling each
 * benchmark's recorded run medians, with steps of known size injected at
 * known positions; how often detection finds them (recall, by step size and
 * by runs after the step) and how often what it reports is real (precision,
 * and false alarms on series without a step). Pure: corpus in, counts out.
 */
import { runMedians } from '../../src/compare/noise.ts';
import { deriveSeed, mulberry32 } from '../../src/compare/stats/rng.ts';
import { detectChangePoints, type ChangePointOptions } from '../../src/history/changepoints.ts';
import type { Results } from '../../src/schema/types.ts';

export interface ChangePointEvalOptions {
  length: number;
  steps: number[];
  /** Runs after the step, i.e. the step sits at length - k. */
  after: number[];
  /** A detection counts when it is this close to the injected position, with the right sign. */
  tolerance: number;
  /** Resampled series per benchmark and setting. */
  draws: number;
  /** Noise scales: null = the corpus as recorded, else log residuals rescaled to this sd. */
  noise: (number | null)[];
  seed: number;
  detector?: Partial<ChangePointOptions>;
}

export interface Cell {
  hits: number;
  total: number;
}

export interface NoiseResult {
  /** null: as recorded. */
  noise: number | null;
  /** Median run-to-run sd (log) of the benchmarks in these series. */
  medianSpread: number;
  /** Series without a step that got any change point reported. */
  falseAlarms: Cell;
  /** recall[step][after]. */
  recall: Record<string, Record<string, Cell>>;
  /** Per step: reported change points that matched an injected step, of all reported. */
  precision: Record<string, Cell>;
}

export interface ChangePointEvaluation {
  benchmarks: number;
  runs: number;
  results: NoiseResult[];
}

function sd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

export function evaluateChangePoints(runs: readonly Results[], o: ChangePointEvalOptions): ChangePointEvaluation {
  const medians = [...runMedians(runs)].filter(([, m]) => m.length >= 5);
  const results: NoiseResult[] = [];
  for (const noise of o.noise) {
    const random = mulberry32(deriveSeed(o.seed, `noise-${noise}`));
    const spreads: number[] = [];
    const series = (values: readonly number[]): number[] => {
      const logs = values.map(Math.log);
      const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
      const spread = sd(logs);
      const scale = noise === null || spread === 0 ? 1 : noise / spread;
      return Array.from({ length: o.length }, () =>
        Math.exp(mean + ((logs[Math.floor(random() * logs.length)] as number) - mean) * scale),
      );
    };
    const falseAlarms: Cell = { hits: 0, total: 0 };
    const recall: NoiseResult['recall'] = {};
    const precision: NoiseResult['precision'] = {};
    for (const [, values] of medians) {
      spreads.push(noise ?? sd(values.map(Math.log)));
      for (let d = 0; d < o.draws; d++) {
        falseAlarms.total++;
        if (detectChangePoints(series(values), o.detector).length > 0) falseAlarms.hits++;
        for (const step of o.steps) {
          for (const after of o.after) {
            const at = o.length - after;
            const y = series(values).map((v, i) => (i >= at ? v * (1 + step) : v));
            const found = detectChangePoints(y, o.detector);
            const match = found.filter((p) => Math.abs(p.index - at) <= o.tolerance && p.change > 0);
            const r = ((recall[step] ??= {})[after] ??= { hits: 0, total: 0 });
            r.total++;
            if (match.length > 0) r.hits++;
            const p = (precision[step] ??= { hits: 0, total: 0 });
            p.total += found.length;
            p.hits += Math.min(1, match.length);
          }
        }
      }
    }
    spreads.sort((a, b) => a - b);
    results.push({ noise, medianSpread: spreads[spreads.length >> 1] ?? 0, falseAlarms, recall, precision });
  }
  return { benchmarks: medians.length, runs: runs.length, results };
}

const pct = (c: Cell) => (c.total === 0 ? '–' : `${((100 * c.hits) / c.total).toFixed(0)}%`);

export function renderChangePointEvaluation(e: ChangePointEvaluation, o: ChangePointEvalOptions): string {
  const lines = [
    '## Change points (`bench-action history`)',
    '',
    `Series of ${o.length} base-branch runs, built per benchmark by drawing its ${e.runs} recorded run medians with replacement (${e.benchmarks} benchmarks, ${o.draws} series each per cell), with a step of +5%, +10% or +20% injected so that the last *k* runs are slower. A step counts as found when a change point of the right sign is reported within ${o.tolerance} runs of where it was injected. Precision: reported change points that are such a find, of all reported on the stepped series. False alarms: series without a step on which anything was reported.`,
    '',
    'The recorded corpus is very noisy (it was recorded under heavy load); the rows "rescaled" keep each benchmark\'s recorded distribution shape (its outliers included) but shrink its log residuals to the run-to-run sd a quieter runner shows. Generated by `npm run bench:verdicts`.',
    '',
  ];
  for (const r of e.results) {
    const label =
      r.noise === null
        ? `as recorded (median run-to-run sd ${(100 * r.medianSpread).toFixed(0)}%)`
        : `rescaled to ${(100 * r.noise).toFixed(0)}% run-to-run sd`;
    lines.push(
      `### Noise ${label}`,
      '',
      `False alarms on series without a step: ${pct(r.falseAlarms)} (${r.falseAlarms.hits} of ${r.falseAlarms.total}).`,
      '',
    );
    lines.push(
      `| step | ${o.after.map((k) => `recall, ${k} run${k === 1 ? '' : 's'} after`).join(' | ')} | precision |`,
    );
    lines.push(`|---|${o.after.map(() => '---:').join('|')}|---:|`);
    for (const step of o.steps) {
      const row = r.recall[step] ?? {};
      lines.push(
        `| +${(step * 100).toFixed(0)}% | ${o.after.map((k) => pct(row[k] ?? { hits: 0, total: 0 })).join(' | ')} | ${pct(r.precision[step] ?? { hits: 0, total: 0 })} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
