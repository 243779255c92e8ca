/**
 * Criterion.rs output directories (`target/criterion`). Only the current run
 * (`<bench>/new/`) is read: `base/`, `change/`, `report/` and other saved
 * baselines describe other runs. Both the lowercase estimate keys (0.3 and
 * later) and the PascalCase ones of 0.2 are accepted.
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark, Estimates, Interval, Throughput } from '../schema/types.ts';
import { finiteAt, isObject, nonEmpty, numbersAt, parseJson, type Json, type JsonObject } from './common.ts';

const CURRENT_FILE = /(?:^|\/)new\/(?:benchmark|estimates|sample)\.json$/;

/** True for the files the Criterion adapter reads, so a loader can skip the rest. */
export function isCriterionFile(relativePath: string): boolean {
  return CURRENT_FILE.test(relativePath.replaceAll('\\', '/'));
}

function join(dir: string, rel: string): string {
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

/** Reads `key` or its PascalCase spelling (Criterion 0.2 used e.g. `Mean`, `StdDev`). */
function field(object: JsonObject, key: string): Json | undefined {
  if (key in object) return object[key];
  const pascal = key.replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase());
  return object[pascal];
}

interface Estimate {
  point: number;
  ci: Interval;
}

function estimate(file: string, estimates: JsonObject, key: string): Estimate | null {
  const raw = field(estimates, key);
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw new InputError(file, `${key} is not an object`);
  const point = finiteAt(file, raw.point_estimate, `${key}.point_estimate`);
  const interval = raw.confidence_interval;
  if (!isObject(interval)) throw new InputError(file, `missing ${key}.confidence_interval`);
  return {
    point,
    ci: {
      lower: finiteAt(file, interval.lower_bound, `${key}.confidence_interval.lower_bound`),
      upper: finiteAt(file, interval.upper_bound, `${key}.confidence_interval.upper_bound`),
      level: finiteAt(file, interval.confidence_level, `${key}.confidence_interval.confidence_level`),
    },
  };
}

function required(file: string, estimates: JsonObject, key: string): Estimate {
  const value = estimate(file, estimates, key);
  if (!value) throw new InputError(file, `missing ${key}`);
  return value;
}

/** Criterion serializes `Throughput` as an externally tagged enum: `{"Bytes": 1024}`. */
function throughput(file: string, raw: Json | undefined): Throughput | null {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new InputError(file, 'throughput is not an object');
  const [tag, amount] = Object.entries(value)[0] ?? [];
  if (tag === 'ElementsAndBytes' && isObject(amount)) {
    return { kind: 'elements', perIteration: finiteAt(file, amount.elements, 'throughput.ElementsAndBytes.elements') };
  }
  const kind = tag === 'Elements' ? 'elements' : tag === 'Bytes' || tag === 'BytesDecimal' ? 'bytes' : null;
  if (!kind) throw new InputError(file, `unknown throughput kind '${String(tag)}'`);
  const perIteration = finiteAt(file, amount, `throughput.${tag}`);
  return perIteration > 0 ? { kind, perIteration } : null;
}

/** Per-iteration times: each sample is `times[i]` ns spent on `iters[i]` iterations. */
function samples(file: string, sample: Json): number[] {
  // 0.3+ writes {sampling_mode, iters, times}; 0.2 wrote the (iters, times) tuple as an array.
  const iters = Array.isArray(sample) ? sample[0] : isObject(sample) ? sample.iters : undefined;
  const times = Array.isArray(sample) ? sample[1] : isObject(sample) ? sample.times : undefined;
  const n = numbersAt(file, iters, 'iters');
  const t = numbersAt(file, times, 'times');
  if (n.length !== t.length) throw new InputError(file, `iters has ${n.length} entries but times has ${t.length}`);
  return t.map((time, i) => {
    const count = n[i] ?? 0;
    if (count <= 0) throw new InputError(file, `iters[${i}] is not positive`);
    return time / count;
  });
}

function optionalString(file: string, info: JsonObject, key: string): string | null {
  const value = info[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InputError(file, `${key} is not a string`);
  return value;
}

/** What a Criterion `benchmark.json` (or critcmp's `criterion_benchmark_v1`) says about a benchmark. */
/** What a Criterion `benchmark.json` (or critcmp's `criterion_benchmark_v1`) says about a benchmark. */
export type CriterionInfo = Pick<Benchmark, 'id' | 'group' | 'function' | 'parameter' | 'throughput'>;

/**
 * The wall-time Benchmark of one Criterion run: a directory's `new/`, or a critcmp export's entry (which keeps no
 * samples).
 */
export function criterionBenchmark(info: CriterionInfo, estimates: Estimates, samples: number[] | null): Benchmark {
  return {
    id: info.id,
    group: info.group,
    function: info.function,
    parameter: info.parameter,
    metric: 'time',
    source: 'criterion',
    unit: 'ns',
    direction: 'lower',
    estimates,
    throughput: info.throughput,
    samples,
  };
}

export function benchmarkInfo(file: string, info: Json): CriterionInfo {
  if (!isObject(info)) throw new InputError(file, 'expected a JSON object');
  const group = optionalString(file, info, 'group_id');
  if (!group) throw new InputError(file, 'missing group_id');
  const fn = optionalString(file, info, 'function_id');
  const parameter = optionalString(file, info, 'value_str');
  const id = optionalString(file, info, 'full_id') ?? [group, fn, parameter].filter((p) => p !== null).join('/');
  return { id, group, function: fn, parameter, throughput: throughput(file, info.throughput) };
}

/** A Criterion `estimates.json` (or critcmp's `criterion_estimates_v1`) as estimates. */
export function criterionEstimates(file: string, estimates: Json): Estimates {
  if (!isObject(estimates)) throw new InputError(file, 'expected a JSON object');
  const mean = required(file, estimates, 'mean');
  const median = required(file, estimates, 'median');
  const stdDev = estimate(file, estimates, 'std_dev');
  // Criterion's headline interval is the slope's under linear sampling; flat sampling has no slope.
  const slope = estimate(file, estimates, 'slope');
  return { median: median.point, mean: mean.point, stdDev: stdDev?.point ?? null, ci: (slope ?? mean).ci };
}

function readOne(dir: string, files: ReadonlyMap<string, string>, benchDir: string): Benchmark {
  const path = (name: string) => `${benchDir}new/${name}`;
  const infoFile = join(dir, path('benchmark.json'));
  const info = benchmarkInfo(infoFile, parseJson(infoFile, files.get(path('benchmark.json')) ?? ''));
  const text = (name: string): { file: string; text: string } => {
    const found = files.get(path(name));
    if (found === undefined) throw new InputError(dir, `missing ${path(name)} for benchmark '${info.id}'`);
    return { file: join(dir, path(name)), text: found };
  };
  const est = text('estimates.json');
  const estimates = criterionEstimates(est.file, parseJson(est.file, est.text));
  const smp = text('sample.json');
  return criterionBenchmark(info, estimates, samples(smp.file, parseJson(smp.file, smp.text)));
}

/**
 * Parses every benchmark of a Criterion output directory.
 * `files` maps paths relative to `dir` ('/'-separated) to their text; only
 * the current-run files are looked at (see isCriterionFile).
 */
export function parseCriterion(dir: string, files: ReadonlyMap<string, string>): Benchmark[] {
  const benchDirs = [...files.keys()]
    .map((rel) => /^(.*)new\/benchmark\.json$/.exec(rel))
    .filter((m): m is RegExpExecArray => m !== null && (m[1] === '' || m[1]!.endsWith('/')))
    .map((m) => m[1]!)
    .sort();
  if (benchDirs.length === 0) {
    throw new InputError(dir, 'no Criterion benchmarks found (expected <benchmark>/new/benchmark.json below it)');
  }
  const benchmarks = benchDirs.map((benchDir) => readOne(dir, files, benchDir));
  return nonEmpty(
    dir,
    benchmarks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
}
