/**
 * BenchmarkDotNet's JSON export (`[JsonExporter]`, `--exporters json`,
 * `*-report-full.json` or `*-report-brief.json`):
 *   { Title, HostEnvironmentInfo, Benchmarks: [{ FullName, Namespace, Type,
 *     Method, Parameters, Statistics: { Mean, Median, StandardDeviation,
 *     OriginalValues? }, Memory?, Measurements?, Metrics? }] }
 * Ids are `FullName` (github-action-benchmark's names). Samples are the
 * workload result stage (`IterationMode` Workload, `IterationStage` Result:
 * `Nanoseconds / Operations` per iteration), what BenchmarkDotNet's own
 * statistics are computed from; without Measurements (the brief export),
 * `Statistics.OriginalValues`, which are the same values. `Metrics` (memory
 * diagnoser, threading and other column providers) become metrics of their
 * own with their unit and `TheGreaterTheBetter` as direction.
 */
import { InputError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
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

export function isBenchmarkDotNet(doc: Json): boolean {
  if (!isObject(doc) || !Array.isArray(doc.Benchmarks)) return false;
  const first = doc.Benchmarks[0];
  return isObject(first) && ('Statistics' in first || 'FullName' in first) && typeof first.Method === 'string';
}

function text(value: Json | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function idOf(entry: JsonObject): string | null {
  const full = text(entry.FullName);
  if (full) return full;
  const parts = [text(entry.Namespace), text(entry.Type), text(entry.Method)].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  const parameters = text(entry.Parameters);
  return `${parts.join('.')}${parameters ? `(${parameters})` : ''}`;
}

/** Per-operation ns of the workload result stage, or null when the export has none. */
function resultSamples(file: string, entry: JsonObject, path: string): number[] | null {
  const fromMeasurements = Array.isArray(entry.Measurements)
    ? entry.Measurements.filter(
        (m): m is JsonObject => isObject(m) && m.IterationMode === 'Workload' && m.IterationStage === 'Result',
      ).map((m, i) => {
        const ops = finiteAt(file, m.Operations, `${path}.Measurements[Result ${i}].Operations`);
        if (ops <= 0) throw new InputError(file, `${path}.Measurements[Result ${i}].Operations is not positive`);
        return finiteAt(file, m.Nanoseconds, `${path}.Measurements[Result ${i}].Nanoseconds`) / ops;
      })
    : [];
  if (fromMeasurements.length >= 2) return fromMeasurements;
  const stats = entry.Statistics;
  const original =
    isObject(stats) && Array.isArray(stats.OriginalValues)
      ? stats.OriginalValues.map((v, i) => finiteAt(file, v, `${path}.Statistics.OriginalValues[${i}]`))
      : [];
  return original.length >= 2 ? original : null;
}

function extraMetrics(file: string, entry: JsonObject, id: string, path: string): Benchmark[] {
  if (!Array.isArray(entry.Metrics)) return [];
  return entry.Metrics.flatMap((m, i): Benchmark[] => {
    if (!isObject(m) || !isObject(m.Descriptor)) return [];
    const d = m.Descriptor;
    const name = text(d.Id) ?? text(d.DisplayName);
    if (!name) return [];
    const value = finiteAt(file, m.Value, `${path}.Metrics[${i}].Value`);
    return [
      {
        id,
        ...splitId(id),
        metric: name,
        source: 'benchmarkdotnet',
        unit: text(d.Unit) ?? text(d.Legend) ?? name,
        direction: d.TheGreaterTheBetter === true ? 'higher' : 'lower',
        estimates: { median: value, mean: value, stdDev: null, ci: null },
        throughput: null,
        samples: null,
      },
    ];
  });
}

export function readBenchmarkDotNet(file: string, textIn: string): FileOutcome {
  const doc = parseJson(file, textIn);
  if (!isObject(doc) || !Array.isArray(doc.Benchmarks))
    throw new InputError(file, 'not BenchmarkDotNet JSON (expected a "Benchmarks" list)');
  const benchmarks: Benchmark[] = [];
  const warnings: string[] = [];
  doc.Benchmarks.forEach((entry, index) => {
    const path = `Benchmarks[${index}]`;
    if (!isObject(entry)) throw new InputError(file, `${path} is not an object`);
    const id = idOf(entry);
    if (!id) throw new InputError(file, `${path} has no FullName, Namespace, Type or Method`);
    const stats = entry.Statistics;
    // A benchmark that failed to run is exported with `"Statistics": null`.
    if (!isObject(stats)) {
      warnings.push(`${file}: benchmark '${id}' has no Statistics (it did not run); left out`);
      return;
    }
    const samples = resultSamples(file, entry, path);
    benchmarks.push({
      id,
      ...splitId(id),
      metric: TIME_METRIC,
      source: 'benchmarkdotnet',
      unit: 'ns',
      direction: 'lower',
      estimates: {
        median: finiteAt(file, stats.Median, `${path}.Statistics.Median`),
        mean: finiteAt(file, stats.Mean, `${path}.Statistics.Mean`),
        stdDev: typeof stats.StandardDeviation === 'number' ? stats.StandardDeviation : null,
        ci: null,
      },
      throughput: null,
      samples,
    });
    benchmarks.push(...extraMetrics(file, entry, id, path));
  });
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
