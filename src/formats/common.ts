/**
 * Helpers shared by the format adapters. Everything here is pure: adapters get
 * text that the shell already read and report problems as InputError naming
 * the file, with a one-line detail.
 */
import { InputError } from '../common/errors.ts';
import { findDuplicate } from '../schema/metric.ts';
import { summarize } from '../common/sample.ts';
import type { Benchmark, Estimates } from '../schema/types.ts';
import { jsonErrorOffset } from './json-error.ts';

/** What an adapter read, and what it had to leave out (each a one-line message naming the file). */
export interface FileOutcome {
  benchmarks: Benchmark[];
  warnings: string[];
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** 1-based line and column of a character offset, for error messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Deeper than any benchmark tool writes (their files nest under ten levels),
 * and shallow enough that nothing walking a parsed document can overflow the
 * stack.
 */
export const MAX_JSON_DEPTH = 100;

/** A leading UTF-8 byte-order mark, which Windows editors and PowerShell's `>` write. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offset of the bracket that opens level `limit + 1`, or -1. Counts outside strings only; never recurses. */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** True when a parsed value nests deeper than `limit`; walks with its own stack, never recursing. */
function nestsDeeper(value: Json, limit: number): boolean {
  const stack: [Json, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

function tooDeep(file: string, text: string, offset: number, lineOffset: number): InputError {
  const { line, column } = lineColumn(text, offset);
  return new InputError(
    file,
    `JSON nested deeper than ${MAX_JSON_DEPTH} levels at line ${line + lineOffset} column ${column}`,
  );
}

/**
 * JSON.parse with a one-line error naming the file, line and column. V8
 * parses any depth, but what walks the result may recurse, so documents
 * nested deeper than MAX_JSON_DEPTH are refused here.
 */
export function parseJson(file: string, raw: string, lineOffset = 0): Json {
  const text = stripBom(raw);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    // The rescan below recurses per level: bound the depth first.
    const deep = tooDeepAt(text);
    if (deep >= 0) throw tooDeep(file, text, deep, lineOffset);
    const offset = Math.max(0, jsonErrorOffset(text));
    const { line, column } = lineColumn(text, offset);
    const where = `line ${line + lineOffset} column ${column}`;
    if (offset >= text.trimEnd().length) throw new InputError(file, `truncated JSON at ${where}`);
    if (/^(?:NaN|-?Infinity)/.test(text.slice(offset))) {
      throw new InputError(file, `NaN or Infinity in JSON at ${where} (JSON cannot hold them)`);
    }
    throw new InputError(file, `invalid JSON at ${where}`);
  }
  if (nestsDeeper(value, MAX_JSON_DEPTH)) throw tooDeep(file, text, tooDeepAt(text), lineOffset);
  return value;
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
  if (!Array.isArray(value))
    throw new InputError(file, value === undefined ? `missing ${path}` : `${path} is not an array`);
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
  µs: 1e3,
  μs: 1e3,
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
  return { ...summarize(samples), ci: null };
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
