/**
 * The file-system shell around the pure adapters: reads a file or a
 * Criterion directory, parses it, and wraps raw tool output into a validated
 * Results document. Also writes results atomically.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { formatClaimsIssues, validateClaims, type ClaimsFile } from './claims/index.ts';
import { globToRegExp } from './compare/glob.ts';
import { parseThresholdsFile, type ThresholdsFile } from './config/thresholds.ts';
import { InputError } from './errors.ts';
import { parseJson } from './formats/common.ts';
import { isCriterionFile, parseInput } from './formats/index.ts';
import { combineResults, type NamedResults } from './schema/merge.ts';
import { SCHEMA_VERSION, type Results, type RunMeta } from './schema/types.ts';
import { formatIssues, validateResults } from './schema/validate.ts';

/** Criterion's JSON files are a few KiB; anything this big is not one of them. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message.split('\n', 1)[0] ?? 'cannot read' : 'cannot read';
}

async function readText(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) throw new InputError(path, `file is too large (${info.size} bytes) to be benchmark output`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, `cannot read: ${reason(error)}`);
  }
}

/** Every file below `root` the Criterion adapter needs, keyed by '/'-separated relative path. */
async function readCriterionDir(root: string): Promise<Map<string, string>> {
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    throw new InputError(root, `cannot read directory: ${reason(error)}`);
  }
  const files = new Map<string, string>();
  for (const entry of entries.sort()) {
    const rel = entry.split(sep).join('/');
    if (!isCriterionFile(rel)) continue;
    files.set(rel, await readText(join(root, entry)));
  }
  return files;
}

function check(path: string, results: Results): Results {
  const outcome = validateResults(results);
  if (!outcome.ok) throw new InputError(path, formatIssues(outcome.issues));
  if (outcome.value.benchmarks.length === 0) throw new InputError(path, 'no benchmarks found');
  return outcome.value;
}

/**
 * This run's metadata, for wrapping raw tool output. The shells collect it
 * (it spawns rustc, cargo and git) at most once per run and only when raw
 * output is read; the loader only reads files.
 */
export type RunMetaSource = () => RunMeta;

/**
 * Loads a results file as-is, or any supported tool output (file or Criterion
 * directory) wrapped with this run's metadata. Every failure is an InputError
 * naming the path.
 */
export async function loadResults(path: string, meta: RunMetaSource): Promise<Results> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new InputError(path, reason(error));
  }
  const parsed = isDirectory
    ? parseInput({ kind: 'directory', path, files: await readCriterionDir(path) })
    : parseInput({ kind: 'file', path, text: await readText(path) });
  if (parsed.format === 'results') return check(path, parsed.results);
  return check(path, { schemaVersion: SCHEMA_VERSION, run: structuredClone(meta()), benchmarks: parsed.benchmarks });
}

/**
 * Validates, then writes through a temporary file in the same directory and
 * renames it over `path`, so a crash never leaves a half-written file behind.
 */
export async function writeResults(path: string, results: Results): Promise<void> {
  const outcome = validateResults(results);
  if (!outcome.ok) throw new InputError(path, `refusing to write: ${formatIssues(outcome.issues)}`);
  await writeTextFile(path, `${JSON.stringify(outcome.value, null, 2)}\n`);
}

/** Writes through a temporary file and a rename, creating parent directories. */
export async function writeTextFile(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new InputError(path, `cannot write: ${reason(error)}`);
  }
}


/** Loads and validates a claims file (bench.claims.json). */
export async function loadClaims(path: string): Promise<ClaimsFile> {
  const outcome = validateClaims(parseJson(path, await readText(path)));
  if (!outcome.ok) throw new InputError(path, formatClaimsIssues(outcome.issues));
  return outcome.value;
}

/** Loads a thresholds file of per-benchmark overrides. */
export async function loadThresholds(path: string): Promise<ThresholdsFile> {
  return parseThresholdsFile(path, await readText(path));
}

/** Loads several inputs (results files, Criterion directories, tool output) as one document. */
export async function loadCombined(paths: readonly string[], meta: RunMetaSource): Promise<Results> {
  const parts: NamedResults[] = [];
  for (const path of paths) parts.push({ origin: path, results: await loadResults(path, meta) });
  return combineResults(parts, meta);
}

/**
 * Earlier runs for `compare --history`: a results file, a Criterion
 * directory, or a directory of results files (such as a downloaded baseline
 * artifact's history/), each file one run.
 */
export async function loadHistory(path: string, meta: RunMetaSource): Promise<Results[]> {
  let entries: string[] = [];
  try {
    if ((await stat(path)).isDirectory()) entries = await readdir(path, { recursive: true });
  } catch (error) {
    throw new InputError(path, reason(error));
  }
  const isCriterion = entries.some((entry) => isCriterionFile(entry.split(sep).join('/')));
  // series.json (a baseline artifact's compact history) is not one run.
  const files = entries.filter((entry) => entry.endsWith('.json') && !entry.includes(sep) && entry !== 'series.json').sort();
  if (entries.length === 0 || isCriterion || files.length === 0) return [await loadResults(path, meta)];
  const runs: Results[] = [];
  for (const file of files) runs.push(await loadResults(join(path, file), meta));
  return runs;
}

/**
 * The newest `count` of a directory's file names that match `match`, by name
 * order, leaving out `excluded`; oldest first. Names that sort by time
 * (benchmark_YYYYmmdd_HHMMSS.json) make name order the order of the runs.
 */
export function newestRuns(names: readonly string[], choice: { count: number; match: string }, excluded: ReadonlySet<string>): string[] {
  const pattern = globToRegExp(choice.match);
  const runs = names.filter((name) => pattern.test(name) && !excluded.has(name)).sort();
  return runs.slice(Math.max(0, runs.length - choice.count));
}

/** `compare --history-dir`: the newest matching results files directly in `dir`, other than `exclude` (base and head). */
export async function loadHistoryDir(dir: string, choice: { count: number; match: string }, exclude: readonly string[], meta: RunMetaSource): Promise<Results[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new InputError(dir, `cannot read directory: ${reason(error)}`);
  }
  const excluded = new Set(exclude.filter((path) => resolve(dirname(path)) === resolve(dir)).map((path) => basename(path)));
  const runs: Results[] = [];
  for (const name of newestRuns(names, choice, excluded)) runs.push(await loadResults(join(dir, name), meta));
  return runs;
}
