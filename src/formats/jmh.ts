/**
 * JMH's JSON result file (`-rf json -rff out.json`): a list with one entry
 * per benchmark method, parameter set and mode:
 *   { benchmark, mode, params?, primaryMetric: { score, scoreError,
 *     scoreConfidence, scorePercentiles, scoreUnit, rawData }, secondaryMetrics }
 * Ids are github-action-benchmark's: `benchmark`, then ` ( <params as JSON> )`
 * when there are parameters. `rawData` (one list of iteration scores per fork)
 * are the samples. A score per time (`ops/s`, mode `thrpt`) is better higher;
 * a time per operation (`avgt`, `sample`, `ss`: `ns/op`...`s/op`) is the time
 * metric in ns. `scoreConfidence` is JMH's 99.9% interval of the score.
 */
import { sampleStandardDeviation } from 'simple-statistics';
import { InputError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark, Direction, Estimates } from '../schema/types.ts';
import {
  finiteAt,
  isObject,
  nonEmpty,
  nsFactor,
  parseJson,
  splitId,
  stringAt,
  type FileOutcome,
  type Json,
  type JsonObject,
} from './common.ts';

/** JMH's fixed confidence level for scoreError and scoreConfidence. */
const JMH_LEVEL = 0.999;

export function isJmh(doc: Json): boolean {
  if (!Array.isArray(doc)) return false;
  const first = doc[0];
  return isObject(first) && typeof first.benchmark === 'string' && isObject(first.primaryMetric);
}

/** `us/op` → 1000 (to ns per op); null when the unit is not a time per operation. */
function timePerOp(unit: string): number | null {
  const match = /^(.+)\/op$/.exec(unit);
  return match ? nsFactor(match[1] ?? '') : null;
}

function flatRaw(file: string, raw: Json | undefined, path: string): number[] | null {
  if (!Array.isArray(raw)) return null;
  const values = raw.flatMap((fork, f) =>
    (Array.isArray(fork) ? fork : [fork]).map((v, i) => finiteAt(file, v, `${path}.rawData[${f}][${i}]`)),
  );
  return values.length > 0 ? values : null;
}

function metricOf(
  file: string,
  raw: JsonObject,
  path: string,
  secondary: boolean,
): { unit: string; metricUnit: string; direction: Direction; estimates: Estimates; samples: number[] | null } {
  const printedUnit = stringAt(file, raw.scoreUnit, `${path}.scoreUnit`);
  const factor = timePerOp(printedUnit);
  const scale = factor ?? 1;
  const score = finiteAt(file, raw.score, `${path}.score`) * scale;
  const samples = flatRaw(file, raw.rawData, path)?.map((v) => v * scale) ?? null;
  const percentiles = isObject(raw.scorePercentiles) ? raw.scorePercentiles : {};
  const p50 = percentiles['50.0'];
  const median = typeof p50 === 'number' && Number.isFinite(p50) ? p50 * scale : score;
  const confidence = raw.scoreConfidence;
  const [lo, hi] = Array.isArray(confidence) ? confidence : [];
  const ci =
    typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi
      ? { lower: lo * scale, upper: hi * scale, level: JMH_LEVEL }
      : null;
  // A rate is better higher; JMH's secondary metrics (GC profiler's allocation rates, counts) are costs, unless they
  // count operations.
  const higher =
    factor === null && (secondary ? /^ops\//.test(printedUnit) : /\/(?:ns|us|µs|ms|s|min|hr)$/.test(printedUnit));
  return {
    unit: factor === null ? printedUnit : 'ns',
    metricUnit: printedUnit,
    direction: higher ? 'higher' : 'lower',
    estimates: {
      median,
      mean: score,
      stdDev: samples && samples.length >= 2 ? sampleStandardDeviation(samples) : null,
      ci,
    },
    samples: samples && samples.length >= 2 ? samples : null,
  };
}

export function readJmh(file: string, text: string): FileOutcome {
  const doc = parseJson(file, text);
  if (!Array.isArray(doc)) throw new InputError(file, 'not JMH JSON (expected a list of benchmark results)');
  const benchmarks: Benchmark[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  doc.forEach((entry, index) => {
    const path = `[${index}]`;
    if (!isObject(entry)) throw new InputError(file, `${path} is not an object`);
    const name = stringAt(file, entry.benchmark, `${path}.benchmark`);
    const mode = typeof entry.mode === 'string' ? entry.mode : '';
    const id = isObject(entry.params) ? `${name} ( ${JSON.stringify(entry.params)} )` : name;
    if (!isObject(entry.primaryMetric)) throw new InputError(file, `missing ${path}.primaryMetric for '${id}'`);
    const metrics: [string, JsonObject, string, boolean][] = [
      ['', entry.primaryMetric, `${path}.primaryMetric`, false],
    ];
    if (isObject(entry.secondaryMetrics)) {
      for (const [key, value] of Object.entries(entry.secondaryMetrics)) {
        if (isObject(value)) metrics.push([key.replace(/^·/, ''), value, `${path}.secondaryMetrics["${key}"]`, true]);
      }
    }
    for (const [secondaryName, raw, at, secondary] of metrics) {
      const m = metricOf(file, raw, at, secondary);
      let metric = secondary ? secondaryName : m.unit === 'ns' ? TIME_METRIC : m.metricUnit;
      // `-bm all` runs one method in every mode: the later time modes are named by theirs.
      if (seen.has(`${id}\u0000${metric}`)) metric = `${metric} (${mode})`;
      if (seen.has(`${id}\u0000${metric}`)) {
        warnings.push(`${file}: ${at} repeats '${id}' [${metric}]; left out`);
        continue;
      }
      seen.add(`${id}\u0000${metric}`);
      benchmarks.push({
        id,
        ...splitId(id),
        metric,
        source: 'jmh',
        unit: m.unit,
        direction: m.direction,
        estimates: m.estimates,
        throughput: null,
        samples: m.samples,
      });
    }
  });
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
