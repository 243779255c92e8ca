/**
 * Pure helpers of the Node suite: turn tinybench tasks and memory samples into
 * a results document (document.ts). No I/O here; the scripts beside it do that.
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import {
  documentProblems,
  RESULTS_SCHEMA_VERSION,
  splitId,
  type Benchmark,
  type Check,
  type Estimates,
  type Pair,
  type Results,
  type RunMeta,
} from './document.ts';

const NS_PER_MS = 1e6;

/** A sample's median, mean and standard deviation (null for one value); no interval. */
function estimates(samples: readonly number[]): Estimates {
  return {
    median: median([...samples]),
    mean: mean([...samples]),
    stdDev: samples.length > 1 ? sampleStandardDeviation([...samples]) : null,
    ci: null,
  };
}

/** What the suite keeps of a finished tinybench task: its name and per-iteration latencies in ms. */
export interface TaskSamples {
  name: string;
  latencyMs: readonly number[];
}

/**
 * Benchmarks from tinybench latencies (ms to ns, estimates from the samples, as bench-action's tinybench
 * adapter reads them), each declared as one operation per iteration so the report can show operations per
 * second.
 */
export function benchmarksFromTasks(origin: string, tasks: readonly TaskSamples[]): Benchmark[] {
  if (tasks.length === 0) throw new Error(`${origin}: no benchmarks found`);
  return tasks.map((t) => {
    if (t.latencyMs.length === 0) throw new Error(`${origin}: task '${t.name}' has no latency samples`);
    const samples = t.latencyMs.map((ms) => ms * NS_PER_MS);
    return {
      id: t.name,
      ...splitId(t.name),
      metric: 'time',
      source: 'tinybench',
      unit: 'ns',
      direction: 'lower',
      estimates: estimates(samples),
      throughput: { kind: 'elements', perIteration: 1 },
      samples,
    };
  });
}

/** A benchmark from nanosecond samples measured by the suite itself (not by a harness). */
export function benchmarkFromNs(id: string, samplesNs: readonly number[]): Benchmark {
  return {
    id,
    ...splitId(id),
    metric: 'time',
    source: 'generic',
    unit: 'ns',
    direction: 'lower',
    estimates: estimates(samplesNs),
    throughput: { kind: 'elements', perIteration: 1 },
    samples: [...samplesNs],
  };
}

/**
 * Pairs `<group>/<op>/<contender>` against `<group>/<op>/<reference>` for each
 * op, named `<group>/<op>: <contender> vs <reference>`, keeping only pairs whose
 * two benchmarks were measured.
 */
export function pairsFor(
  group: string,
  ops: readonly string[],
  contender: string,
  reference: string,
  ids: ReadonlySet<string>,
): Pair[] {
  return ops
    .map((op) => ({
      name: `${group}/${op}: ${contender} vs ${reference}`,
      contender: `${group}/${op}/${contender}`,
      reference: `${group}/${op}/${reference}`,
    }))
    .filter((p) => ids.has(p.contender) && ids.has(p.reference));
}

/** A results document (document.ts), or an Error listing what is wrong (a bug in the suite). */
export function buildResults(run: RunMeta, benchmarks: Benchmark[], pairs: Pair[] = [], checks: Check[] = []): Results {
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run,
    benchmarks,
    ...(pairs.length ? { pairs } : {}),
    ...(checks.length ? { checks } : {}),
  };
  const problems = documentProblems(results);
  if (problems.length > 0) throw new Error(`node suite built invalid results: ${problems.join('; ')}`);
  return results;
}

/** One memory reading, taken after a forced GC. */
export interface MemorySample {
  ops: number;
  rssBytes: number;
  heapBytes: number;
}

export interface MemoryLimits {
  /** Largest allowed RSS growth from the baseline to the end, MB. */
  growthMB: number;
  /** Second-half growth may be at most this multiple of the first half's. */
  halfRatio: number;
  /**
   * Growth this small is allocator and GC noise, not a trend; the half ratio is
   * judged only above it (0.1 MB then 0.3 MB is not a leak).
   */
  noiseFloorMB: number;
}

const MB = 1024 * 1024;

const round = (x: number): number => Math.round(x * 1000) / 1000;
/** A growth with its sign: `+1.5`, `-0.215` (a negative value already carries its minus). */
const signed = (x: number | undefined): string => (x !== undefined && x < 0 ? `${x}` : `+${x}`);

/**
 * Judges a leak test from readings taken from the baseline (first) to the end
 * (last): total RSS growth under `growthMB`, heap growth under it too, and the
 * second half's RSS growth no more than `halfRatio` times the first half's (or
 * the noise floor). `extra` adds metrics with their limits (e.g. the cache's
 * largest observed length against its capacity); each must be <= its limit.
 * Pure.
 */
export function judgeMemory(
  id: string,
  samples: readonly MemorySample[],
  limits: MemoryLimits,
  extra: { metrics: Record<string, number>; limits: Record<string, number> } = { metrics: {}, limits: {} },
): Check {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || samples.length < 3) {
    return {
      id,
      passed: false,
      metrics: {},
      limits: {},
      message: `only ${samples.length} memory readings; need at least 3`,
    };
  }
  const midOps = first.ops + (last.ops - first.ops) / 2;
  const mid = samples.reduce((best, s) => (Math.abs(s.ops - midOps) < Math.abs(best.ops - midOps) ? s : best), first);
  const rssGrowthMB = (last.rssBytes - first.rssBytes) / MB;
  const heapGrowthMB = (last.heapBytes - first.heapBytes) / MB;
  const firstHalfMB = (mid.rssBytes - first.rssBytes) / MB;
  const secondHalfMB = (last.rssBytes - mid.rssBytes) / MB;
  const secondHalfLimit = Math.max(limits.halfRatio * Math.max(firstHalfMB, 0), limits.noiseFloorMB);
  const metrics: Record<string, number> = {
    ops: last.ops - first.ops,
    rssGrowthMB: round(rssGrowthMB),
    heapGrowthMB: round(heapGrowthMB),
    firstHalfMB: round(firstHalfMB),
    secondHalfMB: round(secondHalfMB),
    ...extra.metrics,
  };
  const bounds: Record<string, number> = {
    rssGrowthMB: limits.growthMB,
    heapGrowthMB: limits.growthMB,
    secondHalfMB: round(secondHalfLimit),
    ...extra.limits,
  };
  const over = Object.entries(bounds).filter(([name, limit]) => (metrics[name] ?? Number.POSITIVE_INFINITY) > limit);
  const message =
    over.length === 0
      ? `${metrics.ops} ops: RSS ${signed(metrics.rssGrowthMB)} MB (halves ${metrics.firstHalfMB} / ${metrics.secondHalfMB} MB), heap ${signed(metrics.heapGrowthMB)} MB`
      : `over the limit: ${over.map(([name, limit]) => `${name} ${metrics[name]} > ${limit}`).join(', ')}`;
  return { id, passed: over.length === 0, metrics, limits: bounds, message };
}
