/**
 * The single pure entry to the adapters: already-read input in, benchmarks
 * (or a validated results document) out.
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark, Results } from '../schema/types.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import { readBencher } from './bencher.ts';
import { readBenchmarkJs } from './benchmarkjs.ts';
import { readBmf } from './bmf.ts';
import { parseCargoCriterion } from './cargo-criterion.ts';
import { detailOf, nonEmpty, parseJson, stripBom, type FileOutcome } from './common.ts';
import { readBenchmarkDotNet } from './benchmarkdotnet.ts';
import { readCatch2 } from './catch2.ts';
import { parseCritcmp } from './critcmp.ts';
import { CRITERION_TIME_LINE, readCriterionText } from './criterion-text.ts';
import { readJmh } from './jmh.ts';
import { parseCriterion } from './criterion.ts';
import { detectFormat, type Format, type InputFormat, type SourceInput } from './detect.ts';
import { customReader } from './custom.ts';
import { findEmbeddedJson } from './embedded-json.ts';
import { parseGeneric } from './generic.ts';
import { readGoBench } from './go-bench.ts';
import { readGoogleBenchmark } from './google-benchmark.ts';
import { parseHyperfine } from './hyperfine.ts';
import { isGungraunStream, parseGungraunDir, parseGungraunText, readGungraunJson } from './gungraun.ts';
import { parseMitata } from './mitata.ts';
import { readPytestBenchmark } from './pytest-benchmark.ts';
import { parseTinybench } from './tinybench.ts';

export {
  detectFormat,
  FORMATS,
  INPUT_FORMATS,
  isFormat,
  type Format,
  type InputFormat,
  type SourceInput,
} from './detect.ts';
export { isCriterionFile, parseCriterion } from './criterion.ts';
export { parseBencher, readBencher } from './bencher.ts';
export { parseCargoCriterion } from './cargo-criterion.ts';
export { parseMitata } from './mitata.ts';
export { parseTinybench } from './tinybench.ts';
export { parseGeneric } from './generic.ts';
export { readPytestBenchmark } from './pytest-benchmark.ts';
export { readGoogleBenchmark } from './google-benchmark.ts';
export { readGoBench } from './go-bench.ts';
export { parseHyperfine } from './hyperfine.ts';
export { customReader } from './custom.ts';
export { readBmf } from './bmf.ts';
export { readBenchmarkJs } from './benchmarkjs.ts';
export { isGungraunFile, parseGungraunDir, parseGungraunSummary, parseGungraunText } from './gungraun.ts';
export { parseCritcmp } from './critcmp.ts';
export { readCriterionText } from './criterion-text.ts';
export { readCatch2 } from './catch2.ts';
export { readJmh } from './jmh.ts';
export { readBenchmarkDotNet } from './benchmarkdotnet.ts';

export type Parsed = (
  { format: 'results'; results: Results; warnings: string[] } | ({ format: InputFormat } & FileOutcome)
) & {
  /** What the user should know about how the input was read, e.g. text skipped around the JSON. */
  notes?: string[];
};

/** Validates a bench-action results document; schema errors name the file and JSON path. */
export function parseResults(file: string, text: string): Results {
  const outcome = validateResults(parseJson(file, text));
  if (!outcome.ok) throw new InputError(file, formatIssues(outcome.issues));
  return outcome.value;
}

type FileParser = (file: string, text: string) => FileOutcome;

/** An adapter that reads all or nothing has no warnings. */
function strict(parse: (file: string, text: string) => Benchmark[]): FileParser {
  return (file, text) => ({ benchmarks: parse(file, text), warnings: [] });
}

/**
 * `cargo bench` over a workspace prints libtest's `test NAME ... bench:` lines
 * for `#[bench]` targets and Criterion's report for the others in one stream:
 * both halves are read, so neither is dropped.
 */
function readBencherWithCriterion(file: string, text: string): FileOutcome {
  const bencher = readBencher(file, text);
  if (!CRITERION_TIME_LINE.test(text)) return bencher;
  try {
    const criterion = readCriterionText(file, text);
    return {
      benchmarks: nonEmpty(file, [...bencher.benchmarks, ...criterion.benchmarks]),
      warnings: [...bencher.warnings, ...criterion.warnings],
    };
  } catch (error) {
    if (!(error instanceof InputError) || !/^no benchmarks found/.test(detailOf(error))) throw error;
    return {
      benchmarks: bencher.benchmarks,
      warnings: [...bencher.warnings, `${file}: Criterion 'time:' lines were found but none could be read; left out`],
    };
  }
}

const FILE_PARSERS: Readonly<Record<Exclude<InputFormat, 'criterion'>, FileParser>> = {
  bencher: readBencherWithCriterion,
  'cargo-criterion': strict(parseCargoCriterion),
  mitata: strict(parseMitata),
  tinybench: strict(parseTinybench),
  generic: strict(parseGeneric),
  'pytest-benchmark': readPytestBenchmark,
  'google-benchmark': readGoogleBenchmark,
  go: readGoBench,
  hyperfine: strict(parseHyperfine),
  custom: customReader(null),
  customSmallerIsBetter: customReader('lower'),
  customBiggerIsBetter: customReader('higher'),
  bmf: readBmf,
  benchmarkjs: readBenchmarkJs,
  gungraun: readGungraunJson,
  'gungraun-text': strict(parseGungraunText),
  critcmp: strict(parseCritcmp),
  'criterion-text': readCriterionText,
  catch2: readCatch2,
  jmh: readJmh,
  benchmarkdotnet: readBenchmarkDotNet,
};

function parseFile(path: string, text: string, forced?: Format): Parsed {
  const format = forced ?? detectFormat({ kind: 'file', path, text });
  if (format === 'results') return { format, results: parseResults(path, text), warnings: [] };
  if (format === 'criterion') throw new InputError(path, 'a Criterion output is a directory, not a file');
  return { format, ...FILE_PARSERS[format](path, text) };
}

/**
 * Tool outputs whose real runs print text around their JSON. Never our own
 * results file (extra text there means a damaged file), nor line formats.
 */
function toleratesText(path: string, json: string): boolean {
  try {
    const format = detectFormat({ kind: 'file', path, text: json });
    return format !== 'results' && format !== 'cargo-criterion' && format !== 'bencher';
  } catch {
    return false;
  }
}

/**
 * Detects the format (or takes the one forced) and parses. Throws InputError
 * naming the file on any problem.
 */
export function parseInput(raw: SourceInput, forced?: Format): Parsed {
  if (raw.kind === 'directory') {
    if (forced !== undefined && forced !== 'criterion' && forced !== 'gungraun') {
      throw new InputError(
        raw.path,
        `is a directory; only the criterion and gungraun formats are read from a directory, not ${forced}`,
      );
    }
    // A byte-order mark would hide the first line from line-based formats, and JSON.parse rejects it.
    const files = new Map([...raw.files].map(([rel, text]) => [rel, stripBom(text)]));
    if (forced === 'gungraun' || (forced === undefined && detectFormat(raw) === 'gungraun')) {
      return { format: 'gungraun', benchmarks: parseGungraunDir(raw.path, files), warnings: [] };
    }
    return { format: 'criterion', benchmarks: parseCriterion(raw.path, files), warnings: [] };
  }
  const { path } = raw;
  const text = stripBom(raw.text);
  try {
    return parseFile(path, text, forced);
  } catch (error) {
    // Only when the plain reading fails: a JSON document among text lines.
    if (!(error instanceof InputError)) throw error;
    // A stream of gungraun summaries is line-based: its own error names the line.
    if (isGungraunStream(text)) throw error;
    const embedded = findEmbeddedJson(path, text, (json) => toleratesText(path, json));
    if (embedded === null) throw error;
    return { ...parseFile(path, embedded.json, forced), notes: [embedded.note] };
  }
}

/** The benchmarks of any supported source, a results file included. */
export function parseSource(source: SourceInput): Benchmark[] {
  const parsed = parseInput(source);
  return parsed.format === 'results' ? parsed.results.benchmarks : parsed.benchmarks;
}
