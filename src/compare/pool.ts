import { summarize } from '../common/sample.ts';
import { benchmarkKey } from '../schema/metric.ts';
import { SCHEMA_VERSION, type Benchmark, type Results, type RunMeta } from '../schema/types.ts';
import { estimateRunNoise, estimationFactor } from './noise.ts';

/**
 * Same-runner A/B: several interleaved rounds per side are pooled into one
 * results document per side, and the spread between rounds becomes the
 * comparison's extra noise term. Pure.
 */
export function poolRounds(rounds: readonly Results[], run: RunMeta): Results {
  const byId = new Map<string, Benchmark[]>();
  for (const round of rounds) {
    for (const benchmark of round.benchmarks) {
      const key = benchmarkKey(benchmark);
      const list = byId.get(key) ?? [];
      list.push(benchmark);
      byId.set(key, list);
    }
  }
  const benchmarks: Benchmark[] = [];
  for (const list of byId.values()) {
    const [first] = list;
    if (!first) continue;
    const samples = list.every((b) => b.samples && b.samples.length > 0) ? list.flatMap((b) => b.samples ?? []) : null;
    // Without raw samples the pooled point estimate is the median of the rounds' medians.
    const medians = list.map((b) => b.estimates.median).sort((a, b) => a - b);
    const estimates = samples
      ? { ...summarize(samples), ci: null }
      : { ...first.estimates, median: medians[medians.length >> 1] ?? first.estimates.median, ci: null };
    benchmarks.push({ ...first, estimates, samples });
  }
  const pairs = rounds.find((r) => r.pairs?.length)?.pairs;
  const checks = rounds.flatMap((r) => r.checks ?? []);
  return {
    schemaVersion: SCHEMA_VERSION,
    run,
    benchmarks,
    ...(pairs ? { pairs } : {}),
    ...(checks.length > 0 ? { checks } : {}),
  };
}

/**
 * Extra log-scale sd for comparing pooled sides of `R` rounds each: the
 * per-round spread s (estimated from both sides' rounds, which ran the same
 * way) shrinks to s / sqrt(R) for a pooled side, and the difference of two
 * sides carries sqrt(2) of that; widened by the t factor for the rounds'
 * degrees of freedom, since s comes from so few rounds.
 */
export function roundsNoise(baseRounds: readonly Results[], headRounds: readonly Results[]): Map<string, number> {
  const base = estimateRunNoise(baseRounds, 2);
  const head = estimateRunNoise(headRounds, 2);
  const rounds = Math.min(baseRounds.length, headRounds.length);
  const noise = new Map<string, number>();
  for (const [id, b] of base) {
    const h = head.get(id);
    if (!h) continue;
    const perRound = Math.sqrt((b.perRun ** 2 + h.perRun ** 2) / 2);
    noise.set(id, perRound * Math.sqrt(2 / rounds) * estimationFactor(b.runs - 1 + h.runs - 1));
  }
  return noise;
}
