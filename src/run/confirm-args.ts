/**
 * The confirmation round's `cargo bench` command line: one Criterion filter
 * naming exactly the ids of a run, composed with the user's own arguments.
 * Pure.
 */
import { cargoBenchArgs } from './cargo.ts';
import type { HarnessFlag } from './criterion-flags.ts';

/** A Criterion filter matching exactly these ids (Criterion filters are regular expressions). */
export function criterionFilter(ids: readonly string[]): string {
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${escaped.join('|')})$`;
}

/**
 * How a Criterion version reads its command-line filter: 0.1.0-0.3.0 as a
 * plain substring of the id (`id.contains(filter)`), 0.3.1 and later as a
 * regular expression (read in Criterion's sources, `filter_matches`, at each
 * tag). To a substring Criterion the anchored regex `^(id)$` is text no id
 * contains: every run would measure nothing, without an error.
 */
export type FilterMatch = 'regex' | 'substring';

/** The filter matching of the Criterion versions locked on one side (unknown versions: regex, the current kind). */
export function filterMatch(versions: readonly string[] | null): FilterMatch {
  const substring = (versions ?? []).some((version) => {
    const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
    return major === 0 && (minor < 3 || (minor === 3 && patch === 0));
  });
  return substring ? 'substring' : 'regex';
}

/**
 * The ids of one side's run, grouped by the invocation that measures them: all
 * in one for a regex filter; one id each for a substring filter (no substring
 * names two ids alone). A substring filter also matches the ids that contain
 * it (`a/1` runs `a/10` too): the caller keeps only the ids an invocation was for.
 */
export function roundInvocations(ids: readonly string[], match: FilterMatch): string[][] {
  if (ids.length === 0) return [];
  return match === 'regex' ? [[...ids]] : ids.map((id) => [id]);
}

/** The filter of one invocation of roundInvocations. */
export function roundFilter(ids: readonly string[], match: FilterMatch): string {
  if (match === 'regex') return criterionFilter(ids);
  if (ids.length !== 1) throw new Error(`a substring filter names one id, not ${ids.length}`);
  return ids[0] as string;
}

/** cargo bench options that take a value as the next argument (so that value is not a positional). */
const CARGO_VALUE_OPTIONS = new Set([
  '-p',
  '--package',
  '--exclude',
  '--bench',
  '--bin',
  '--example',
  '--test',
  '-F',
  '--features',
  '--target',
  '--target-dir',
  '--profile',
  '--manifest-path',
  '-j',
  '--jobs',
  '--color',
  '--message-format',
  '--config',
  '-Z',
  '--lockfile-path',
]);

/** Criterion (0.3-0.8) and libtest harness options that take a value as the next argument. */
const HARNESS_VALUE_OPTIONS = new Set([
  '-s',
  '--save-baseline',
  '-b',
  '--baseline',
  '--load-baseline',
  '--baseline-lenient',
  '-c',
  '--color',
  '--sample-size',
  '--warm-up-time',
  '--measurement-time',
  '--nresamples',
  '--noise-threshold',
  '--confidence-level',
  '--significance-level',
  '--profile-time',
  '--plotting-backend',
  '--output-format',
  '--format',
  '--logfile',
  '--test-threads',
  '--skip',
]);

/** The arguments without positionals (a benchmark filter) and without the flags listed in `drop`. */
function withoutFilters(
  args: readonly string[],
  valueOptions: ReadonlySet<string>,
  drop: ReadonlySet<string>,
): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (drop.has(arg)) continue;
    if (!arg.startsWith('-')) continue;
    kept.push(arg);
    if (valueOptions.has(arg) && i + 1 < args.length) kept.push(args[++i] as string);
  }
  return kept;
}

/**
 * `cargo bench` with the user's arguments and one filter for these ids
 * (roundInvocations groups them for `match`). Criterion
 * takes a single positional filter (0.3's clap refuses a second one), so the
 * user's own filter, before `--` (cargo's BENCHNAME, which cargo hands to the
 * harness) or after it, is dropped for the round: the ids come from the head's
 * run, which that filter already restricted, and are matched exactly. So is
 * `--exact`, which would read the filter as a literal name.
 */
export function filteredBenchArgs(
  userArgs: readonly string[],
  roundFlags: readonly HarnessFlag[],
  ids: readonly string[],
  criterionTargets: readonly string[] | null = null,
  match: FilterMatch = 'regex',
): string[] {
  const split = userArgs.indexOf('--');
  const cargoPart = withoutFilters(split === -1 ? userArgs : userArgs.slice(0, split), CARGO_VALUE_OPTIONS, new Set());
  const harnessPart =
    split === -1 ? [] : withoutFilters(userArgs.slice(split + 1), HARNESS_VALUE_OPTIONS, new Set(['--exact']));
  return cargoBenchArgs([...cargoPart, '--', ...harnessPart, roundFilter(ids, match)], roundFlags, criterionTargets);
}

/** The harness's arguments of a round run (filteredBenchArgs after `--`), for a bench executable run directly. */
export function roundHarnessArgs(...args: Parameters<typeof filteredBenchArgs>): string[] {
  const full = filteredBenchArgs(...args);
  return full.slice(full.indexOf('--') + 1);
}
