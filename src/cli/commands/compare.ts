/** `bench-action compare`: two runs compared as the action compares them; exits 1 on a regression. */
import { analyze } from '../../analysis/analyze.ts';
import { ExitCode, UsageError } from '../../common/errors.ts';
import { gateMissing } from '../../compare/gate.ts';
import type { ComparisonSummary } from '../../compare/types.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import { loadHistory, loadHistoryDir } from '../../files/history.ts';
import { loadResults } from '../../files/load.ts';
import { historyTerms } from '../../history/changes.ts';
import { seriesFromRuns } from '../../history/series.ts';
import { plural } from '../../report/format.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { Results } from '../../schema/types.ts';
import {
  controlGlobs,
  isSet,
  outputFormat,
  outputFormatFlag,
  str,
  strings,
  type CommandHelp,
  type Flag,
  type ParsedFlags,
  outputPath,
} from '../flags.ts';
import { emit, render } from '../output.ts';

export interface CompareCommand {
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

export const HELP: CommandHelp = {
  name: 'compare',
  usage: '<base> <head> [options]',
  description: `<base> and <head> are each a results file or a Criterion directory (or any
format 'parse' reads). Prints the comparison; exits 1 on a regression.`,
};

/** The threshold flags' defaults, in percent: the report command's analysis uses the same. */
export const DEFAULT_THRESHOLD = '10';
export const DEFAULT_INSTRUCTIONS_THRESHOLD = '1';

export const FLAGS: readonly Flag[] = [
  { name: 'threshold', value: 'PCT', default: DEFAULT_THRESHOLD, help: 'regression threshold in percent' },
  {
    name: 'instructions-threshold',
    value: 'PCT',
    default: DEFAULT_INSTRUCTIONS_THRESHOLD,
    help: 'threshold for instruction counts (gungraun), in percent',
  },
  {
    name: 'thresholds-file',
    value: 'F',
    help: [
      'per-benchmark overrides: {"overrides":[{"pattern":"cache_*/**","threshold":15}]};',
      'a rule with "metric": "instructions" sets instruction-count thresholds',
      'and "mute": [{"pattern":"flaky/*","reason":"...","until":"2026-12-31"}]',
      'shows benchmarks without ever failing on them',
    ].join('\n'),
  },
  {
    name: 'history',
    value: 'PATH',
    multiple: true,
    help: 'earlier runs of the base branch (file or directory), repeatable:\ntheir run-to-run spread widens the verdicts (noise-aware)',
  },
  {
    name: 'history-dir',
    value: 'DIR',
    help: 'a directory of results files named so they sort by time (such as\nbenchmark_YYYYmmdd_HHMMSS.json): the newest of them, leaving out\n<base> and <head>, are earlier runs as with --history',
  },
  { name: 'history-count', value: 'N', help: 'how many runs --history-dir takes (default: 10)' },
  { name: 'history-match', value: 'GLOB', help: 'which files in --history-dir are runs (default: *.json)' },
  {
    name: 'controls',
    value: 'GLOB',
    multiple: true,
    help: "control benchmarks (code the change cannot touch), repeatable:\ntheir median change is the runner's drift, which every other\nwall-time change is divided by; controls never fail",
  },
  { name: 'claims', value: 'FILE', help: 'check a claims file against <head> and show the claims table' },
  outputFormatFlag('markdown', 'the report: markdown or json'),
  { name: 'output', short: 'o', value: 'FILE', help: 'write the report here instead of stdout (- is stdout)' },
  { name: 'no-fail', help: 'exit 0 even when something regressed' },
  {
    name: 'fail-on-missing',
    help: 'exit 4 when a benchmark of <base> is missing from <head>\n(a head with no benchmark in common with <base> always exits 4)',
  },
  { name: 'seed', value: 'N', default: '1', help: 'bootstrap seed (reports are reproducible)' },
];

/** A percentage flag ('10' or '10%'), 0 to 1000, as a fraction. */
export function percentFlag(command: string, flag: string, text: string): number {
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 1000) {
    throw new UsageError(`bench-action ${command}: ${flag} must be a percentage from 0 to 1000; got '${text}'.`);
  }
  return value / 100;
}

function historyDirOf(parsed: ParsedFlags): CompareCommand['historyDir'] {
  const path = str(parsed, 'history-dir');
  const countText = str(parsed, 'history-count');
  const match = str(parsed, 'history-match');
  for (const [flag, value] of [
    ['--history-count', countText],
    ['--history-match', match],
  ] as const) {
    if (value !== null && path === null) throw new UsageError(`bench-action compare: ${flag} needs --history-dir.`);
  }
  const count = Number(countText ?? '10');
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(
      `bench-action compare: --history-count must be a whole number of runs, 1 or more; got '${countText}'.`,
    );
  }
  return path === null ? undefined : { path, count, match: match ?? '*.json' };
}

export function read(parsed: ParsedFlags): CompareCommand {
  const { positionals } = parsed;
  if (positionals.length !== 2) {
    throw new UsageError(
      `bench-action compare: expected <base> and <head>, got ${positionals.length} path(s) (see 'bench-action compare --help').`,
    );
  }
  const threshold = percentFlag('compare', '--threshold', str(parsed, 'threshold') ?? DEFAULT_THRESHOLD);
  const instructionsThreshold = percentFlag(
    'compare',
    '--instructions-threshold',
    str(parsed, 'instructions-threshold') ?? DEFAULT_INSTRUCTIONS_THRESHOLD,
  );
  const seedText = str(parsed, 'seed') ?? '1';
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed)) {
    throw new UsageError(`bench-action compare: --seed must be a whole number; got '${seedText}'.`);
  }
  const historyDir = historyDirOf(parsed);
  return {
    kind: 'compare',
    base: positionals[0] ?? '',
    head: positionals[1] ?? '',
    history: strings(parsed, 'history'),
    ...(historyDir === undefined ? {} : { historyDir }),
    controls: controlGlobs('compare', strings(parsed, 'controls')),
    threshold,
    instructionsThreshold,
    thresholdsFile: str(parsed, 'thresholds-file'),
    claimsFile: str(parsed, 'claims'),
    format: outputFormat('compare', parsed, ['markdown', 'json'] as const),
    output: outputPath(parsed),
    fail: !isSet(parsed, 'no-fail'),
    failOnMissing: isSet(parsed, 'fail-on-missing'),
    seed,
  };
}

function noiseNote(runs: number, cut: number): string {
  const since = cut > 0 ? ` (for ${cut} benchmark${cut === 1 ? '' : 's'}, only the runs since a change point)` : '';
  return `Noise-aware: run-to-run spread estimated from ${runs} base-branch runs${since}.`;
}

export async function run(command: CompareCommand): Promise<number> {
  const meta = runMetaOnce();
  const base = await loadResults(command.base, meta);
  const head = await loadResults(command.head, meta);
  const history: Results[] = [];
  for (const path of command.history) history.push(...(await loadHistory(path, meta, [command.base, command.head])));
  if (command.historyDir) {
    const { path } = command.historyDir;
    history.push(...(await loadHistoryDir(path, command.historyDir, [command.base, command.head], meta)));
  }
  const settings = await loadAnalysisSettings(command);
  // The base run is one more sample of the base branch's run-to-run spread,
  // counted only since each benchmark's last change point.
  const series = history.length > 0 ? seriesFromRuns([base, ...history]) : null;
  const terms = series ? historyTerms(series, base, head, history.length + 1, settings.controls) : undefined;
  const analysis = analyze({
    ...settings,
    base,
    head,
    today: new Date().toISOString().slice(0, 10),
    seed: command.seed,
    ...(terms
      ? { noise: terms.noise, baseRuns: terms.baseRuns, note: noiseNote(history.length + 1, terms.cut.size) }
      : {}),
    series,
  });
  await emit(render(analysis.json, analysis.markdown, command.format), command.output);
  if (analysis.regressions > 0 && command.fail) return ExitCode.regression;
  return missingExit(analysis.comparison?.summary, command);
}

/**
 * Exit 4 when nothing was compared, or with --fail-on-missing when the head lacks a benchmark of the base (the
 * action's rule, compare/gate.ts gateMissing, with the CLI failing as on a regression); the reason on stderr.
 */
function missingExit(summary: ComparisonSummary | undefined, command: CompareCommand): number {
  const gate = summary ? gateMissing(summary, command.failOnMissing ? true : null, true) : null;
  if (!summary || !gate?.fails) return ExitCode.ok;
  const { counts } = summary;
  console.error(
    gate.nothingInCommon
      ? `bench-action: ${command.head} and ${command.base} have no benchmark in common (${plural(counts.new, 'benchmark')} only in the head, ${counts.missing} only in the base): nothing was compared. Check the paths, or whether the suite was renamed.`
      : `bench-action: ${plural(counts.missing, 'benchmark')} of ${command.base} missing from ${command.head} (--fail-on-missing).`,
  );
  return ExitCode.missing;
}
