/**
 * tinybench (6.x) results as a benchmark script serializes them (see
 * docs/formats.md):
 *   { "tinybench": [ { "name": "parse/small", "state": "completed",
 *                      "latency": { "samples": [ms, ...], "p50": ms, "mean": ms, "sd": ms, "moe": ms } } ] }
 * i.e. `bench.tasks.map(({ name, result }) => ({ name, ...result }))` with
 * or without `retainSamples` (then only the statistics). Latency is in milliseconds; it becomes ns here.
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark, Estimates } from '../schema/types.ts';
import {
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  numbersAt,
  parseJson,
  scale,
  splitId,
  stringAt,
  type Json,
  type JsonObject,
} from './common.ts';

const NS_PER_MS = 1e6;
/** tinybench's `moe` is the half-width of a two-sided 95% interval for the mean. */
const MOE_LEVEL = 0.95;

export function isTinybench(value: Json): boolean {
  return isObject(value) && Array.isArray(value.tinybench);
}

function optional(file: string, latency: JsonObject, key: string, path: string): number | null {
  return latency[key] === undefined ? null : finiteAt(file, latency[key], `${path}.${key}`) * NS_PER_MS;
}

function task(file: string, raw: Json, index: number): Benchmark {
  const path = `tinybench[${index}]`;
  if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
  const name = stringAt(file, raw.name, `${path}.name`);
  if (raw.state !== undefined && raw.state !== 'completed') {
    throw new InputError(file, `task '${name}' did not complete (state ${JSON.stringify(raw.state)})`);
  }
  const latency = raw.latency;
  if (!isObject(latency)) throw new InputError(file, `missing ${path}.latency for task '${name}'`);
  // Without retainSamples (tinybench's default) only the statistics are there.
  const samples =
    latency.samples === undefined
      ? null
      : scale(numbersAt(file, latency.samples, `${path}.latency.samples`), NS_PER_MS);
  const computed = samples ? estimatesFromSamples(samples) : null;
  const needed = (key: string, value: number | null | undefined): number => {
    if (value === null || value === undefined)
      throw new InputError(file, `task '${name}' has neither latency.samples nor latency.${key}`);
    return value;
  };
  const mean = optional(file, latency, 'mean', `${path}.latency`) ?? needed('mean', computed?.mean);
  const moe = optional(file, latency, 'moe', `${path}.latency`);
  const estimates: Estimates = {
    median: optional(file, latency, 'p50', `${path}.latency`) ?? needed('p50', computed?.median),
    mean,
    stdDev: optional(file, latency, 'sd', `${path}.latency`) ?? computed?.stdDev ?? null,
    ci: moe === null ? null : { lower: mean - moe, upper: mean + moe, level: MOE_LEVEL },
  };
  return {
    id: name,
    ...splitId(name),
    metric: 'time',
    source: 'tinybench',
    unit: 'ns',
    direction: 'lower',
    estimates,
    throughput: null,
    samples,
  };
}

export function parseTinybench(file: string, text: string): Benchmark[] {
  const doc = parseJson(file, text);
  if (!isObject(doc) || !Array.isArray(doc.tinybench))
    throw new InputError(file, 'not tinybench JSON (expected a "tinybench" array)');
  return nonEmpty(
    file,
    doc.tinybench.map((raw, i) => task(file, raw, i)),
  );
}
