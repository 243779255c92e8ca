/**
 * Helpers shared by the format adapters. Everything here is pure: adapters get
 * text that the shell already read and report problems as InputError naming
 * the file, with a one-line detail.
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { InputError } from '../errors.ts';
import { findDuplicate } from '../schema/metric.ts';
import type { Benchmark, Estimates } from '../schema/types.ts';
import { jsonErrorOffset } from './json-error.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** 1-based line and column of a character offset, for error messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** JSON.parse with a one-line error naming the file, line and column. */
export function parseJson(file: string, text: string, lineOffset = 0): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    const offset = Math.max(0, jsonErrorOffset(text));
    const { line, column } = lineColumn(text, offset);
    const where = `line ${line + lineOffset} column ${column}`;
    if (offset >= text.trimEnd().length) throw new InputError(file, `truncated JSON at ${where}`);
    if (/^(?:NaN|-?Infinity)/.test(text.slice(offset))) {
      throw new InputError(file, `NaN or Infinity in JSON at ${where} (JSON cannot hold them)`);
    }
    throw new InputError(file, `invalid JSON at ${where}`);
  }
}

/** The detail part of an InputError's `file: detail` message. */
export function detailOf(error: InputError): string {
  return error.message.slice(error.file.length + 2);
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number at `path`, or an InputError saying what is there instead. */
export function finiteAt(file: string, value: Json | undefined, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // serde_json writes NaN and infinities as null, so null here usually means NaN upstream.
  if (value === null) throw new InputError(file, `NaN in ${path} (null where a number belongs)`);
  if (value === undefined) throw new InputError(file, `missing ${path}`);
  throw new InputError(file, `${path} is not a number`);
}

/** A non-empty array of finite numbers at `path`. */
export function numbersAt(file: string, value: Json | undefined, path: string): number[] {
  if (!Array.isArray(value)) throw new InputError(file, value === undefined ? `missing ${path}` : `${path} is not an array`);
  if (value.length === 0) throw new InputError(file, `${path} is empty`);
  return value.map((item, i) => {
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    if (item === null) throw new InputError(file, `NaN in ${path}[${i}]`);
    throw new InputError(file, `${path}[${i}] is not a number`);
  });
}

export function stringAt(file: string, value: Json | undefined, path: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new InputError(file, value === undefined ? `missing ${path}` : `${path} is not a non-empty string`);
}

/** Nanoseconds per one of the time units the adapters meet. */
const NS_PER: Readonly<Record<string, number>> = {
  ps: 1e-3,
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
};

/** Factor to nanoseconds for a time unit, or null for a unit that is not time. */
export function nsFactor(unit: string): number | null {
  return NS_PER[unit] ?? null;
}

/**
 * Splits a slash-separated id into group/function/parameter for sources that
 * only give a name. Anything past the second slash stays in the parameter so
 * the parts rejoin to the id.
 */
export function splitId(id: string): Pick<Benchmark, 'group' | 'function' | 'parameter'> {
  const [group = id, fn, ...rest] = id.split('/');
  return {
    group: group === '' ? id : group,
    function: fn === undefined ? null : fn,
    parameter: rest.length === 0 ? null : rest.join('/'),
  };
}

/** Estimates computed from raw samples, for sources that report few or none. */
export function estimatesFromSamples(samples: readonly number[]): Estimates {
  return {
    median: median([...samples]),
    mean: mean([...samples]),
    stdDev: samples.length > 1 ? sampleStandardDeviation([...samples]) : null,
    ci: null,
  };
}

export function scale(values: readonly number[], factor: number): number[] {
  return factor === 1 ? [...values] : values.map((v) => v * factor);
}

/** Adapters must not return an empty list: a run that measured nothing is a broken input. */
export function nonEmpty(file: string, benchmarks: Benchmark[]): Benchmark[] {
  if (benchmarks.length === 0) throw new InputError(file, 'no benchmarks found');
  const duplicate = findDuplicate(benchmarks);
  if (duplicate) throw new InputError(file, `duplicate benchmark id '${duplicate.key}'`);
  return benchmarks;
}
