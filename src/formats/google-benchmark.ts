/**
 * Google Benchmark JSON (`--benchmark_format=json` or `--benchmark_out=FILE`):
 * `{ context, benchmarks: [{ name, run_name, run_type, aggregate_name?,
 * repetition_index?, iterations, real_time, cpu_time, time_unit, ...counters }] }`.
 * With `--benchmark_repetitions=N` one benchmark is N `iteration` entries sharing
 * a `run_name` (the repetitions: its samples) plus `aggregate` entries (`mean`,
 * `median`, `stddev`, `cv`, ...); with `--benchmark_report_aggregates_only` only
 * the aggregates are there. `real_time` per iteration is the time read, as
 * github-action-benchmark reads it. Counters (`bytes_per_second`,
 * `items_per_second`, `state.counters[...]`) are metrics of their own.
 */
import { median as medianOf } from 'simple-statistics';
import { InputError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark, Direction } from '../schema/types.ts';
import {
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  nsFactor,
  parseJson,
  splitId,
  stringAt,
  type FileOutcome,
  type Json,
  type JsonObject,
} from './common.ts';

export function isGoogleBenchmark(value: Json): boolean {
  if (!isObject(value) || !isObject(value.context) || !Array.isArray(value.benchmarks)) return false;
  const first = value.benchmarks[0];
  return (
    isObject(first) && typeof first.name === 'string' && 'real_time' in first && typeof first.time_unit === 'string'
  );
}

interface Series {
  /** The value of each repetition (time: per-iteration real time, ns). */
  repetitions: number[];
  /** Aggregates by name (mean, median, stddev); `cv` and others are ratios and not kept. */
  aggregates: Map<string, number>;
}

/** One benchmark: its time, then each counter, by metric name. */
type Run = Map<string, Series>;

const KEPT_AGGREGATES = new Set(['mean', 'median', 'stddev']);
/** Fields of an entry that are not counters. */
const FIELDS = new Set([
  'name',
  'family_index',
  'per_family_instance_index',
  'run_name',
  'run_type',
  'repetitions',
  'repetition_index',
  'threads',
  'iterations',
  'real_time',
  'cpu_time',
  'time_unit',
  'aggregate_name',
  'aggregate_unit',
  'error_occurred',
  'error_message',
  'label',
]);
/** The rates Google Benchmark itself names; anything else a user counted keeps its name as its unit. */
const RATES: Readonly<Record<string, string>> = { bytes_per_second: 'B/s', items_per_second: 'items/s' };

function counterUnit(name: string): { unit: string; direction: Direction } {
  const rate = RATES[name];
  return rate ? { unit: rate, direction: 'higher' } : { unit: name, direction: 'lower' };
}

function series(run: Run, metric: string): Series {
  const found = run.get(metric) ?? { repetitions: [], aggregates: new Map<string, number>() };
  run.set(metric, found);
  return found;
}

function entryName(entry: JsonObject, path: string, file: string): string {
  if (typeof entry.run_name === 'string' && entry.run_name !== '') return entry.run_name;
  const name = stringAt(file, entry.name, `${path}.name`);
  // Before run_name (library 1.5), an aggregate was only `<name>_<aggregate>`.
  const aggregate = typeof entry.aggregate_name === 'string' ? entry.aggregate_name : null;
  return aggregate && name.endsWith(`_${aggregate}`) ? name.slice(0, -aggregate.length - 1) : name;
}

function benchmarkOf(id: string, metric: string, data: Series): Benchmark {
  const { repetitions, aggregates } = data;
  const fromSamples = repetitions.length > 0 ? estimatesFromSamples(repetitions) : null;
  const median =
    aggregates.get('median') ??
    (repetitions.length > 0 ? medianOf(repetitions) : undefined) ??
    aggregates.get('mean') ??
    0;
  const { unit, direction } =
    metric === TIME_METRIC ? { unit: 'ns', direction: 'lower' as const } : counterUnit(metric);
  return {
    id,
    ...splitId(id),
    metric,
    source: 'google-benchmark',
    unit,
    direction,
    estimates: {
      median,
      mean: aggregates.get('mean') ?? fromSamples?.mean ?? median,
      stdDev: aggregates.get('stddev') ?? fromSamples?.stdDev ?? null,
      ci: null,
    },
    throughput: null,
    samples: repetitions.length >= 2 ? repetitions : null,
  };
}

export function readGoogleBenchmark(file: string, text: string): FileOutcome {
  const doc = parseJson(file, text);
  if (!isObject(doc) || !Array.isArray(doc.benchmarks))
    throw new InputError(file, 'not Google Benchmark JSON (expected "context" and a "benchmarks" list)');
  const runs = new Map<string, Run>();
  const warnings: string[] = [];
  doc.benchmarks.forEach((raw, i) => {
    const path = `benchmarks[${i}]`;
    if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
    const id = entryName(raw, path, file);
    if (raw.error_occurred === true) {
      warnings.push(
        `${file}: benchmark '${id}' failed (${typeof raw.error_message === 'string' ? raw.error_message : 'error_occurred'}); left out`,
      );
      return;
    }
    const unit = stringAt(file, raw.time_unit, `${path}.time_unit`);
    const factor = nsFactor(unit);
    if (factor === null) throw new InputError(file, `${path}.time_unit '${unit}' is not a time unit`);
    const run: Run = runs.get(id) ?? new Map<string, Series>();
    runs.set(id, run);
    const aggregate =
      raw.run_type === 'aggregate' || typeof raw.aggregate_name === 'string' ? String(raw.aggregate_name) : null;
    // Time aggregates only: `cv` is a ratio, BigO/RMS are fits, user-defined ones may be anything.
    if (
      aggregate !== null &&
      (!KEPT_AGGREGATES.has(aggregate) || (raw.aggregate_unit !== undefined && raw.aggregate_unit !== 'time'))
    )
      return;
    const add = (metric: string, value: number) => {
      if (aggregate === null) series(run, metric).repetitions.push(value);
      else series(run, metric).aggregates.set(aggregate, value);
    };
    add(TIME_METRIC, finiteAt(file, raw.real_time, `${path}.real_time`) * factor);
    for (const [key, value] of Object.entries(raw)) {
      if (!FIELDS.has(key) && typeof value === 'number' && Number.isFinite(value)) add(key, value);
    }
  });
  const benchmarks = [...runs].flatMap(([id, run]) => [...run].map(([metric, data]) => benchmarkOf(id, metric, data)));
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
