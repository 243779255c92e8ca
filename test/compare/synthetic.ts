/**
 * Seeded synthetic results for tests and the performance script: log-normal
 * per-iteration times around a chosen median, so expectations follow from the
 * generating parameters rather than from hard-coded figures.
 */
import { mulberry32, normalDraw, type Rng } from '../../src/compare/stats/rng.ts';
import { metricForUnit } from '../../src/schema/metric.ts';
import { SCHEMA_VERSION, type Benchmark, type Direction, type Results, type RunMeta } from '../../src/schema/types.ts';

export interface SyntheticSpec {
  id: string;
  /** Median of the generating distribution. */
  median: number;
  /** Standard deviation of log(sample): 0.05 is about 5% noise. */
  logSd?: number;
  samples?: number;
  direction?: Direction;
  unit?: string;
  /** Default: the unit's implied metric ('time' for ns). */
  metric?: string;
}

export function runMeta(commit: string): RunMeta {
  return {
    tool: { name: 'bench-action', version: 'test' },
    commit,
    ref: 'refs/heads/main',
    timestamp: '2026-01-01T00:00:00Z',
    runner: { name: 'test-runner', os: 'linux', arch: 'x64', cpuModel: 'Synthetic CPU', cores: 2 },
    versions: {},
  };
}

export function logNormalSamples(rng: Rng, median: number, logSd: number, n: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(logSd * normalDraw(rng)));
}

export function benchmark(spec: SyntheticSpec, samples: number[] | null): Benchmark {
  const [group, fn = null, parameter = null] = spec.id.split('/');
  const sorted = samples ? [...samples].sort((a, b) => a - b) : null;
  const median = sorted
    ? (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2
    : spec.median;
  const mean = samples ? samples.reduce((s, x) => s + x, 0) / samples.length : spec.median;
  return {
    id: spec.id,
    metric: spec.metric ?? metricForUnit(spec.unit ?? 'ns'),
    group: group ?? spec.id,
    function: fn,
    parameter,
    source: 'criterion',
    unit: spec.unit ?? 'ns',
    direction: spec.direction ?? 'lower',
    estimates: { median, mean, stdDev: null, ci: null },
    throughput: null,
    samples,
  };
}

export function synthetic(
  seed: number,
  specs: readonly SyntheticSpec[],
  commit = `${seed.toString(16).padStart(8, '0')}${'0'.repeat(32)}`,
): Results {
  const rng = mulberry32(seed);
  return {
    schemaVersion: SCHEMA_VERSION,
    run: runMeta(commit),
    benchmarks: specs.map((spec) =>
      benchmark(spec, logNormalSamples(rng, spec.median, spec.logSd ?? 0.05, spec.samples ?? 100)),
    ),
  };
}

/** The same results with every benchmark's samples and estimates multiplied by factor(id, index). */
export function scaled(results: Results, factor: (id: string, index: number) => number): Results {
  return {
    ...results,
    benchmarks: results.benchmarks.map((b, i) => {
      const f = factor(b.id, i);
      return {
        ...b,
        samples: b.samples ? b.samples.map((x) => x * f) : null,
        estimates: { ...b.estimates, median: b.estimates.median * f, mean: b.estimates.mean * f },
      };
    }),
  };
}
