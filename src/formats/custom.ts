/**
 * github-action-benchmark's custom JSON (its `tool: customSmallerIsBetter` and
 * `customBiggerIsBetter`): `[{ name, unit, value, range?, extra? }]`. The file
 * does not say which way is better; that came from the tool name, and here it
 * comes from the format name (`--format customBiggerIsBetter`). Detected
 * without one, a time or rate unit decides; anything else is read as smaller
 * is better with a warning.
 */
import { InputError } from '../common/errors.ts';
import { metricForUnit } from '../schema/metric.ts';
import type { Benchmark, Direction } from '../schema/types.ts';
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
} from './common.ts';

export function isCustomJson(value: Json): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value[0];
  return isObject(first) && typeof first.name === 'string' && typeof first.unit === 'string' && 'value' in first;
}

/**
 * `range` is free text in github-action-benchmark ("5%", "3", "± 0.5"); a number or a percentage becomes the spread.
 */
function spreadOf(range: Json | undefined, value: number): number | null {
  const text =
    typeof range === 'number'
      ? String(range)
      : typeof range === 'string'
        ? range.replace(/^\s*(?:±|\+\/-)\s*/, '').trim()
        : '';
  const match = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(%?)$/.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  return match[2] === '%' ? (Math.abs(value) * amount) / 100 : amount;
}

function entry(file: string, raw: Json, index: number, stated: Direction | null, assumed: string[]): Benchmark {
  const path = `[${index}]`;
  if (!isObject(raw)) throw new InputError(file, `${path} is not an object`);
  const id = stringAt(file, raw.name, `${path}.name`);
  const given = stringAt(file, raw.unit, `${path}.unit`);
  // github-action-benchmark's own history writes `ns/iter` (cargo) and `ns/op` (go).
  const factor = nsFactor(given.replace(/\/(?:iter|op)$/, ''));
  const unit = factor === null ? given : 'ns';
  const givenValue = finiteAt(file, raw.value, `${path}.value`);
  const value = givenValue * (factor ?? 1);
  const spread = spreadOf(raw.range, givenValue);
  const direction: Direction = stated ?? (factor === null && /\/s(?:ec)?$/.test(given) ? 'higher' : 'lower');
  if (stated === null && factor === null && direction === 'lower') assumed.push(id);
  return {
    id,
    ...splitId(id),
    metric: metricForUnit(unit),
    source: 'github-action-benchmark',
    unit,
    direction,
    estimates: {
      median: value,
      mean: value,
      stdDev: null,
      ci: null,
      ...(spread !== null ? { spread: spread * (factor ?? 1) } : {}),
    },
    throughput: null,
    samples: null,
  };
}

/** A reader for one of the two tool names, or (null) for a detected file. */
export function customReader(stated: Direction | null): (file: string, text: string) => FileOutcome {
  return (file, text) => {
    const doc = parseJson(file, text);
    if (!Array.isArray(doc))
      throw new InputError(file, 'not github-action-benchmark custom JSON (expected a list of {name, unit, value})');
    const assumed: string[] = [];
    const benchmarks = doc.map((raw, i) => entry(file, raw, i, stated, assumed));
    const warnings =
      assumed.length === 0
        ? []
        : [
            `${file}: ${assumed.length === 1 ? `'${assumed[0]}' is` : `${assumed.length} benchmarks ('${assumed[0]}', ...) are`} read as smaller is better, since the file cannot say; use --input-format customBiggerIsBetter (the action: customBiggerIsBetter: PATH) if bigger is better, or customSmallerIsBetter to silence this`,
          ];
    return { benchmarks: nonEmpty(file, benchmarks), warnings };
  };
}
