/**
 * Measures how often each rule cries wolf on runs of identical code (A/A) and
 * how often it catches a known slowdown (A/B), on a corpus of real repeated
 * runs. Pure: results in, counts out.
 */
import {
  compare,
  controlMatcher,
  estimateRunNoise,
  poolRounds,
  roundsNoise,
  runMedians,
} from '../../src/compare/index.ts';
import { deriveSeed, mulberry32 } from '../../src/compare/stats/rng.ts';
import { historyTerms } from '../../src/history/changes.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import type { Benchmark, Results } from '../../src/schema/types.ts';
import { criterionRule, ratioOfMeans, sdOverlap, type Rule } from './rules.ts';

export interface Corpus {
  /** Repeated runs of one build. */
  runs: Results[];
  /** Runs of the same build with a real code change slowing one benchmark, when recorded. */
  changed?: { runs: Results[]; benchmark: string };
}

export interface EvaluationOptions {
  threshold: number;
  /** Injected slowdowns, as fractions (0.15 = 15% slower). */
  effects: number[];
  /** Run-to-run spread (sd of log median) under which a benchmark counts as stable. */
  stableSpread: number;
  /** Run-to-run spread from which a benchmark counts as noisy. */
  noisySpread: number;
  /** Rounds per side in the simulated same-runner mode. */
  rounds: number;
  /** How many disjoint base/head draws of rounds to judge. */
  sameRunnerDraws: number;
  seed: number;
  /** Globs of control benchmarks: adds the baseline + history + controls method, judged on the other benchmarks. */
  controls?: string[];
}

export interface Rate {
  hits: number;
  total: number;
}

export interface MethodResult {
  method: string;
  /** A/A: comparisons flagged as regressions. */
  falseAlarms: Rate;
  /** A/A on the noisy benchmarks only (run-to-run sd at or above `noisySpread`). */
  noisyFalseAlarms: Rate;
  /** A/B per effect: detections among stable benchmarks, and among all. */
  detection: Record<string, { stable: Rate; all: Rate }>;
  /** The real code change: detections of the changed benchmark. */
  realChange: Rate | null;
}

export interface Evaluation {
  runs: number;
  benchmarks: number;
  stableBenchmarks: number;
  noisyBenchmarks: number;
  /** Per-benchmark run-to-run spread, for the report's notes. */
  spread: Map<string, number>;
  /** Median head/base ratio of the real code change, when recorded. */
  realChangeEffect: number | null;
  methods: MethodResult[];
}

function windowTerms(
  base: Results,
  history: readonly Results[],
  controlled: { head: Results; controls: readonly string[] } | null = null,
) {
  // With controls, as the action does: the history in the base run's frame when the head's drift is corrected.
  const { noise, baseRuns } = historyTerms(
    seriesFromRuns([base, ...history]),
    base,
    controlled?.head ?? base,
    history.length + 1,
    controlled?.controls ?? [],
  );
  return { noise, baseRuns };
}

const rate = (): Rate => ({ hits: 0, total: 0 });

function count(target: Rate, hit: boolean): void {
  target.total++;
  if (hit) target.hits++;
}

/** The same run with every time multiplied: a slowdown of exactly `factor`. */
export function slowDown(results: Results, factor: number, only: (id: string) => boolean = () => true): Results {
  return {
    ...results,
    benchmarks: results.benchmarks.map((b) =>
      !only(b.id)
        ? b
        : {
            ...b,
            samples: b.samples?.map((x) => x * factor) ?? null,
            estimates: {
              ...b.estimates,
              median: b.estimates.median * factor,
              mean: b.estimates.mean * factor,
              stdDev: b.estimates.stdDev === null ? null : b.estimates.stdDev * factor,
              ci: b.estimates.ci
                ? { ...b.estimates.ci, lower: b.estimates.ci.lower * factor, upper: b.estimates.ci.upper * factor }
                : null,
            },
          },
    ),
  };
}

function byId(results: Results): Map<string, Benchmark> {
  return new Map(results.benchmarks.map((b) => [b.id, b]));
}

function emptyMethod(method: string, effects: readonly number[]): MethodResult {
  return {
    method,
    falseAlarms: rate(),
    noisyFalseAlarms: rate(),
    detection: Object.fromEntries(effects.map((e) => [label(e), { stable: rate(), all: rate() }])),
    realChange: null,
  };
}

export function label(effect: number): string {
  return `${Math.round(effect * 100)}%`;
}

/** All ordered pairs (i, j), i != j. */
function orderedPairs(n: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) pairs.push([i, j]);
  return pairs;
}

/** Seeded disjoint draws of `rounds` base runs and `rounds` head runs. */
function roundDraws(n: number, rounds: number, draws: number, seed: number): [number[], number[]][] {
  const rng = mulberry32(seed);
  const out: [number[], number[]][] = [];
  for (let d = 0; d < draws; d++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    out.push([order.slice(0, rounds), order.slice(rounds, 2 * rounds)]);
  }
  return out;
}

export function evaluate(corpus: Corpus, options: EvaluationOptions): Evaluation {
  const { runs } = corpus;
  if (runs.length < 3) throw new Error(`the corpus needs at least 3 runs, has ${runs.length}`);
  const spreadRuns = estimateRunNoise(runs);
  const spread = new Map([...spreadRuns].map(([id, n]) => [id, n.perRun]));
  const stable = new Set([...spread].filter(([, s]) => s < options.stableSpread).map(([id]) => id));
  const noisy = new Set([...spread].filter(([, s]) => s >= options.noisySpread).map(([id]) => id));
  const ids = [...spread.keys()];

  const ours = emptyMethod('bench-action (baseline, no history)', options.effects);
  const oursHistory = emptyMethod('bench-action (baseline + history)', options.effects);
  const oursSameRunner = emptyMethod(`bench-action (same-runner, ${options.rounds} rounds)`, options.effects);
  const others: [MethodResult, Rule][] = [
    [emptyMethod('ratio of means (github-action-benchmark)', options.effects), ratioOfMeans],
    [emptyMethod('mean ± 1 sd overlap (criterion-compare-action)', options.effects), sdOverlap],
    [emptyMethod("Criterion's change detection", options.effects), criterionRule()],
  ];
  // Controls never fail, so that method is judged on the other benchmarks only,
  // beside baseline + history on the same benchmarks.
  const controls = options.controls ?? [];
  const isControl = controlMatcher(controls);
  const judged = ids.filter((id) => !isControl(id)).length;
  const oursJudged = emptyMethod(
    `bench-action (baseline + history), ${judged} non-control benchmarks`,
    options.effects,
  );
  const oursControls = emptyMethod(
    `bench-action (baseline + history + controls), ${judged} non-control benchmarks`,
    options.effects,
  );
  const cases: [string, number][] = [['aa', 1], ...options.effects.map((e): [string, number] => [label(e), 1 + e])];

  const tally = (method: MethodResult, kind: string, id: string, regression: boolean) => {
    if (kind === 'aa') {
      count(method.falseAlarms, regression);
      if (noisy.has(id)) count(method.noisyFalseAlarms, regression);
    } else {
      const slot = method.detection[kind];
      if (!slot) return;
      count(slot.all, regression);
      if (stable.has(id)) count(slot.stable, regression);
    }
  };

  for (const [i, j] of orderedPairs(runs.length)) {
    const base = runs[i] as Results;
    const history = runs.filter((_, k) => k !== i && k !== j);
    // As the action does: the spread since each benchmark's last change point.
    const terms = windowTerms(base, history);
    // The injected change moves no control, so whether the head's drift is corrected is the unchanged run's call.
    const alignedTerms =
      controls.length > 0 ? windowTerms(base, history, { head: runs[j] as Results, controls }) : terms;
    const baseById = byId(base);
    for (const [kind, factor] of cases) {
      const head = factor === 1 ? (runs[j] as Results) : slowDown(runs[j] as Results, factor);
      const seed = deriveSeed(options.seed, `${i}/${j}/${kind}`);
      for (const [method, extra] of [
        [ours, undefined],
        [oursHistory, terms],
      ] as const) {
        const comparison = compare(base, head, { threshold: options.threshold, seed, ...(extra ?? {}) });
        for (const row of comparison.rows)
          if (spread.has(row.id)) tally(method, kind, row.id, row.verdict === 'regression');
      }
      if (controls.length > 0) {
        // A code change cannot move the controls: the injected change slows the other benchmarks only.
        const changed = factor === 1 ? head : slowDown(runs[j] as Results, factor, (id) => !isControl(id));
        for (const [method, withControls] of [
          [oursJudged, {}],
          [oursControls, { controls, ...alignedTerms }],
        ] as const) {
          const comparison = compare(base, changed, { threshold: options.threshold, seed, ...terms, ...withControls });
          for (const row of comparison.rows)
            if (spread.has(row.id) && !isControl(row.id)) tally(method, kind, row.id, row.verdict === 'regression');
        }
      }
      for (const headBenchmark of head.benchmarks) {
        const baseBenchmark = baseById.get(headBenchmark.id);
        if (!baseBenchmark || !spread.has(headBenchmark.id)) continue;
        for (const [method, rule] of others) {
          tally(
            method,
            kind,
            headBenchmark.id,
            rule(baseBenchmark, headBenchmark, options.threshold, deriveSeed(seed, headBenchmark.id)),
          );
        }
      }
    }
  }

  if (runs.length >= 2 * options.rounds) {
    for (const [d, [baseIdx, headIdx]] of roundDraws(
      runs.length,
      options.rounds,
      options.sameRunnerDraws,
      options.seed,
    ).entries()) {
      const baseRounds = baseIdx.map((k) => runs[k] as Results);
      const base = poolRounds(baseRounds, (runs[0] as Results).run);
      for (const [kind, factor] of cases) {
        const headRounds = headIdx.map((k) =>
          factor === 1 ? (runs[k] as Results) : slowDown(runs[k] as Results, factor),
        );
        const comparison = compare(base, poolRounds(headRounds, (runs[0] as Results).run), {
          threshold: options.threshold,
          seed: deriveSeed(options.seed, `rounds/${d}/${kind}`),
          noise: roundsNoise(baseRounds, headRounds),
          baseRuns: runMedians(baseRounds),
        });
        for (const row of comparison.rows)
          if (spread.has(row.id)) tally(oursSameRunner, kind, row.id, row.verdict === 'regression');
      }
    }
  }

  let realChangeEffect: number | null = null;
  if (corpus.changed && corpus.changed.runs.length > 0) {
    const { benchmark } = corpus.changed;
    const only = (r: Results): Results => ({ ...r, benchmarks: r.benchmarks.filter((b) => b.id === benchmark) });
    const ratios: number[] = [];
    for (const method of [ours, oursHistory, ...others.map(([m]) => m)]) method.realChange = rate();
    for (const [i, base] of runs.entries()) {
      const history = runs.filter((_, k) => k !== i);
      const terms = windowTerms(base, history);
      for (const [j, changed] of corpus.changed.runs.entries()) {
        const seed = deriveSeed(options.seed, `real/${i}/${j}`);
        const b = byId(base).get(benchmark);
        const h = byId(changed).get(benchmark);
        if (!b || !h) continue;
        ratios.push(h.estimates.median / b.estimates.median);
        const plain = compare(only(base), only(changed), { threshold: options.threshold, seed });
        const aware = compare(only(base), only(changed), { threshold: options.threshold, seed, ...terms });
        count(ours.realChange as Rate, plain.rows[0]?.verdict === 'regression');
        count(oursHistory.realChange as Rate, aware.rows[0]?.verdict === 'regression');
        for (const [method, rule] of others) count(method.realChange as Rate, rule(b, h, options.threshold, seed));
      }
    }
    ratios.sort((x, y) => x - y);
    realChangeEffect = ratios[ratios.length >> 1] ?? null;
  }

  return {
    runs: runs.length,
    benchmarks: ids.length,
    stableBenchmarks: stable.size,
    noisyBenchmarks: noisy.size,
    spread,
    realChangeEffect,
    methods: [
      ours,
      oursHistory,
      oursSameRunner,
      ...others.map(([m]) => m),
      ...(controls.length > 0 ? [oursJudged, oursControls] : []),
    ],
  };
}
