/**
 * cargo-criterion `--message-format=json`: one JSON object per line; only
 * `benchmark-complete` messages describe benchmarks (`group-complete` and any
 * future reasons are skipped, as cargo-criterion's docs ask of consumers).
 */
import { metricForUnit } from '../schema/metric.ts';
import { InputError } from '../common/errors.ts';
import type { Benchmark, Interval, Throughput } from '../schema/types.ts';
import {
  detailOf,
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  numbersAt,
  nsFactor,
  parseJson,
  splitId,
  stringAt,
  type Json,
} from './common.ts';

/** cargo-criterion reports bounds without a level; Criterion's default confidence level is 0.95. */
const DEFAULT_LEVEL = 0.95;

function interval(
  file: string,
  raw: Json | undefined,
  key: string,
  factor: number,
): { estimate: number; ci: Interval } {
  if (!isObject(raw)) throw new InputError(file, `missing ${key}`);
  return {
    estimate: finiteAt(file, raw.estimate, `${key}.estimate`) * factor,
    ci: {
      lower: finiteAt(file, raw.lower_bound, `${key}.lower_bound`) * factor,
      upper: finiteAt(file, raw.upper_bound, `${key}.upper_bound`) * factor,
      level: DEFAULT_LEVEL,
    },
  };
}

function throughput(file: string, raw: Json | undefined): Throughput | null {
  const first = Array.isArray(raw) ? raw[0] : undefined;
  if (!isObject(first)) return null;
  const perIteration = finiteAt(file, first.per_iteration, 'throughput[0].per_iteration');
  const kind = first.unit === 'elements' ? 'elements' : first.unit === 'bytes' ? 'bytes' : null;
  if (!kind) throw new InputError(file, `unknown throughput unit '${String(first.unit)}'`);
  return perIteration > 0 ? { kind, perIteration } : null;
}

function message(file: string, raw: Json, line: number): Benchmark | null {
  const where = (detail: string) => `${detail} (line ${line})`;
  if (!isObject(raw)) throw new InputError(file, where('expected a JSON object'));
  if (raw.reason !== 'benchmark-complete') return null;
  try {
    const id = stringAt(file, raw.id, 'id');
    const unit = stringAt(file, raw.unit, 'unit');
    // Time measurements are normalized to ns; a custom measurement keeps its own unit.
    const factor = nsFactor(unit) ?? 1;
    const iters = numbersAt(file, raw.iteration_count, 'iteration_count');
    const values = numbersAt(file, raw.measured_values, 'measured_values');
    if (iters.length !== values.length)
      throw new InputError(
        file,
        `iteration_count has ${iters.length} entries but measured_values has ${values.length}`,
      );
    const samples = values.map((v, i) => {
      const n = iters[i] ?? 0;
      if (n <= 0) throw new InputError(file, `iteration_count[${i}] is not positive`);
      return (v / n) * factor;
    });
    const typical = interval(file, raw.typical, 'typical', factor);
    return {
      id,
      ...splitId(id),
      metric: metricForUnit(nsFactor(unit) === null ? unit : 'ns'),
      source: 'cargo-criterion',
      unit: nsFactor(unit) === null ? unit : 'ns',
      direction: 'lower',
      estimates: {
        median: interval(file, raw.median, 'median', factor).estimate,
        mean: interval(file, raw.mean, 'mean', factor).estimate,
        // The messages carry no standard deviation; the samples give one.
        stdDev: estimatesFromSamples(samples).stdDev,
        ci: typical.ci,
      },
      throughput: throughput(file, raw.throughput),
      samples,
    };
  } catch (error) {
    // The field helpers know the field, not the line; add it so the user can find the message.
    if (error instanceof InputError && error.file === file) throw new InputError(file, where(detailOf(error)));
    throw error;
  }
}

export function parseCargoCriterion(file: string, text: string): Benchmark[] {
  const benchmarks: Benchmark[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = message(file, parseJson(file, line, index), index + 1);
    if (parsed) benchmarks.push(parsed);
  });
  return nonEmpty(file, benchmarks);
}
