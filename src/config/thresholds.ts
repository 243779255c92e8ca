import type { ErrorObject } from 'ajv/dist/2020.js';
import type { MuteRule, ThresholdRule } from '../compare/types.ts';
import { InputError } from '../common/errors.ts';
import { parseJson } from '../formats/common.ts';
import { compiledOnce } from '../schema/compile.ts';
import schema from '../schema/thresholds.schema.json' with { type: 'json' };

export { schema as thresholdsSchema };

/**
 * The thresholds file (src/schema/thresholds.schema.json): per-benchmark
 * overrides by glob, in percent, first match wins.
 *   { "default": 10, "overrides": [{ "pattern": "cache_concurrent_*\/**", "threshold": 25 }],
 *     "controls": ["cache_*\/moka"] }
 *   An override may name its metric ({"pattern": "opa_*\/**", "metric": "instructions", "threshold": 3});
 *   one without a metric is for wall time.
 * Pure: text in, fractions out.
 */
export interface ThresholdsFile {
  /** Fraction; null keeps the threshold input / --threshold. */
  default: number | null;
  overrides: ThresholdRule[];
  /** Globs of control benchmarks (compare/controls.ts). */
  controls: string[];
  /** Benchmarks shown but never failing, expired ones included (analyze.ts leaves those out). */
  mutes: MuteRule[];
}

/** The file as the schema describes it, in percent. */
interface RawThresholds {
  default?: number;
  overrides?: { pattern: string; threshold: number; metric?: string }[];
  controls?: string[];
  mute?: { pattern: string; reason: string; until?: string; metric?: string }[];
}

const validator = compiledOnce(schema);

function describe(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as { additionalProperty?: unknown; missingProperty?: unknown };
  if (error.keyword === 'additionalProperties') {
    const allowed =
      path === '/'
        ? "'default', 'overrides', 'mute' and 'controls'"
        : /^\/mute/.test(path)
          ? "'pattern', 'reason', 'until' and 'metric'"
          : "'pattern', 'threshold' and 'metric'";
    return `unknown key '${String(params.additionalProperty)}' at ${path}; expected ${allowed}`;
  }
  if (/^\/mute\/\d+\/until$/.test(path)) return `${path} must be a date, YYYY-MM-DD (the last day the mute holds)`;
  if (/^\/mute\/\d+$/.test(path) && error.keyword === 'required')
    return `${path} needs '${String(params.missingProperty)}': a mute says why ({"pattern": "group/*", "reason": "noisy on shared runners"})`;
  if (/^\/mute\/\d+\/reason$/.test(path)) return `${path} must say why the benchmark is muted`;
  if (/^\/controls/.test(path))
    return `${path}: 'controls' must be an array of benchmark-id globs, e.g. ["cache_*/moka"]`;
  if (
    error.keyword === 'minimum' ||
    error.keyword === 'maximum' ||
    (error.keyword === 'type' && /\/(default|threshold)$/.test(path))
  ) {
    return `${path} must be a percentage from 0 to 1000`;
  }
  return `${path} ${error.message ?? error.keyword}`;
}

export function parseThresholdsFile(file: string, text: string): ThresholdsFile {
  const data = parseJson(file, text);
  const validate = validator();
  if (!validate(data)) {
    const [first] = validate.errors ?? [];
    const detail = first ? describe(first) : 'invalid';
    const example = first?.instancePath ? '' : ' (e.g. {"overrides": [{"pattern": "group/*", "threshold": 15}]})';
    throw new InputError(file, `does not match the thresholds schema: ${detail}${example}`);
  }
  const raw = data as RawThresholds;
  return {
    default: raw.default === undefined ? null : raw.default / 100,
    overrides: (raw.overrides ?? []).map(({ pattern, threshold, metric }) => ({
      pattern,
      threshold: threshold / 100,
      ...(metric !== undefined ? { metric } : {}),
    })),
    controls: (raw.controls ?? []).map((glob) => glob.trim()),
    mutes: (raw.mute ?? []).map((rule, i) => ({
      pattern: rule.pattern,
      reason: rule.reason.trim(),
      until: rule.until === undefined ? null : realDate(file, `/mute/${i}/until`, rule.until),
      ...(rule.metric !== undefined ? { metric: rule.metric } : {}),
    })),
  };
}

/** A YYYY-MM-DD that names a real day (the schema checks only the shape). */
function realDate(file: string, path: string, text: string): string {
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    throw new InputError(file, `${path} is not a date: '${text}' (YYYY-MM-DD)`);
  return text;
}
