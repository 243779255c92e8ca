/**
 * pytest-benchmark JSON (`--benchmark-json FILE`, or the files `--benchmark-save`
 * writes under .benchmarks/): `{ machine_info, commit_info, benchmarks: [{ group,
 * name, fullname, param, stats: { min, max, mean, stddev, median, rounds, data? } }] }`.
 * Times are seconds per iteration. `stats.data` (always in `--benchmark-json`,
 * in saved files only with `--benchmark-save-data`) holds each round's time per
 * iteration: those are the samples.
 */
import { InputError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
import {
  finiteAt,
  isObject,
  nonEmpty,
  parseJson,
  stringAt,
  type FileOutcome,
  type Json,
  type JsonObject,
} from './common.ts';

const NS_PER_S = 1e9;

export function isPytestBenchmark(value: Json): boolean {
  if (!isObject(value) || !isObject(value.machine_info) || !Array.isArray(value.benchmarks)) return false;
  const first = value.benchmarks[0];
  return isObject(first) && isObject(first.stats) && typeof first.fullname === 'string';
}

/** The rounds as samples, or why they cannot be (a trimmed or damaged `data` list). */
function samplesOf(stats: JsonObject, rounds: number): { samples: number[] | null; problem: string | null } {
  const data = stats.data;
  if (data === undefined || data === null) return { samples: null, problem: null };
  if (!Array.isArray(data)) return { samples: null, problem: 'stats.data is not a list' };
  const numbers = data.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length !== data.length)
    return { samples: null, problem: `stats.data has ${data.length - numbers.length} entries that are not numbers` };
  if (numbers.length !== rounds)
    return { samples: null, problem: `stats.data has ${numbers.length} entries for ${rounds} rounds` };
  return { samples: numbers.map((s) => s * NS_PER_S), problem: null };
}

function entry(file: string, raw: Json, index: number, warnings: string[]): Benchmark {
  const path = `benchmarks[${index}]`;
  if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
  const id = stringAt(file, raw.fullname, `${path}.fullname`);
  const stats = raw.stats;
  if (!isObject(stats)) throw new InputError(file, `missing ${path}.stats for '${id}'`);
  const at = (key: string) => finiteAt(file, stats[key], `${path}.stats.${key}`) * NS_PER_S;
  const rounds = finiteAt(file, stats.rounds, `${path}.stats.rounds`);
  const { samples, problem } = samplesOf(stats, rounds);
  if (problem) warnings.push(`${file}: '${id}': ${problem}, so its samples are left out (the statistics are used)`);
  const name = typeof raw.name === 'string' ? raw.name : id;
  const param = typeof raw.param === 'string' && raw.param !== '' ? raw.param : null;
  return {
    id,
    // The test's module (or its pytest-benchmark group), the test function, its parametrization.
    group: typeof raw.group === 'string' && raw.group !== '' ? raw.group : (id.split('::')[0] ?? id),
    function: param === null ? name : name.replace(/\[.*\]$/, ''),
    parameter: param,
    metric: TIME_METRIC,
    source: 'pytest-benchmark',
    unit: 'ns',
    direction: 'lower',
    estimates: { median: at('median'), mean: at('mean'), stdDev: rounds > 1 ? at('stddev') : null, ci: null },
    throughput: null,
    samples,
  };
}

export function readPytestBenchmark(file: string, text: string): FileOutcome {
  const doc = parseJson(file, text);
  if (!isObject(doc) || !Array.isArray(doc.benchmarks))
    throw new InputError(file, 'not pytest-benchmark JSON (expected a "benchmarks" list)');
  const warnings: string[] = [];
  const benchmarks = doc.benchmarks.map((raw, i) => entry(file, raw, i, warnings));
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
