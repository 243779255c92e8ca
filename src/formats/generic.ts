/**
 * bench-action's generic JSON, for any source without an adapter:
 *   { "benchmarks": [ { "id": "parse/small", "unit": "ms", "samples": [1.2, 1.3] },
 *                     { "id": "rps", "unit": "req/s", "direction": "higher", "value": 5400 } ] }
 * Keys: id, unit (required); value and/or samples (at least one);
 * direction, throughput (optional). Time units s/ms/us/ns become ns.
 * Unknown keys are rejected so that a typo cannot silently drop data.
 */
import { metricForUnit } from '../schema/metric.ts';
import { InputError } from '../common/errors.ts';
import type { Benchmark, Direction, Throughput } from '../schema/types.ts';
import {
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  nsFactor,
  numbersAt,
  parseJson,
  scale,
  splitId,
  stringAt,
  type Json,
} from './common.ts';

const KEYS = new Set(['id', 'unit', 'direction', 'value', 'samples', 'throughput']);

/** A `benchmarks` list whose first entry has an `id` (or no entries: that error is clearer here). */
export function isGeneric(value: Json): boolean {
  if (!isObject(value) || !Array.isArray(value.benchmarks) || 'schemaVersion' in value) return false;
  const first = value.benchmarks[0];
  return first === undefined || (isObject(first) && 'id' in first);
}

function direction(file: string, raw: Json | undefined, path: string, isTime: boolean): Direction {
  if (raw === 'lower' || raw === 'higher') return raw;
  if (raw === undefined && isTime) return 'lower';
  if (raw === undefined)
    throw new InputError(file, `${path}.direction is required for a unit that is not time ('lower' or 'higher')`);
  throw new InputError(file, `${path}.direction must be 'lower' or 'higher'`);
}

function throughput(file: string, raw: Json | undefined, path: string): Throughput | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw) || (raw.kind !== 'elements' && raw.kind !== 'bytes')) {
    throw new InputError(file, `${path}.throughput must be {"kind": "elements"|"bytes", "perIteration": n}`);
  }
  const perIteration = finiteAt(file, raw.perIteration, `${path}.throughput.perIteration`);
  if (perIteration <= 0) throw new InputError(file, `${path}.throughput.perIteration must be positive`);
  return { kind: raw.kind, perIteration };
}

function entry(file: string, raw: Json, index: number): Benchmark {
  const path = `benchmarks[${index}]`;
  if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
  const unknown = Object.keys(raw).find((k) => !KEYS.has(k));
  if (unknown !== undefined)
    throw new InputError(file, `${path} has unknown key '${unknown}' (allowed: ${[...KEYS].join(', ')})`);
  const id = stringAt(file, raw.id, `${path}.id`);
  const unit = stringAt(file, raw.unit, `${path}.unit`);
  const factor = nsFactor(unit);
  const samples =
    raw.samples === undefined || raw.samples === null
      ? null
      : scale(numbersAt(file, raw.samples, `${path}.samples`), factor ?? 1);
  const value = raw.value === undefined ? null : finiteAt(file, raw.value, `${path}.value`) * (factor ?? 1);
  if (samples === null && value === null) throw new InputError(file, `${path} ('${id}') needs a value or samples`);
  // `value` is the source's own typical figure, so it wins over the samples' median.
  const fromSamples = samples
    ? estimatesFromSamples(samples)
    : { median: value ?? 0, mean: value ?? 0, stdDev: null, ci: null };
  return {
    id,
    ...splitId(id),
    metric: metricForUnit(factor === null ? unit : 'ns'),
    source: 'generic',
    unit: factor === null ? unit : 'ns',
    direction: direction(file, raw.direction, path, factor !== null),
    estimates: { ...fromSamples, median: value ?? fromSamples.median },
    throughput: throughput(file, raw.throughput, path),
    samples,
  };
}

export function parseGeneric(file: string, text: string): Benchmark[] {
  const doc = parseJson(file, text);
  if (!isGeneric(doc) || !isObject(doc))
    throw new InputError(file, 'not generic benchmark JSON (expected a "benchmarks" array)');
  return nonEmpty(
    file,
    (doc.benchmarks as Json[]).map((raw, i) => entry(file, raw, i)),
  );
}
