/**
 * Bencher Metric Format (BMF) JSON, what `bencher run --adapter json` reads:
 *   { "<benchmark>": { "<measure>": { "value": n, "lower_value"?: n, "upper_value"?: n } } }
 * One benchmark per (name, measure). Bencher's built-in `latency` measure is
 * nanoseconds (our time metric); `throughput` is operations per second (higher
 * is better); any other measure (`instructions`, `file-size`, ...) keeps its
 * slug as metric and unit and is read as lower is better, since BMF does not
 * say. There are no samples.
 */
import { InputError } from '../common/errors.ts';
import { INSTRUCTIONS_METRIC, TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark, Direction } from '../schema/types.ts';
import {
  finiteAt,
  isObject,
  nonEmpty,
  parseJson,
  splitId,
  type FileOutcome,
  type Json,
  type JsonObject,
} from './common.ts';

export function isBmf(value: Json): boolean {
  if (!isObject(value)) return false;
  const benches = Object.values(value);
  return (
    benches.length > 0 &&
    benches.every(
      (measures) =>
        isObject(measures) &&
        Object.values(measures).length > 0 &&
        Object.values(measures).every((m) => isObject(m) && typeof m.value === 'number'),
    )
  );
}

const MEASURES: Readonly<Record<string, { metric: string; unit: string; direction: Direction }>> = {
  latency: { metric: TIME_METRIC, unit: 'ns', direction: 'lower' },
  throughput: { metric: 'throughput', unit: 'ops/s', direction: 'higher' },
  instructions: { metric: INSTRUCTIONS_METRIC, unit: 'instructions', direction: 'lower' },
};

function measure(file: string, id: string, slug: string, raw: JsonObject, warnings: string[]): Benchmark {
  const path = `${JSON.stringify(id)}.${slug}`;
  const value = finiteAt(file, raw.value, `${path}.value`);
  const lower = raw.lower_value === undefined ? null : finiteAt(file, raw.lower_value, `${path}.lower_value`);
  const upper = raw.upper_value === undefined ? null : finiteAt(file, raw.upper_value, `${path}.upper_value`);
  // Bencher's bounds are the tool's own, of no stated kind: kept as a spread when they enclose the value.
  let spread: number | null = null;
  if (lower !== null && upper !== null) {
    if (lower <= value && value <= upper) spread = upper - lower;
    else
      warnings.push(
        `${file}: ${path}: lower_value ${lower} and upper_value ${upper} do not enclose value ${value}; the bounds are left out`,
      );
  }
  const known = MEASURES[slug] ?? { metric: slug, unit: slug, direction: 'lower' as const };
  return {
    id,
    ...splitId(id),
    metric: known.metric,
    source: 'bmf',
    unit: known.unit,
    direction: known.direction,
    estimates: { median: value, mean: value, stdDev: null, ci: null, ...(spread !== null ? { spread } : {}) },
    throughput: null,
    samples: null,
  };
}

export function readBmf(file: string, text: string): FileOutcome {
  const doc = parseJson(file, text);
  if (!isObject(doc))
    throw new InputError(
      file,
      'not Bencher Metric Format JSON (expected {"<benchmark>": {"<measure>": {"value": n}}})',
    );
  const warnings: string[] = [];
  const benchmarks: Benchmark[] = [];
  for (const [id, measures] of Object.entries(doc)) {
    if (!isObject(measures)) throw new InputError(file, `${JSON.stringify(id)} is not an object of measures`);
    for (const [slug, raw] of Object.entries(measures)) {
      if (!isObject(raw)) throw new InputError(file, `${JSON.stringify(id)}.${slug} is not an object with a value`);
      benchmarks.push(measure(file, id, slug, raw, warnings));
    }
  }
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
