/**
 * The file-system shell around the pure adapters: reads a file or a
 * Criterion directory, parses it, and wraps raw tool output into a validated
 * Results document. Also writes results atomically.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { formatClaimsIssues, validateClaims, type ClaimsFile } from '../claims/index.ts';
import { globToRegExp } from '../compare/glob.ts';
import { parseThresholdsFile, type ThresholdsFile } from '../config/thresholds.ts';
import { InputError, oneLine } from '../common/errors.ts';
import { parseJson, stripBom } from '../formats/common.ts';
import { isCriterionFile, isGungraunFile, parseInput, type Format } from '../formats/index.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import { SCHEMA_VERSION, type Results, type RunMeta } from '../schema/types.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';

/**
 * Size limits, checked before a file is read (docs/formats.md#limits). The
 * largest results file this project writes (a full run_benchmarks.sh run with
 * raw Node samples) is about 4 MiB; 64 MiB leaves room for far bigger suites
 * while a runner can still parse it.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Claims and thresholds files are written by hand: a few KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

function tooLarge(path: string, size: string, limit: number): InputError {
  return new InputError(
    path,
    `${size} over the ${mib(limit)} limit for this file (docs/formats.md#limits); refusing to read it`,
  );
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? (error.message.split('\n', 1)[0] ?? 'cannot read') : 'cannot read';
}

/**
 * Reads a file as UTF-8 without its byte-order mark, refusing it past `limit`
 * bytes: by its size first, and while reading, since a pipe or a growing file
 * has no size to trust.
 */
async function readText(path: string, limit: number): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError(path, 'is a directory, not a file');
    if (info.size > limit) throw tooLarge(path, `the file is ${mib(info.size)} (${info.size} bytes),`, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge(path, 'the file grew while being read, past', limit);
    }
    return stripBom(Buffer.concat(chunks, total).toString('utf8'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, `cannot read: ${reason(error)}`);
  } finally {
    await handle?.close();
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
  const wanted = entries
    .sort()
    .filter((entry) => isCriterionFile(entry.split(sep).join('/')) || isGungraunFile(entry.split(sep).join('/')));
  let total = 0;
  for (const entry of wanted) total += (await stat(join(root, entry)).catch(() => ({ size: 0 }))).size;
  if (total > MAX_INPUT_BYTES) {
    throw new InputError(
      root,
      `its Criterion files add up to ${mib(total)}, over the ${mib(MAX_INPUT_BYTES)} limit (docs/formats.md#limits); refusing to read them`,
    );
  }
  const files = new Map<string, string>();
  for (const entry of wanted) files.set(entry.split(sep).join('/'), await readText(join(root, entry), MAX_INPUT_BYTES));
  return files;
}

/**
 * A directory's Criterion or gungraun files; a directory with neither but
 * with JSON files (a folder of results files, one per run) is refused saying
 * what it holds and where such files go, not that Criterion found nothing.
 */
async function readToolDir(root: string): Promise<Map<string, string>> {
  const files = await readCriterionDir(root);
  if (files.size > 0) return files;
  const json = (await readdir(root, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  if (json.length === 0) return files;
  const named = json.slice(0, 3).join(', ') + (json.length > 3 ? `, … (${json.length})` : '');
  throw new InputError(
    root,
    `a directory of JSON files (${named}), not Criterion or gungraun output: give one file, e.g. ${join(root, json[0] ?? '')}; to use them as earlier runs of the base, pass the directory to --history or --history-dir`,
  );
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

export interface LoadOptions {
  /** Read the input as this format instead of detecting it. */
  format?: Format;
  /** Where an adapter's warnings go (lines it had to leave out); stderr by default. */
  warn?: (message: string) => void;
}

function warnOnStderr(message: string): void {
  console.error(`bench-action: warning: ${oneLine(message)}`);
}

/**
 * Loads a results file as-is, or any supported tool output (file or Criterion
 * directory) wrapped with this run's metadata. Every failure is an InputError
 * naming the path.
 */
export async function loadResults(path: string, meta: RunMetaSource, options: LoadOptions = {}): Promise<Results> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new InputError(path, reason(error));
  }
  const parsed = isDirectory
    ? parseInput({ kind: 'directory', path, files: await readToolDir(path) }, options.format)
    : parseInput({ kind: 'file', path, text: await readText(path, MAX_INPUT_BYTES) }, options.format);
  for (const warning of parsed.warnings) (options.warn ?? warnOnStderr)(warning);
  // A note is no failure, so it goes to stderr: the CLI's stdout stays the output, and the action's log shows it.
  for (const note of parsed.notes ?? []) console.error(`bench-action: note: ${oneLine(note)}`);
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

/** `-o -`: standard output. */
export const STDOUT_PATH = '-';

/** How many symlinks one path may pass through before it is refused, as the kernel's ELOOP limit. */
const MAX_SYMLINKS = 40;

/**
 * The file `path` names once its symlinks are followed (the last one may
 * dangle: that is the file to create), and what is there now.
 */
async function writeTarget(path: string): Promise<{ target: string; existing: Stats | null }> {
  let target = path;
  for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
    let info: Stats;
    try {
      info = await lstat(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target, existing: null };
      throw error;
    }
    if (!info.isSymbolicLink()) return { target, existing: info };
    // A relative link is read from the directory the link really sits in: its path may pass through another
    // symlink, and `..` from there is not `..` of the path as written.
    target = resolve(await realpath(dirname(target)), await readlink(target));
  }
  throw Object.assign(new Error(`more than ${MAX_SYMLINKS} symbolic links`), { code: 'ELOOP' });
}

/**
 * Writes `text` to `path` (`-` is standard output), creating parent
 * directories. A regular file (or a new one) is written through a temporary
 * file renamed over it, so a crash never leaves it half-written; a symlink is
 * followed first, so its target is written and the link stays. Anything else
 * (a device such as /dev/null, a FIFO) is written in place: a rename would
 * replace it with a regular file, and as root that breaks /dev/null for every
 * later program.
 */
export async function writeTextFile(path: string, text: string): Promise<void> {
  if (path === STDOUT_PATH) return writeStdout(text);
  let temp: string | null = null;
  try {
    const { target, existing } = await writeTarget(path);
    if (existing?.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
    if (existing !== null && !existing.isFile()) {
      await writeFile(target, text, 'utf8');
      return;
    }
    temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, target);
  } catch (error) {
    if (temp !== null) await rm(temp, { force: true });
    throw new InputError(path, `cannot write: ${reason(error)}`);
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((done, fail) => {
    process.stdout.write(text, (error) =>
      error ? fail(new InputError('standard output', `cannot write: ${reason(error)}`)) : done(),
    );
  });
}

/** Loads and validates a claims file (bench.claims.json). */
export async function loadClaims(path: string): Promise<ClaimsFile> {
  const outcome = validateClaims(parseJson(path, await readText(path, MAX_CONFIG_BYTES)));
  if (!outcome.ok) throw new InputError(path, formatClaimsIssues(outcome.issues));
  return outcome.value;
}

/** Loads a thresholds file of per-benchmark overrides. */
export async function loadThresholds(path: string): Promise<ThresholdsFile> {
  return parseThresholdsFile(path, await readText(path, MAX_CONFIG_BYTES));
}

/** One input of `loadCombined`: a path, optionally with the format to read it as. */
export type LoadInput = string | { path: string; format?: Format };

/** Loads several inputs (results files, Criterion directories, tool output) as one document. */
export async function loadCombined(
  inputs: readonly LoadInput[],
  meta: RunMetaSource,
  options: LoadOptions = {},
): Promise<Results> {
  const parts: NamedResults[] = [];
  for (const input of inputs) {
    const { path, format } =
      typeof input === 'string' ? { path: input, format: options.format } : { format: options.format, ...input };
    parts.push({ origin: path, results: await loadResults(path, meta, { ...options, ...(format ? { format } : {}) }) });
  }
  return combineResults(parts, meta);
}

/**
 * Earlier runs for `compare --history`: a results file, a Criterion
 * directory, or a directory of results files (such as a downloaded baseline
 * artifact's history/), each file one run, leaving out `exclude` (the base
 * and head being compared: neither is an earlier run).
 */
export async function loadHistory(
  path: string,
  meta: RunMetaSource,
  exclude: readonly string[] = [],
): Promise<Results[]> {
  let entries: string[] = [];
  try {
    if ((await stat(path)).isDirectory()) entries = await readdir(path, { recursive: true });
  } catch (error) {
    throw new InputError(path, reason(error));
  }
  const isCriterion = entries.some((entry) => isCriterionFile(entry.split(sep).join('/')));
  // series.json (a baseline artifact's compact history) is not one run; nor are the base and head themselves.
  const excluded = new Set(exclude.map((file) => resolve(file)));
  const json = entries.filter((entry) => entry.endsWith('.json') && !entry.includes(sep) && entry !== 'series.json');
  const files = json.filter((entry) => !excluded.has(resolve(path, entry))).sort();
  if (entries.length === 0 || isCriterion || json.length === 0) return [await loadResults(path, meta)];
  const runs: Results[] = [];
  for (const file of files) runs.push(await loadResults(join(path, file), meta));
  return runs;
}

/**
 * The newest `count` of a directory's file names that match `match`, by name
 * order, leaving out `excluded`; oldest first. Names that sort by time
 * (benchmark_YYYYmmdd_HHMMSS.json) make name order the order of the runs.
 */
export function newestRuns(
  names: readonly string[],
  choice: { count: number; match: string },
  excluded: ReadonlySet<string>,
): string[] {
  const pattern = globToRegExp(choice.match);
  const runs = names.filter((name) => pattern.test(name) && !excluded.has(name)).sort();
  return runs.slice(Math.max(0, runs.length - choice.count));
}

/**
 * `compare --history-dir`: the newest matching results files directly in `dir`, other than `exclude` (base and head).
 */
export async function loadHistoryDir(
  dir: string,
  choice: { count: number; match: string },
  exclude: readonly string[],
  meta: RunMetaSource,
): Promise<Results[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new InputError(dir, `cannot read directory: ${reason(error)}`);
  }
  const excluded = new Set(
    exclude.filter((path) => resolve(dirname(path)) === resolve(dir)).map((path) => basename(path)),
  );
  const runs: Results[] = [];
  for (const name of newestRuns(names, choice, excluded)) runs.push(await loadResults(join(dir, name), meta));
  return runs;
}
