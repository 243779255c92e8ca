/** Base-branch histories with known steps, for the history tests. */
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import { SCHEMA_VERSION, type Results } from '../../src/schema/types.ts';

export interface HistorySpec {
  id: string;
  median: number;
  /** Run-to-run sd of log(median). */
  logSd: number;
  /** Multiply runs from `at` on by `factor`. */
  step?: { at: number; factor: number };
  unit?: string;
}

export function sha(i: number): string {
  return (i + 1).toString(16).padStart(7, 'a').padEnd(40, '0');
}

/** `runs` results, oldest first, one day apart; each benchmark's median drawn around its level. */
export function history(runs: number, specs: readonly HistorySpec[], seed: number): Results[] {
  const rng = mulberry32(seed);
  return Array.from({ length: runs }, (_, i) => ({
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: 'test' },
      commit: sha(i),
      ref: 'refs/heads/main',
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      runner: { name: 'test-runner', os: 'linux', arch: 'x64', cpuModel: 'Synthetic CPU', cores: 2 },
      versions: {},
    },
    benchmarks: specs.map((s) => {
      const level = s.step && i >= s.step.at ? s.median * s.step.factor : s.median;
      const median = level * Math.exp(s.logSd * normalDraw(rng));
      const [group = s.id, fn = null] = s.id.split('/');
      return {
        id: s.id,
        metric: 'time',
        group,
        function: fn,
        parameter: null,
        source: 'generic' as const,
        unit: s.unit ?? 'ns',
        direction: 'lower' as const,
        estimates: {
          median,
          mean: median,
          stdDev: null,
          ci: { lower: median * 0.98, upper: median * 1.02, level: 0.95 },
        },
        throughput: null,
        samples: null,
      };
    }),
  }));
}

/** The medians of one benchmark across runs. */
export function mediansOf(runs: readonly Results[], id: string): number[] {
  return runs.map((r) => r.benchmarks.find((b) => b.id === id)?.estimates.median ?? NaN);
}
