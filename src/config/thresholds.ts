import type { ThresholdRule } from '../compare/types.ts';
import { InputError } from '../errors.ts';
import { parseJson, type Json } from '../formats/common.ts';

/**
 * The thresholds file: per-benchmark overrides by glob, in percent, first match wins.
 *   { "default": 10, "overrides": [{ "pattern": "cache_concurrent_*\/**", "threshold": 25 }] }
 * Pure: text in, fractions out.
 */
export interface ThresholdsFile {
  /** Fraction; null keeps the threshold input / --threshold. */
  default: number | null;
  overrides: ThresholdRule[];
}

function percent(file: string, value: Json | undefined, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1000) {
    throw new InputError(file, `${where} must be a percentage from 0 to 1000`);
  }
  return value / 100;
}

export function parseThresholdsFile(file: string, text: string): ThresholdsFile {
  const data = parseJson(file, text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(file, 'expected an object like {"overrides": [{"pattern": "group/*", "threshold": 15}]}');
  }
  const unknown = Object.keys(data).filter((key) => key !== 'default' && key !== 'overrides' && key !== '$schema');
  if (unknown.length > 0) throw new InputError(file, `unknown key '${unknown[0]}'; expected 'default' and 'overrides'`);
  const overrides = data.overrides ?? [];
  if (!Array.isArray(overrides)) throw new InputError(file, "'overrides' must be an array");
  return {
    default: data.default === undefined ? null : percent(file, data.default, "'default'"),
    overrides: overrides.map((rule, i) => {
      if (typeof rule !== 'object' || rule === null || Array.isArray(rule) || typeof rule.pattern !== 'string' || rule.pattern === '') {
        throw new InputError(file, `overrides[${i}] needs a non-empty "pattern" and a "threshold" in percent`);
      }
      return { pattern: rule.pattern, threshold: percent(file, rule.threshold, `overrides[${i}].threshold`) };
    }),
  };
}
