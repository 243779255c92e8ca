/**
 * critcmp `--export NAME` JSON: one saved Criterion baseline,
 *   { "name": "<baseline>", "benchmarks": { "<id>": { "baseline", "fullname",
 *     "criterion_benchmark_v1": <benchmark.json>, "criterion_estimates_v1": <estimates.json> } } }
 * critcmp copies Criterion's own files into it, so both parts are read exactly
 * as in a Criterion directory; the export holds no samples.
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark } from '../schema/types.ts';
import { isObject, nonEmpty, parseJson, type Json } from './common.ts';
import { benchmarkInfo, criterionBenchmark, criterionEstimates } from './criterion.ts';

/**
 * critcmp writes throughput as its own struct, `{"Bytes": 1024, "Elements": null}`;
 * Criterion's enum has only the one that is set.
 */
function withCriterionThroughput(info: Json): Json {
  if (!isObject(info) || !isObject(info.throughput)) return info;
  const set = Object.entries(info.throughput).filter(([, v]) => v !== null);
  return { ...info, throughput: set.length === 0 ? null : Object.fromEntries(set) };
}

export function isCritcmp(doc: Json): boolean {
  if (!isObject(doc) || typeof doc.name !== 'string' || !isObject(doc.benchmarks)) return false;
  const first = Object.values(doc.benchmarks)[0];
  return isObject(first) && 'criterion_estimates_v1' in first;
}

export function parseCritcmp(file: string, text: string): Benchmark[] {
  const doc = parseJson(file, text);
  if (!isObject(doc) || !isObject(doc.benchmarks))
    throw new InputError(file, 'not a critcmp export (expected a "benchmarks" object)');
  return nonEmpty(
    file,
    Object.entries(doc.benchmarks).map(([key, entry]): Benchmark => {
      const at = `benchmarks["${key}"]`;
      if (!isObject(entry)) throw new InputError(file, `${at} is not an object`);
      try {
        const info = benchmarkInfo(file, withCriterionThroughput(entry.criterion_benchmark_v1 ?? null));
        return criterionBenchmark(info, criterionEstimates(file, entry.criterion_estimates_v1 ?? null), null);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(file, `${at}: ${error.message.slice(file.length + 2)}`);
      }
    }),
  );
}
