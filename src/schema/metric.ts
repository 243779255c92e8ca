/**
 * The metric dimension of results (schema v2): one benchmark id may carry
 * wall time and instruction counts (and other adapters' metrics) side by side,
 * so everything that indexes benchmarks keys on (id, metric). Pure.
 */
import { SCHEMA_VERSION, type Benchmark } from './types.ts';

/** Wall time per iteration, in ns: the metric of every v1 file's time benchmarks. */
export const TIME_METRIC = 'time';
/** Instruction counts (Valgrind via gungraun). */
export const INSTRUCTIONS_METRIC = 'instructions';

/** The metric a v1 benchmark had implicitly: time when its unit is ns, else its unit. */
export function metricForUnit(unit: string): string {
  return unit === 'ns' ? TIME_METRIC : unit;
}

/**
 * The one string key of (id, metric) for maps. A time benchmark's key is its
 * bare id, so maps keyed by id (noise, history, thresholds) keep working for
 * wall time; other metrics append ` [metric]`, which also reads well in reports.
 */
export function benchmarkKey(b: Pick<Benchmark, 'id' | 'metric'>): string {
  return b.metric === TIME_METRIC ? b.id : `${b.id} [${b.metric}]`;
}

/** `id`, with the metric beside it when it is not wall time (for reports and messages). */
export const benchmarkLabel = benchmarkKey;

/**
 * The benchmark a name refers to when only an id is given (pairs, claims
 * without a metric): wall time when the id has it, else the id's only metric;
 * undefined when absent or ambiguous.
 */
export function findById<B extends Pick<Benchmark, 'id' | 'metric'>>(
  benchmarks: readonly B[],
  id: string,
  metric?: string,
): B | undefined {
  const matches = benchmarks.filter((b) => b.id === id);
  if (metric !== undefined) return matches.find((b) => b.metric === metric);
  return matches.find((b) => b.metric === TIME_METRIC) ?? (matches.length === 1 ? matches[0] : undefined);
}

/**
 * An older document as the current version: a v1 benchmark gains its implied
 * metric; v2 to v3 only added optional fields (shards), so the number changes.
 * Anything that is not an older document comes back untouched for the schema
 * to judge.
 */
export function upgradeResults(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const doc = data as Record<string, unknown>;
  const version = doc['schemaVersion'];
  if ((version !== 1 && version !== 2) || !Array.isArray(doc['benchmarks'])) return data;
  const benchmarks = (doc['benchmarks'] as unknown[]).map((b) => {
    if (version !== 1 || typeof b !== 'object' || b === null || Array.isArray(b) || 'metric' in b) return b;
    const unit = (b as Record<string, unknown>)['unit'];
    return typeof unit === 'string' ? { ...b, metric: metricForUnit(unit) } : b;
  });
  const upgraded: Record<string, unknown> = { ...doc, schemaVersion: SCHEMA_VERSION, benchmarks };
  if (typeof doc['$schema'] === 'string')
    upgraded['$schema'] = doc['$schema'].replace(/results-v[12]\b/, `results-v${SCHEMA_VERSION}`);
  return upgraded;
}

/** The first (id, metric) that occurs twice, with both indexes, or null. */
export function findDuplicate(
  benchmarks: readonly Pick<Benchmark, 'id' | 'metric'>[],
): { key: string; first: number; second: number } | null {
  const seen = new Map<string, number>();
  for (const [i, b] of benchmarks.entries()) {
    const key = benchmarkKey(b);
    const first = seen.get(key);
    if (first !== undefined) return { key, first, second: i };
    seen.set(key, i);
  }
  return null;
}

/**
 * Ids a counted benchmark's wall-time twin may have, most specific first. A
 * gungraun id is `file/group/function.id`; its Criterion twin leads without
 * the bench file, and Criterion's shapes vary: `group/function/id`,
 * `group/function`, `group/id`, the group alone (`c.bench_function(name)`),
 * or `group/N` where gungraun's id, an identifier, ends in the number
 * (`inputs_100` for Criterion's `opa_batch/100`).
 */
export function twinIds(id: string): string[] {
  const [, ...rest] = id.split('/');
  if (rest.length !== 2) return [id];
  const [group = '', last = ''] = rest;
  const dot = last.indexOf('.');
  const fn = dot === -1 ? last : last.slice(0, dot);
  const bench = dot === -1 ? null : last.slice(dot + 1);
  const candidates = [id];
  if (bench !== null) candidates.push(`${group}/${fn}/${bench}`);
  candidates.push(`${group}/${fn}`);
  if (bench !== null) candidates.push(`${group}/${bench}`);
  candidates.push(group);
  const number = bench === null ? null : /(?:^|_)(\d+)$/.exec(bench);
  if (number) candidates.push(`${group}/${number[1]}`);
  return candidates;
}
