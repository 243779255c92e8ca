import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../common/errors.ts';
import { FORMATS, isFormat, type Format } from '../formats/detect.ts';
import { parseShardSpec } from '../shard/plan.ts';
import type { ShardSpec } from '../schema/types.ts';

/** The CLI's commands after parsing and validation. Pure: argv in, a command out. */
export type CliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'parse'; inputs: string[]; output: string | null; commit: string | null; ref: string | null; inputFormat: Format | null; shard?: ShardSpec }
  | {
      kind: 'compare';
      base: string;
      head: string;
      history: string[];
      /** `--history-dir`: the newest `count` files in `path` whose names match `match`, besides `history`. */
      historyDir?: { path: string; count: number; match: string };
      /** Globs of control benchmarks (--controls, repeatable). */
      controls: string[];
      /** Fraction, e.g. 0.10. */
      threshold: number;
      /** Fraction for instruction counts, e.g. 0.01. */
      instructionsThreshold: number;
      thresholdsFile: string | null;
      claimsFile: string | null;
      format: 'markdown' | 'json';
      output: string | null;
      fail: boolean;
      /** Exit 4 when any benchmark of the base is missing from the head (none in common always does). */
      failOnMissing: boolean;
      seed: number;
    }
  | { kind: 'report'; input: string; claimsFile: string | null; format: 'markdown' | 'json'; output: string | null }
  | { kind: 'history'; input: string; format: 'markdown' | 'json'; output: string | null }
  | { kind: 'dashboard'; input: string; output: string; title: string }
  | { kind: 'merge'; inputs: string[]; output: string | null; controls: string[] }
  | { kind: 'shard'; spec: ShardSpec; baseline: string; format: 'text' | 'json' };

export const MAIN_HELP = `bench-action: benchmark results in one schema, compared with noise-aware statistics.

Usage:
  bench-action parse <criterion-dir|file>... [-o results.json]
  bench-action compare <base> <head> [--threshold 10] [--output-format markdown|json] [--no-fail]
  bench-action report <results.json> [--claims bench.claims.json]
  bench-action history <baseline-dir|history-dir|series.json> [--output-format markdown|json]
  bench-action dashboard <baseline-dir|history-dir|series.json> [-o dashboard.html]
  bench-action shard --plan i/n <baseline-results> [--output-format text|json]
  bench-action merge <shard-results>... [-o merged.json]

Run 'bench-action <command> --help' for a command's options.

Exit codes: 0 no regression, 1 a regression over the threshold, 2 bad input or usage,
4 nothing in common between base and head (or, with --fail-on-missing, any benchmark
of the base missing from the head), 70 a bug in bench-action.`;

const PARSE_HELP = `Usage: bench-action parse <criterion-dir|file>... [-o results.json]

Reads Criterion output directories (target/criterion), cargo-criterion NDJSON,
libtest/bencher text, mitata or tinybench JSON, generic JSON or results files,
and writes them as one results file in the bench-action schema. The format is
detected from the content; docs/formats.md lists what each one reads.

Options:
  -o, --output FILE   write the results here (default: stdout)
      --input-format NAME
                      read every input as NAME instead of detecting it (--format is its old name):
                      ${FORMATS.join(', ')}
      --commit SHA    commit the benchmarks ran on (default: GITHUB_SHA or git HEAD)
      --ref REF       git ref (default: GITHUB_REF or the current branch)
      --shard i/n     the inputs are shard i of n of a sharded run (see 'bench-action merge')
  -h, --help          this help`;

const COMPARE_HELP = `Usage: bench-action compare <base> <head> [options]

<base> and <head> are each a results file or a Criterion directory (or any
format 'parse' reads). Prints the comparison; exits 1 on a regression.

Options:
      --threshold PCT        regression threshold in percent (default 10)
      --instructions-threshold PCT
                             threshold for instruction counts (gungraun), in percent (default 1)
      --thresholds-file F    per-benchmark overrides: {"overrides":[{"pattern":"cache_*/**","threshold":15}]};
                             a rule with "metric": "instructions" sets instruction-count thresholds
                             and "mute": [{"pattern":"flaky/*","reason":"...","until":"2026-12-31"}]
                             shows benchmarks without ever failing on them
      --history PATH         earlier runs of the base branch (file or directory), repeatable:
                             their run-to-run spread widens the verdicts (noise-aware)
      --history-dir DIR      a directory of results files named so they sort by time (such as
                             benchmark_YYYYmmdd_HHMMSS.json): the newest of them, leaving out
                             <base> and <head>, are earlier runs as with --history
      --history-count N      how many runs --history-dir takes (default 10)
      --history-match GLOB   which files in --history-dir are runs (default *.json)
      --controls GLOB        control benchmarks (code the change cannot touch), repeatable:
                             their median change is the runner's drift, which every other
                             wall-time change is divided by; controls never fail
      --claims FILE          check a claims file against <head> and show the claims table
      --output-format FMT    the report: markdown (default) or json (--format is its old name)
  -o, --output FILE          write the report here instead of stdout
      --no-fail              exit 0 even when something regressed
      --fail-on-missing      exit 4 when a benchmark of <base> is missing from <head>
                             (a head with no benchmark in common with <base> always exits 4)
      --seed N               bootstrap seed (default 1; reports are reproducible)
  -h, --help                 this help`;

const REPORT_HELP = `Usage: bench-action report <results> [options]

Summarizes one run without a base: every benchmark's median and spread,
contender/reference speedups, checks (memory tests) and claims.

Options:
      --claims FILE   check a claims file and show the claims table (claims never change the exit code)
      --output-format FMT
                      the report: markdown (default) or json (--format is its old name)
  -o, --output FILE   write the report here instead of stdout
  -h, --help          this help`;

const HISTORY_HELP = `Usage: bench-action history <baseline-dir|history-dir|series.json> [options]

Lists the change points of a base branch's history: persistent shifts in each
benchmark's medians, found with PELT (docs/statistics.md), e.g.
  cache_get_warm/sark_cache: +12% at \`a1b2c3d\` (7 runs ago)
The input is a downloaded baseline artifact (series.json, results.json,
history/), a directory of results files (one run each), or a series.json.

Options:
      --output-format FMT
                      markdown (default) or json ({changePoints: [{id, index, commit, before, after, change}]})
  -o, --output FILE   write the list here instead of stdout
  -h, --help          this help`;

const DASHBOARD_HELP = `Usage: bench-action dashboard <baseline-dir|history-dir|series.json> [options]

Writes one self-contained HTML file (no network needed to view it): every
benchmark's base-branch series with its interval band, change points marked,
commit SHAs, search and filter by id or group. Inputs as for 'history'.

Options:
  -o, --output FILE   where to write it (default: dashboard.html)
      --title TEXT    the page title (default: Benchmark history)
  -h, --help          this help`;

const SHARD_HELP = `Usage: bench-action shard --plan i/n <baseline-results> [options]

Prints the benchmark ids shard i of n runs, and the Criterion filter that runs
them (cargo bench -- '<filter>'). The ids are the baseline's; the split is
deterministic and balanced by the durations the baseline's samples imply
(without samples, by a stable hash of each id). docs/sharding.md explains it.

Options:
      --plan i/n      which shard: i from 1 to n (required)
      --output-format FMT
                      text (default: the ids, one a line, then 'filter: <regex>') or
                      json ({index, count, ids, filter, estimatedSeconds, totalSeconds})
  -h, --help          this help`;

const MERGE_HELP = `Usage: bench-action merge <shard-results>... [-o merged.json] [--controls GLOB]...

Merges the results files of a sharded run (each written with a shard i/n)
into one results file. Every shard 1..n must be given once, all must have
measured the same commit, and no benchmark may be in two of them; otherwise
it exits 2 naming the file, the shard or the benchmark. Each shard's run
metadata is kept under 'shards'. Control benchmarks (--controls) are the
exception: every shard runs them; the merged run keeps the lowest shard's copy
and 'shards.controls' each shard's own.

Options:
  -o, --output FILE   write the merged results here (default: stdout)
      --controls GLOB control benchmarks every shard ran, repeatable (as in compare)
  -h, --help          this help`;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `--threshold -5` as `--threshold=-5`: node:util would read the value as an
 * option and call the flag ambiguous; the flag's own check then names it.
 */
function negativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** node:util's parseArgs, with its multi-line errors turned into one UsageError line. */
function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args: negativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages are multi-line and mention internals; keep the gist on one line.
    const message = (error as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? 'bad arguments';
    throw new UsageError(`bench-action ${command}: ${message} (see 'bench-action ${command} --help').`);
  }
}

/**
 * The report's format: --output-format, or its old name --format. In 'parse'
 * --format names the input's format, so a value that is one gets told apart.
 */
function outputFormat<T extends string>(
  command: string,
  values: { format?: string | boolean | undefined; 'output-format'?: string | boolean | undefined },
  allowed: readonly T[],
): T {
  const old = str(values.format);
  const value = str(values['output-format']);
  if (old !== null && value !== null) throw new UsageError(`bench-action ${command}: give --output-format once (--format is its old name).`);
  const given = value ?? old;
  if (given === null) return allowed[0] as T;
  if ((allowed as readonly string[]).includes(given)) return given as T;
  const input = isFormat(given)
    ? ` '${given}' is an input format: 'bench-action parse --input-format ${given} FILE -o results.json' reads it, and ${command} takes the results file.`
    : '';
  throw new UsageError(`bench-action ${command}: --output-format (or --format) is the report's format, ${allowed.join(' or ')}; got '${given}'.${input}`);
}

const OUTPUT_FORMAT = { format: { type: 'string' }, 'output-format': { type: 'string' } } as const;

function controlGlobs(globs: readonly string[], command = 'compare'): string[] {
  const trimmed = globs.map((glob) => glob.trim());
  if (trimmed.some((glob) => glob === '')) throw new UsageError(`bench-action ${command}: --controls needs a benchmark-id glob, e.g. --controls 'cache_*/moka'.`);
  return trimmed;
}

/** A percentage flag ('10' or '10%'), 0 to 1000, as given in percent. */
function percentFlag(flag: string, text: string): number {
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 1000) {
    throw new UsageError(`bench-action compare: ${flag} must be a percentage from 0 to 1000; got '${text}'.`);
  }
  return value;
}

function str(value: string | boolean | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { kind: 'help', text: MAIN_HELP };
  if (command === '-V' || command === '--version') return { kind: 'version' };

  switch (command) {
    case 'parse': {
      const { values, positionals } = parse(command, rest, {
        output: { type: 'string', short: 'o' },
        commit: { type: 'string' },
        ref: { type: 'string' },
        format: { type: 'string' },
        'input-format': { type: 'string' },
        shard: { type: 'string' },
        ...HELP,
      });
      if (values.help) return { kind: 'help', text: PARSE_HELP };
      if (positionals.length === 0) throw new UsageError("bench-action parse: give at least one Criterion directory or results file (see 'bench-action parse --help').");
      if (str(values.format) !== null && str(values['input-format']) !== null) throw new UsageError('bench-action parse: give --input-format once (--format is its old name).');
      const inputFormat = str(values['input-format']) ?? str(values.format);
      if (inputFormat !== null && !isFormat(inputFormat)) {
        const output = inputFormat === 'markdown' || inputFormat === 'json' ? " (parse always writes a results file; 'compare' and 'report' take --output-format)" : '';
        throw new UsageError(`bench-action parse: --input-format must be one of ${FORMATS.join(', ')}; got '${inputFormat}'${output}.`);
      }
      const shardText = str(values.shard);
      const shard = shardText === null ? null : parseShardSpec(shardText);
      if (shard && !shard.ok) throw new UsageError(`bench-action parse: --shard: ${shard.reason}.`);
      return {
        kind: 'parse',
        inputs: positionals,
        output: str(values.output),
        commit: str(values.commit),
        ref: str(values.ref),
        inputFormat,
        ...(shard?.ok ? { shard: shard.spec } : {}),
      };
    }
    case 'compare': {
      const { values, positionals } = parse(command, rest, {
        threshold: { type: 'string' },
        'instructions-threshold': { type: 'string' },
        'thresholds-file': { type: 'string' },
        history: { type: 'string', multiple: true },
        'history-dir': { type: 'string' },
        'history-count': { type: 'string' },
        'history-match': { type: 'string' },
        controls: { type: 'string', multiple: true },
        claims: { type: 'string' },
        ...OUTPUT_FORMAT,
        output: { type: 'string', short: 'o' },
        'no-fail': { type: 'boolean' },
        'fail-on-missing': { type: 'boolean' },
        seed: { type: 'string' },
        ...HELP,
      });
      if (values.help) return { kind: 'help', text: COMPARE_HELP };
      if (positionals.length !== 2) {
        throw new UsageError(`bench-action compare: expected <base> and <head>, got ${positionals.length} path(s) (see 'bench-action compare --help').`);
      }
      const threshold = percentFlag('--threshold', str(values.threshold) ?? '10');
      const instructionsThreshold = percentFlag('--instructions-threshold', str(values['instructions-threshold']) ?? '1');
      const seedText = str(values.seed) ?? '1';
      const seed = Number(seedText);
      if (!Number.isSafeInteger(seed)) throw new UsageError(`bench-action compare: --seed must be a whole number; got '${seedText}'.`);
      const historyDir = str(values['history-dir']);
      const countText = str(values['history-count']);
      const match = str(values['history-match']);
      for (const [flag, value] of [
        ['--history-count', countText],
        ['--history-match', match],
      ] as const) {
        if (value !== null && historyDir === null) throw new UsageError(`bench-action compare: ${flag} needs --history-dir.`);
      }
      const count = Number(countText ?? '10');
      if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`bench-action compare: --history-count must be a whole number of runs, 1 or more; got '${countText}'.`);
      return {
        kind: 'compare',
        base: positionals[0] ?? '',
        head: positionals[1] ?? '',
        history: values.history ?? [],
        ...(historyDir === null ? {} : { historyDir: { path: historyDir, count, match: match ?? '*.json' } }),
        controls: controlGlobs(values.controls ?? []),
        threshold: threshold / 100,
        instructionsThreshold: instructionsThreshold / 100,
        thresholdsFile: str(values['thresholds-file']),
        claimsFile: str(values.claims),
        format: outputFormat(command, values, ['markdown', 'json'] as const),
        output: str(values.output),
        fail: values['no-fail'] !== true,
        failOnMissing: values['fail-on-missing'] === true,
        seed,
      };
    }
    case 'report': {
      const { values, positionals } = parse(command, rest, {
        claims: { type: 'string' },
        ...OUTPUT_FORMAT,
        output: { type: 'string', short: 'o' },
        ...HELP,
      });
      if (values.help) return { kind: 'help', text: REPORT_HELP };
      if (positionals.length !== 1) throw new UsageError(`bench-action report: expected one results file, got ${positionals.length} (see 'bench-action report --help').`);
      return {
        kind: 'report',
        input: positionals[0] ?? '',
        claimsFile: str(values.claims),
        format: outputFormat(command, values, ['markdown', 'json'] as const),
        output: str(values.output),
      };
    }
    case 'history': {
      const { values, positionals } = parse(command, rest, { ...OUTPUT_FORMAT, output: { type: 'string', short: 'o' }, ...HELP });
      if (values.help) return { kind: 'help', text: HISTORY_HELP };
      if (positionals.length !== 1)
        throw new UsageError(`bench-action history: expected one baseline or history directory, got ${positionals.length} (see 'bench-action history --help').`);
      return { kind: 'history', input: positionals[0] ?? '', format: outputFormat(command, values, ['markdown', 'json'] as const), output: str(values.output) };
    }
    case 'dashboard': {
      const { values, positionals } = parse(command, rest, { output: { type: 'string', short: 'o' }, title: { type: 'string' }, ...HELP });
      if (values.help) return { kind: 'help', text: DASHBOARD_HELP };
      if (positionals.length !== 1)
        throw new UsageError(`bench-action dashboard: expected one baseline or history directory, got ${positionals.length} (see 'bench-action dashboard --help').`);
      return { kind: 'dashboard', input: positionals[0] ?? '', output: str(values.output) ?? 'dashboard.html', title: str(values.title) ?? 'Benchmark history' };
    }
    case 'shard': {
      const { values, positionals } = parse(command, rest, { plan: { type: 'string' }, ...OUTPUT_FORMAT, ...HELP });
      if (values.help) return { kind: 'help', text: SHARD_HELP };
      const planText = str(values.plan);
      if (planText === null) throw new UsageError("bench-action shard: --plan i/n is required, e.g. --plan 1/4 (see 'bench-action shard --help').");
      const spec = parseShardSpec(planText);
      if (!spec.ok) throw new UsageError(`bench-action shard: --plan: ${spec.reason}.`);
      if (positionals.length !== 1) throw new UsageError(`bench-action shard: expected one baseline results file, got ${positionals.length} (see 'bench-action shard --help').`);
      return { kind: 'shard', spec: spec.spec, baseline: positionals[0] ?? '', format: outputFormat(command, values, ['text', 'json'] as const) };
    }
    case 'merge': {
      const { values, positionals } = parse(command, rest, { output: { type: 'string', short: 'o' }, controls: { type: 'string', multiple: true }, ...HELP });
      if (values.help) return { kind: 'help', text: MERGE_HELP };
      if (positionals.length === 0) throw new UsageError("bench-action merge: give the results file of every shard (see 'bench-action merge --help').");
      return { kind: 'merge', inputs: positionals, output: str(values.output), controls: controlGlobs(values.controls ?? [], 'merge') };
    }
    default:
      throw new UsageError(`bench-action: unknown command '${command}'; commands are parse, compare, report, history, dashboard, shard, merge (see 'bench-action --help').`);
  }
}
