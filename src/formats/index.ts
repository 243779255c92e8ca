/**
 * The single pure entry to the adapters: already-read input in, benchmarks
 * (or a validated results document) out.
 */
import { InputError } from '../errors.ts';
import type { Benchmark, Results } from '../schema/types.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import { parseBencher } from './bencher.ts';
import { parseCargoCriterion } from './cargo-criterion.ts';
import { parseJson } from './common.ts';
import { parseCriterion } from './criterion.ts';
import { detectFormat, type Format, type InputFormat, type SourceInput } from './detect.ts';
import { parseGeneric } from './generic.ts';
import { parseMitata } from './mitata.ts';
import { parseTinybench } from './tinybench.ts';

export { detectFormat, type Format, type InputFormat, type SourceInput } from './detect.ts';
export { isCriterionFile, parseCriterion } from './criterion.ts';
export { parseBencher } from './bencher.ts';
export { parseCargoCriterion } from './cargo-criterion.ts';
export { parseMitata } from './mitata.ts';
export { parseTinybench } from './tinybench.ts';
export { parseGeneric } from './generic.ts';

export type Parsed = { format: 'results'; results: Results } | { format: InputFormat; benchmarks: Benchmark[] };

/** Validates a bench-action results document; schema errors name the file and JSON path. */
export function parseResults(file: string, text: string): Results {
  const outcome = validateResults(parseJson(file, text));
  if (!outcome.ok) throw new InputError(file, formatIssues(outcome.issues));
  return outcome.value;
}

/** Detects the format and parses. Throws InputError naming the file on any problem. */
export function parseInput(source: SourceInput): Parsed {
  const format = detectFormat(source);
  if (source.kind === 'directory') return { format: 'criterion', benchmarks: parseCriterion(source.path, source.files) };
  const { path, text } = source;
  switch (format) {
    case 'results':
      return { format, results: parseResults(path, text) };
    case 'bencher':
      return { format, benchmarks: parseBencher(path, text) };
    case 'cargo-criterion':
      return { format, benchmarks: parseCargoCriterion(path, text) };
    case 'mitata':
      return { format, benchmarks: parseMitata(path, text) };
    case 'tinybench':
      return { format, benchmarks: parseTinybench(path, text) };
    case 'generic':
      return { format, benchmarks: parseGeneric(path, text) };
    case 'criterion':
      throw new InputError(path, 'a Criterion output is a directory, not a file');
  }
}

/** The benchmarks of any supported source, a results file included. */
export function parseSource(source: SourceInput): Benchmark[] {
  const parsed = parseInput(source);
  return parsed.format === 'results' ? parsed.results.benchmarks : parsed.benchmarks;
}
