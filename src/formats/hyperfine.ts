/**
 * hyperfine `--export-json FILE`: `{ results: [{ command, mean, stddev, median,
 * min, max, times: [s, ...], parameters? }] }`. One benchmark per command; each
 * run's wall time (`times`, seconds) is a sample.
 */
import { InputError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
import {
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  numbersAt,
  parseJson,
  scale,
  stringAt,
  type Json,
} from './common.ts';

const NS_PER_S = 1e9;

export function isHyperfine(value: Json): boolean {
  if (!isObject(value) || !Array.isArray(value.results)) return false;
  const first = value.results[0];
  return isObject(first) && typeof first.command === 'string' && ('times' in first || 'mean' in first);
}

function result(file: string, raw: Json, index: number): Benchmark {
  const path = `results[${index}]`;
  if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
  const id = stringAt(file, raw.command, `${path}.command`);
  const samples = raw.times === undefined ? null : scale(numbersAt(file, raw.times, `${path}.times`), NS_PER_S);
  const computed = samples ? estimatesFromSamples(samples) : null;
  const at = (key: string) =>
    raw[key] === undefined || raw[key] === null ? null : finiteAt(file, raw[key], `${path}.${key}`) * NS_PER_S;
  const mean = at('mean') ?? computed?.mean;
  const median = at('median') ?? computed?.median;
  if (mean === undefined || median === undefined)
    throw new InputError(file, `${path} ('${id}') has neither times nor mean and median`);
  // `-P n 1 3` runs one command template per value; the parameters tell the runs apart.
  const parameters = isObject(raw.parameters)
    ? Object.entries(raw.parameters).map(([k, v]) => `${k}=${String(v)}`)
    : [];
  return {
    id,
    group: id,
    function: null,
    parameter: parameters.length > 0 ? parameters.join(',') : null,
    metric: TIME_METRIC,
    source: 'hyperfine',
    unit: 'ns',
    direction: 'lower',
    estimates: { median, mean, stdDev: at('stddev') ?? computed?.stdDev ?? null, ci: null },
    throughput: null,
    samples,
  };
}

export function parseHyperfine(file: string, text: string): Benchmark[] {
  const doc = parseJson(file, text);
  if (!isObject(doc) || !Array.isArray(doc.results))
    throw new InputError(file, 'not hyperfine JSON (expected a "results" list)');
  return nonEmpty(
    file,
    doc.results.map((raw, i) => result(file, raw, i)),
  );
}
