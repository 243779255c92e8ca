/**
 * The file-system shell around the pure adapters: reads a file or a Criterion directory (read.ts), parses
 * it, and wraps raw tool output into a validated Results document; claims and thresholds files too.
 * Writing is write.ts's.
 */
import { stat } from 'node:fs/promises';
import { formatClaimsIssues, validateClaims, type ClaimsFile } from '../claims/index.ts';
import { parseThresholdsFile, type ThresholdsFile } from '../config/thresholds.ts';
import { InputError, oneLine } from '../common/errors.ts';
import { parseJson } from '../formats/common.ts';
import { parseInput, type Format } from '../formats/index.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import { SCHEMA_VERSION, type Results, type RunMeta } from '../schema/types.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import { MAX_CONFIG_BYTES, MAX_INPUT_BYTES, readText, readToolDir, reason } from './read.ts';

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
