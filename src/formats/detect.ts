/**
 * Which adapter reads a source. A directory is a Criterion output directory,
 * or gungraun's when it holds only summary.json files;
 * a file is recognized by content first (names are often arbitrary, e.g.
 * `bench.out`) and only then by its name.
 */
import { InputError } from '../common/errors.ts';
import { BENCHER_LINE_START } from './bencher.ts';
import { BENCHMARKJS_LINE } from './benchmarkjs.ts';
import { isBmf } from './bmf.ts';
import { closestFormats } from './candidates.ts';
import { isBenchmarkDotNet } from './benchmarkdotnet.ts';
import { CATCH2_TABLE_HEADER, isCatch2Xml } from './catch2.ts';
import { isCritcmp } from './critcmp.ts';
import { CRITERION_TIME_LINE } from './criterion-text.ts';
import { isJmh } from './jmh.ts';
import { isObject, parseJson, type Json } from './common.ts';
import { isCustomJson } from './custom.ts';
import { isGeneric } from './generic.ts';
import { GO_BENCH_LINE } from './go-bench.ts';
import { isGoogleBenchmark } from './google-benchmark.ts';
import { isHyperfine } from './hyperfine.ts';
import { isGungraunFile, isGungraunStream, isGungraunSummary, isGungraunText } from './gungraun.ts';
import { isMitata } from './mitata.ts';
import { isPytestBenchmark } from './pytest-benchmark.ts';
import { isTinybench } from './tinybench.ts';

/** Every tool format, by the name `parse --input-format` and the action's `FORMAT: PATH` results lines take. */
export const INPUT_FORMATS = [
  'criterion',
  'bencher',
  'cargo-criterion',
  'mitata',
  'tinybench',
  'generic',
  'pytest-benchmark',
  'google-benchmark',
  'go',
  'hyperfine',
  'custom',
  'customSmallerIsBetter',
  'customBiggerIsBetter',
  'bmf',
  'benchmarkjs',
  'gungraun',
  'gungraun-text',
  'critcmp',
  'criterion-text',
  'catch2',
  'jmh',
  'benchmarkdotnet',
] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
/** 'results' is bench-action's own results file (it has `schemaVersion`). */
export type Format = InputFormat | 'results';
export const FORMATS: readonly Format[] = [...INPUT_FORMATS, 'results'];

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export type SourceInput =
  | { kind: 'directory'; path: string; files: ReadonlyMap<string, string> }
  | { kind: 'file'; path: string; text: string };

function firstLine(text: string): string {
  return text.trimStart().split('\n', 1)[0] ?? '';
}

/** A cargo-criterion stream: its first line alone is a JSON object with a `reason`. */
function isCargoCriterion(text: string): boolean {
  try {
    const first = JSON.parse(firstLine(text)) as Json;
    return isObject(first) && typeof first.reason === 'string';
  } catch {
    return false;
  }
}

const EXPECTED = `expected one of: ${['a Criterion directory', ...INPUT_FORMATS.filter((f) => f !== 'criterion'), 'a bench-action results file'].join(', ')}`;

export function detectFormat(source: SourceInput): Format {
  if (source.kind === 'directory') {
    // gungraun's target/gungraun holds only summary.json files; Criterion's never one.
    const rels = [...source.files.keys()];
    return rels.length > 0 && rels.every(isGungraunFile) ? 'gungraun' : 'criterion';
  }
  const { path, text } = source;
  const trimmed = text.trimStart();
  if (trimmed === '') throw new InputError(path, 'file is empty');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (isCargoCriterion(text)) return 'cargo-criterion';
    // gungraun --output-format=json: one summary per line.
    if (isGungraunStream(text)) return 'gungraun';
    // Parsing reports truncated or invalid JSON with its line and column.
    const doc = parseJson(path, text);
    if (isObject(doc) && 'schemaVersion' in doc) return 'results';
    if (isGungraunSummary(doc)) return 'gungraun';
    if (isTinybench(doc)) return 'tinybench';
    if (isMitata(doc)) return 'mitata';
    if (isPytestBenchmark(doc)) return 'pytest-benchmark';
    if (isGoogleBenchmark(doc)) return 'google-benchmark';
    if (isHyperfine(doc)) return 'hyperfine';
    if (isCritcmp(doc)) return 'critcmp';
    if (isJmh(doc)) return 'jmh';
    if (isBenchmarkDotNet(doc)) return 'benchmarkdotnet';
    if (isCustomJson(doc)) return 'custom';
    if (isGeneric(doc)) return 'generic';
    if (isBmf(doc)) return 'bmf';
    const closest = closestFormats(doc);
    throw new InputError(
      path,
      `unrecognized format: JSON of no known shape (${closest.length > 0 ? `closest: ${closest.join('; ')}` : EXPECTED}); if it is one of these, say which with parse --input-format NAME (the action: a results line NAME: PATH)`,
    );
  }
  if (BENCHER_LINE_START.test(text)) return 'bencher';
  if (GO_BENCH_LINE.test(text)) return 'go';
  if (BENCHMARKJS_LINE.test(text)) return 'benchmarkjs';
  if (isGungraunText(text)) return 'gungraun-text';
  if (CRITERION_TIME_LINE.test(text)) return 'criterion-text';
  if (CATCH2_TABLE_HEADER.test(text) || isCatch2Xml(text)) return 'catch2';
  if (/\.(txt|out|log)$/i.test(path)) {
    throw new InputError(
      path,
      "no benchmarks found: unrecognized format (no line of bencher 'test NAME ... bench:', Go 'BenchmarkNAME N X ns/op', Benchmark.js 'NAME x N ops/sec', Criterion 'time: [...]', gungraun 'Instructions:' or a Catch2 benchmark table); if it is one of these, say which with parse --input-format NAME (the action: a results line NAME: PATH)",
    );
  }
  throw new InputError(path, `unrecognized format (${EXPECTED})`);
}
