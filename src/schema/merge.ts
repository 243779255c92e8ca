import { InputError } from '../common/errors.ts';
import { benchmarkKey } from './metric.ts';
import { SCHEMA_VERSION, type Results, type RunMeta } from './types.ts';

export interface NamedResults {
  /** Where these results came from, for error messages. */
  origin: string;
  results: Results;
}

/**
 * One results document from several sources (Criterion + the Node suite):
 * benchmarks, pairs and checks concatenated under one run's metadata; one id
 * may come once per metric (Criterion's time and gungraun's instructions). The
 * versions of every part are kept (later parts fill in what earlier ones lack).
 * Pure.
 */
export function mergeResults(parts: readonly NamedResults[], run: RunMeta): Results {
  const seen = new Map<string, string>();
  const merged: Results = {
    schemaVersion: SCHEMA_VERSION,
    run: { ...run, versions: { ...run.versions } },
    benchmarks: [],
  };
  for (const { origin, results } of parts) {
    for (const benchmark of results.benchmarks) {
      const key = benchmarkKey(benchmark);
      const first = seen.get(key);
      if (first !== undefined) {
        throw new InputError(origin, `benchmark '${key}' is also in ${first}; give each input its own benchmark ids`);
      }
      seen.set(key, origin);
      merged.benchmarks.push(benchmark);
    }
    merged.run.versions = { ...results.run.versions, ...merged.run.versions };
    if (results.pairs?.length) merged.pairs = [...(merged.pairs ?? []), ...results.pairs];
    if (results.checks?.length) merged.checks = [...(merged.checks ?? []), ...results.checks];
  }
  return merged;
}

/** One part is kept as it is, metadata and all; several are merged under `run()`. */
export function combineResults(parts: readonly NamedResults[], run: () => RunMeta): Results {
  const [only] = parts;
  if (parts.length === 1 && only) return only.results;
  return mergeResults(parts, run());
}
