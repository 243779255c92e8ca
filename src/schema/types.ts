/**
 * TypeScript view of results.schema.json. The schema is the contract; these
 * types mirror it and `validateResults` is the only way untrusted JSON becomes
 * a `Results`.
 */
export const SCHEMA_VERSION = 3 as const;

/**
 * More shards than this is a typo, not a matrix (GitHub caps a matrix at 256
 * jobs); results.schema.json holds `shard.count` to it, and a merge, which
 * lists every shard, refuses more.
 */
export const MAX_SHARDS = 256;

export type Direction = 'lower' | 'higher';
export type Source =
  | 'criterion'
  | 'libtest'
  | 'cargo-criterion'
  | 'mitata'
  | 'tinybench'
  | 'generic'
  | 'pytest-benchmark'
  | 'google-benchmark'
  | 'go'
  | 'hyperfine'
  | 'github-action-benchmark'
  | 'bmf'
  | 'gungraun'
  | 'criterion-callgrind'
  | 'benchmarkjs'
  | 'catch2'
  | 'jmh'
  | 'benchmarkdotnet';

export interface Interval {
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

export interface Estimates {
  median: number;
  mean: number;
  stdDev: number | null;
  ci: Interval | null;
  /** Source-reported spread when there is no stdDev (libtest's +/-). */
  spread?: number | null;
}

export interface Throughput {
  kind: 'elements' | 'bytes';
  perIteration: number;
}

export interface Benchmark {
  /** group/function/parameter, with the parts that exist. */
  id: string;
  /** 'time' (ns per iteration), 'instructions', or another adapter's metric; (id, metric) is unique. */
  metric: string;
  group: string;
  function: string | null;
  parameter: string | null;
  source: Source;
  /** Unit of estimates and samples; time is always 'ns'. */
  unit: string;
  direction: Direction;
  estimates: Estimates;
  throughput: Throughput | null;
  /** Raw per-iteration values in `unit`, or null when the source has none. */
  samples: number[] | null;
}

export interface Runner {
  name?: string;
  os: string;
  arch: string;
  cpuModel: string;
  cores: number;
}

/** Which share of the benchmarks a run measured: shard `index` (from 1) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
  /**
   * What the plan was balanced by (e.g. "baseline run 123", "no baseline"):
   * shards that planned from different baselines may overlap or leave gaps.
   */
  basis?: string;
}

export interface RunMeta {
  /** Set when this run measured one shard of a suite. */
  shard?: ShardSpec;
  tool: { name: string; version: string };
  commit: string | null;
  ref: string | null;
  /** ISO 8601. */
  timestamp: string;
  runner: Runner | null;
  versions: Record<string, string>;
}

export interface Pair {
  name: string;
  contender: string;
  reference: string;
}

export interface Check {
  id: string;
  passed: boolean;
  metrics: Record<string, number>;
  limits: Record<string, number>;
  message?: string;
}

export interface Results {
  $schema?: string;
  schemaVersion: typeof SCHEMA_VERSION;
  run: RunMeta;
  benchmarks: Benchmark[];
  pairs?: Pair[];
  checks?: Check[];
  /** Set on a run merged from shards. */
  shards?: ShardParts;
}

export interface ShardParts {
  count: number;
  /** Each part's own run metadata (runner, timestamp, shard), by shard index. */
  parts: RunMeta[];
  /** Shard indexes that were not merged: the run is incomplete. */
  missing: number[];
  /**
   * Each shard's own copy of the control benchmarks (every shard runs them on
   * its runner); `benchmarks` holds one copy, the lowest shard's.
   */
  controls?: { index: number; benchmarks: Benchmark[] }[];
}
