/**
 * Instruction counts as a method: the recorded gungraun runs
 * (evaluation/verdicts/record-instructions.sh) judged by bench-action's own
 * compare at the default 1% instructions threshold.
 * - A/A: every pair of runs of unchanged code; any regression or improvement
 *   is a false alarm.
 * - Detection: every run of a real change against every unchanged run; each
 *   benchmark the change touches must be a regression, every other one of the
 *   changed suite must stay unchanged.
 * - Cost: the gungraun suite's wall time against a Criterion quick run.
 * Pure: results in, figures and markdown out.
 */
import { markdownTable } from 'markdown-table';
import { compare } from '../../src/compare/compare.ts';
import { INSTRUCTIONS_METRIC } from '../../src/schema/metric.ts';
import type { Results } from '../../src/schema/types.ts';

export interface InstructionCorpus {
  provenance: string;
  runs: Results[];
  /** Runs of each real change, by its name (the cargo feature). */
  changed: Map<string, Results[]>;
  /** The benchmark ids the changes touch. */
  touched: string[];
  suiteSeconds: number[];
  criterionQuickSeconds: number | null;
}

export interface BenchmarkSpread {
  id: string;
  distinct: number;
  /** Largest |head/base - 1| over the A/A pairs. */
  maxChange: number;
}

export interface ChangeDetection {
  change: string;
  comparisons: number;
  detected: number;
  /** Median head/base of the touched benchmarks, over all comparisons. */
  medianChange: number;
  /** Untouched benchmarks of the changed suite called a regression or improvement. */
  falseAlarms: number;
  untouched: number;
}

export interface InstructionEvaluation {
  runs: number;
  pairs: number;
  comparisons: number;
  falseAlarms: number;
  spreads: BenchmarkSpread[];
  changes: ChangeDetection[];
  suiteSeconds: number | null;
  criterionQuickSeconds: number | null;
}

const counted = (results: Results): Results => ({
  ...results,
  benchmarks: results.benchmarks.filter((b) => b.metric === INSTRUCTIONS_METRIC),
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export function evaluateInstructions(corpus: InstructionCorpus): InstructionEvaluation {
  const runs = corpus.runs.map(counted);
  let pairs = 0;
  let comparisons = 0;
  let falseAlarms = 0;
  const worst = new Map<string, number>();
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      pairs++;
      for (const row of compare(runs[i] as Results, runs[j] as Results).rows) {
        if (row.change === null) continue;
        comparisons++;
        if (row.verdict === 'regression' || row.verdict === 'improvement') falseAlarms++;
        worst.set(row.id, Math.max(worst.get(row.id) ?? 0, Math.abs(row.change - 1)));
      }
    }
  }
  const spreads = [...worst.entries()]
    .map(([id, maxChange]) => ({
      id,
      maxChange,
      distinct: new Set(runs.map((r) => r.benchmarks.find((b) => b.id === id)?.estimates.median)).size,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const touched = new Set(corpus.touched);
  const changes: ChangeDetection[] = [];
  for (const [change, changedRuns] of corpus.changed) {
    const result: ChangeDetection = {
      change,
      comparisons: 0,
      detected: 0,
      medianChange: NaN,
      falseAlarms: 0,
      untouched: 0,
    };
    const ratios: number[] = [];
    for (const head of changedRuns.map(counted)) {
      for (const base of runs) {
        for (const row of compare(base, head).rows) {
          if (row.change === null) continue;
          if (touched.has(row.id)) {
            result.comparisons++;
            ratios.push(row.change);
            if (row.verdict === 'regression') result.detected++;
          } else {
            result.untouched++;
            if (row.verdict === 'regression' || row.verdict === 'improvement') result.falseAlarms++;
          }
        }
      }
    }
    result.medianChange = median(ratios);
    changes.push(result);
  }
  return {
    runs: runs.length,
    pairs,
    comparisons,
    falseAlarms,
    spreads,
    changes,
    suiteSeconds: corpus.suiteSeconds.length > 0 ? median(corpus.suiteSeconds) : null,
    criterionQuickSeconds: corpus.criterionQuickSeconds,
  };
}

const percent = (x: number, digits = 2): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;

export function renderInstructions(evaluation: InstructionEvaluation, provenance: string): string {
  const lines = [
    '## Instruction counts (gungraun under Valgrind)',
    '',
    `${provenance} Judged by \`compare\` at the default 1% instructions threshold: counts are compared as exact ratios, no bootstrap.`,
    '',
    `**A/A.** ${evaluation.pairs} pairs of the ${evaluation.runs} runs of unchanged code, ${evaluation.comparisons} benchmark comparisons: **${evaluation.falseAlarms} false alarms**.`,
    '',
    markdownTable(
      [
        ['Benchmark', 'Distinct counts in the runs', 'Largest change between two runs'],
        ...evaluation.spreads.map((s) => [s.id.replaceAll('_', '\\_'), String(s.distinct), percent(s.maxChange, 3)]),
      ],
      { align: ['l', 'r', 'r'] },
    ),
    '',
    '**Real changes.** Each run of the changed build against each unchanged run; the benchmarks the change touches must be regressions, the rest of its suite unchanged.',
    '',
    markdownTable(
      [
        ['Change', 'Detected', 'Median change of the touched benchmarks', 'False alarms on the untouched'],
        ...evaluation.changes.map((c) => [
          `\`${c.change}\``,
          `${c.detected}/${c.comparisons}`,
          percent(c.medianChange - 1, 2),
          `${c.falseAlarms}/${c.untouched}`,
        ]),
      ],
      { align: ['l', 'r', 'r', 'r'] },
    ),
    '',
  ];
  if (evaluation.suiteSeconds !== null) {
    const criterion = evaluation.criterionQuickSeconds;
    lines.push(
      `**Cost.** The whole gungraun suite (both crates, built) took ${evaluation.suiteSeconds.toFixed(0)} s per run (median)` +
        (criterion !== null
          ? `; one Criterion quick run of the same crates (0.2 s warm-up, 0.5 s measurement, 20 samples) took ${criterion.toFixed(0)} s, so counts cost ${((100 * evaluation.suiteSeconds) / criterion).toFixed(0)}% of it.`
          : '.') +
        ' Both on the same loaded machine; the gungraun build and a cold `gungraun-runner` install (about 15 minutes, once, then cached) come on top.',
      '',
    );
  }
  return lines.join('\n');
}
