/**
 * mitata 1.x `run({ format: 'json' })` output: `{ layout, benchmarks, context }`.
 * Each benchmark has one run per argument combination; a run's `stats` hold
 * per-iteration times in ns, and `stats.samples` the raw ones (mitata sorts
 * them and drops the two lowest and highest; `samples: false` leaves them out).
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark } from '../schema/types.ts';
import {
  estimatesFromSamples,
  finiteAt,
  isObject,
  nonEmpty,
  numbersAt,
  parseJson,
  stringAt,
  type Json,
} from './common.ts';

function optionalNumber(file: string, value: Json | undefined, path: string): number | null {
  return value === undefined ? null : finiteAt(file, value, path);
}

export function isMitata(value: Json): boolean {
  return isObject(value) && Array.isArray(value.layout) && Array.isArray(value.benchmarks) && isObject(value.context);
}

export function parseMitata(file: string, text: string): Benchmark[] {
  const doc = parseJson(file, text);
  if (!isMitata(doc) || !isObject(doc))
    throw new InputError(file, 'not mitata JSON (expected layout, benchmarks and context)');
  const layout = doc.layout as Json[];
  const benchmarks: Benchmark[] = [];
  (doc.benchmarks as Json[]).forEach((bench, b) => {
    if (!isObject(bench) || !Array.isArray(bench.runs)) throw new InputError(file, `benchmarks[${b}].runs is missing`);
    const section = typeof bench.group === 'number' ? layout[bench.group] : undefined;
    const groupName =
      isObject(section) && typeof section.name === 'string' && section.name !== '' ? section.name : null;
    bench.runs.forEach((run, r) => {
      const path = `benchmarks[${b}].runs[${r}]`;
      if (!isObject(run)) throw new InputError(file, `${path} is not an object`);
      const name = stringAt(file, run.name, `${path}.name`);
      if (!isObject(run.stats)) {
        const reason = isObject(run.error) && typeof run.error.message === 'string' ? `: ${run.error.message}` : '';
        throw new InputError(file, `benchmark '${name}' has no stats (it failed in mitata${reason})`);
      }
      const stats = run.stats;
      // run({ samples: false }) writes `samples: null`; the statistics are still there.
      const samples =
        stats.samples === null || stats.samples === undefined
          ? null
          : numbersAt(file, stats.samples, `${path}.stats.samples`);
      const min = samples ? null : optionalNumber(file, stats.min, `${path}.stats.min`);
      const max = samples ? null : optionalNumber(file, stats.max, `${path}.stats.max`);
      benchmarks.push({
        id: groupName ? `${groupName}/${name}` : name,
        group: groupName ?? name,
        function: groupName ? name : null,
        parameter: null,
        metric: 'time',
        source: 'mitata',
        unit: 'ns',
        direction: 'lower',
        estimates: {
          median: finiteAt(file, stats.p50, `${path}.stats.p50`),
          mean: finiteAt(file, stats.avg, `${path}.stats.avg`),
          stdDev: samples ? estimatesFromSamples(samples).stdDev : null,
          ci: null,
          // Without samples, max - min is the one spread left (the same kind as libtest's +/-).
          ...(min !== null && max !== null ? { spread: max - min } : {}),
        },
        throughput: null,
        samples,
      });
    });
  });
  return nonEmpty(file, benchmarks);
}
