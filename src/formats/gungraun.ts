/**
 * gungraun (formerly iai-callgrind): instruction counts under Valgrind.
 * - `--save-summary=json` writes one summary.json per benchmark under
 *   target/gungraun/<package>/<bench file>/<group>/<function>.<id>/ (schema
 *   version 7 in gungraun 0.20): `module_path` is `file::group::function`, `id`
 *   the `#[bench::id]`, and each profile's `data.total.metrics.Ir.values.new`
 *   the instruction count of this run.
 * - `--output-format=json` (gungraun 0.20): the same summary document printed
 *   to stdout, one per line, one line per benchmark.
 * - The terminal output, for users who only have logs: a line
 *   `file::group::function id:args` followed by `  Instructions:  N|OLD (...)`.
 * Ids are `<bench file>/<group>/<function>[.<id>]`; the metric is
 * `instructions`, exact counts with no samples. Pure.
 */
import { InputError } from '../common/errors.ts';
import { INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
import { isObject, nonEmpty, parseJson, splitId, type FileOutcome, type Json, type JsonObject } from './common.ts';

/** Summary files in a gungraun output directory, by '/'-separated relative path. */
export function isGungraunFile(relativePath: string): boolean {
  return /(^|\/)summary\.json$/.test(relativePath.replaceAll('\\', '/'));
}

/** A gungraun (or iai-callgrind) benchmark summary document. */
export function isGungraunSummary(doc: Json): boolean {
  return (
    isObject(doc) &&
    typeof doc.module_path === 'string' &&
    Array.isArray(doc.profiles) &&
    typeof doc.function_name === 'string'
  );
}

/** Module path `file::group::function` and bench id as one bench-action id. */
function benchmarkId(modulePath: string, id: string | null): string {
  const path = modulePath.split('::').join('/');
  return id === null || id === '' ? path : `${path}.${id}`;
}

function entry(id: string, count: number): Benchmark {
  return {
    id,
    metric: INSTRUCTIONS_METRIC,
    ...splitId(id),
    source: 'gungraun',
    unit: 'instructions',
    direction: 'lower',
    estimates: { median: count, mean: count, stdDev: null, ci: null },
    throughput: null,
    samples: null,
  };
}

function checkCount(file: string, id: string, count: number): number {
  // A runner whose version differs from the library's records zeros: a known trap.
  if (count === 0)
    throw new InputError(
      file,
      `'${id}' counted 0 instructions: gungraun-runner's version probably differs from the gungraun library's (install the locked version)`,
    );
  return count;
}

/** The Ir of the first profile that has one (Callgrind or Cachegrind). */
function instructions(file: string, doc: JsonObject): number | null {
  for (const [i, profile] of (doc.profiles as Json[]).entries()) {
    if (!isObject(profile) || !isObject(profile.data)) throw new InputError(file, `profiles[${i}] has no data`);
    const total = profile.data.total;
    const ir = isObject(total) && isObject(total.metrics) ? total.metrics.Ir : undefined;
    if (ir === undefined) continue;
    const value = isObject(ir) && isObject(ir.values) ? ir.values.new : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InputError(
        file,
        `profiles[${i}].data.total.metrics.Ir.values.new is not a count (a summary without this run's values)`,
      );
    }
    return value;
  }
  return null;
}

/** One summary.json. */
export function parseGungraunSummary(file: string, text: string): Benchmark {
  const doc = parseJson(file, text);
  if (!isGungraunSummary(doc) || !isObject(doc))
    throw new InputError(file, 'not a gungraun summary.json (expected module_path, function_name and profiles)');
  const id = benchmarkId(doc.module_path as string, typeof doc.id === 'string' ? doc.id : null);
  const count = instructions(file, doc);
  if (count === null)
    throw new InputError(file, `'${id}' has no instruction count (Ir): run it with Callgrind or Cachegrind`);
  return entry(id, checkCount(file, id, count));
}

/** A stream of `--output-format=json` summaries: its first line alone is one. */
export function isGungraunStream(text: string): boolean {
  const first = text.trimStart().split('\n', 1)[0] ?? '';
  try {
    return isGungraunSummary(JSON.parse(first) as Json);
  } catch {
    return false;
  }
}

/**
 * A summary.json, or `--output-format=json`'s stream of them, one per line.
 * In a stream, lines that are not JSON (cargo's "Running ..." when stderr was
 * captured too) are left out with a warning; a JSON line that is not a
 * summary fails, naming its line.
 */
export function readGungraunJson(file: string, text: string): FileOutcome {
  if (!isGungraunStream(text)) return { benchmarks: [parseGungraunSummary(file, text)], warnings: [] };
  const benchmarks: Benchmark[] = [];
  const skipped: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    if (!line.trimStart().startsWith('{')) skipped.push(index + 1);
    else benchmarks.push(parseGungraunSummary(`${file}:${index + 1}`, line));
  });
  const warnings =
    skipped.length > 0
      ? [`${file}: ${skipped.length} line(s) that are not JSON left out (first: line ${skipped[0]})`]
      : [];
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}

/** Every summary.json of a gungraun output directory (target/gungraun). */
export function parseGungraunDir(dir: string, files: ReadonlyMap<string, string>): Benchmark[] {
  const benchmarks: Benchmark[] = [];
  for (const [rel, text] of files) {
    if (isGungraunFile(rel)) benchmarks.push(parseGungraunSummary(`${dir.replace(/\/$/, '')}/${rel}`, text));
  }
  if (benchmarks.length === 0)
    throw new InputError(dir, 'no gungraun summary.json files found (run the benches with --save-summary=json)');
  return nonEmpty(
    dir,
    benchmarks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
}

// ---------------------------------------------------------------------------
// Terminal output

const ANSI = /\u001b\[[0-9;]*m/g;
const HEADER = /^([A-Za-z_][\w]*(?:::[A-Za-z_][\w]*){2,})(?:\s+([A-Za-z_]\w*):|\s*$)/;
const INSTRUCTIONS = /^\s+Instructions:\s+(\d+)\|/;

/** Text whose lines show a gungraun benchmark header followed by its Instructions line. */
export function isGungraunText(text: string): boolean {
  const lines = text.replace(ANSI, '').split('\n');
  return lines.some((line, i) => HEADER.test(line) && INSTRUCTIONS.test(lines[i + 1] ?? ''));
}

export function parseGungraunText(file: string, text: string): Benchmark[] {
  const benchmarks: Benchmark[] = [];
  let current: string | null = null;
  for (const line of text.replace(ANSI, '').split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = benchmarkId(header[1] ?? '', header[2] ?? null);
      continue;
    }
    const count = INSTRUCTIONS.exec(line);
    if (count && current !== null) {
      benchmarks.push(entry(current, checkCount(file, current, Number(count[1]))));
      current = null;
    }
  }
  if (benchmarks.length === 0)
    throw new InputError(
      file,
      "no gungraun benchmarks found (no 'file::group::function' line followed by 'Instructions:')",
    );
  return nonEmpty(file, benchmarks);
}
