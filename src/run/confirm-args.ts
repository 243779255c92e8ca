/**
 * The confirmation round's `cargo bench` command line: one Criterion filter
 * naming exactly the ids of a run, composed with the user's own arguments.
 * Pure.
 */
import { cargoBenchArgs } from './cargo.ts';
import { join } from 'node:path';
import { benchStart, startBytes, type BenchBinary } from './bench-binaries.ts';
import type { HarnessFlag } from './criterion-flags.ts';

/** A Criterion filter matching exactly these ids (Criterion filters are regular expressions). */
export function criterionFilter(ids: readonly string[]): string {
  return `^(${ids.map(escapeId).join('|')})$`;
}

/** An id as a regular expression matching its text (Rust's regex and JavaScript's alike). */
function escapeId(id: string): string {
  return id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * How a Criterion version reads its command-line filter: 0.1.0-0.3.0 as a
 * plain substring of the id (`id.contains(filter)`), 0.3.1 and later as a
 * regular expression (read in Criterion's sources, `filter_matches`, at each
 * tag). To a substring Criterion the anchored regex `^(id)$` is text no id
 * contains: every run would measure nothing, without an error. `either`: the
 * bench may link a Criterion of either kind (its package's own is not known
 * and the lock holds both), so it gets a filter both read alike (safeFilter).
 * `contains`: a regex reader on a pair whose other benches read a substring,
 * given the escaped id unanchored, which matches exactly the ids containing it,
 * as the substring readers' filter does: both sides run the same benchmarks
 * beside the wanted one (roundShape).
 */
export type FilterMatch = 'regex' | 'substring' | 'either' | 'contains';

function readsSubstring(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major === 0 && (minor < 3 || (minor === 3 && patch === 0));
}

/**
 * The filter matching of a bench that may link any of these Criterion versions (its package's own one, else
 * every one the lock holds; unknown versions: regex, the current kind).
 */
export function filterMatch(versions: readonly string[] | null): Exclude<FilterMatch, 'contains'> {
  const substring = (versions ?? []).filter(readsSubstring).length;
  if (substring === 0) return 'regex';
  return substring === versions?.length ? 'substring' : 'either';
}

/** Rust regex syntax outside a class that stops a text from matching itself as a pattern (`.` still does). */
const REGEX_SYNTAX = /[\\+*?()|[\]{}^$]+/;

/**
 * A filter that a substring Criterion and a regex Criterion both match against this id, and the same ids with:
 * the id's longest run free of regex syntax, a plain text either kind finds wherever it occurs. It may match other
 * ids too (the caller keeps only the id a run was for).
 */
export function safeFilter(id: string): string {
  return id.split(REGEX_SYNTAX).reduce((longest, part) => (part.length > longest.length ? part : longest), '');
}

/**
 * How one pair groups its ids into runs, the same on both sides (or the grouping, one process per id or one for
 * all, would differ between base and head, a difference the pair would measure): one run for all when every
 * bench on both sides reads a regex, else one run per id (no substring names two ids alone).
 */
export function pairGrouping(matches: Iterable<FilterMatch>): 'together' | 'apart' {
  for (const match of matches) if (match !== 'regex') return 'apart';
  return 'together';
}

/**
 * The ids of one side's run, grouped by the invocation that measures them (pairGrouping). A substring filter
 * also matches the ids that contain it (`a/1` runs `a/10` too): the caller keeps only the ids an invocation was for.
 */
export function roundInvocations(ids: readonly string[], grouping: 'together' | 'apart'): string[][] {
  if (ids.length === 0) return [];
  return grouping === 'together' ? [[...ids]] : ids.map((id) => [id]);
}

type Side = 'base' | 'head';

/** How a round's runs are shaped: each bench's filter kind, one grouping for both sides, and what to log. */
export interface RoundShape {
  match: (side: Side, binary: BenchBinary) => FilterMatch;
  /** The filter kinds each side's benches read, for what a lost benchmark's row says. */
  kinds: Record<Side, FilterMatch[]>;
  grouping: 'together' | 'apart';
  notes: string[];
}

const SHAPE_NOTES: Record<'substring' | 'either', string> = {
  substring:
    'link a Criterion (0.3.0 or older) that matches its filter as a substring, not a regular expression: each is given the id itself.',
  either:
    "may link a Criterion of either kind (the lock holds one that reads its filter as a substring and one that reads a regular expression, and the package's own is not known): each is given the safe shape, the id's longest part free of regex syntax, which both read alike.",
};

/**
 * The shape of a round's runs: each bench reads the filter as its own Criterion does (its package's, else the
 * side's locked versions), and a pair groups its runs one way on both sides. Pure.
 */
export function roundShape(
  binaries: Record<Side, readonly BenchBinary[]>,
  locked: Record<Side, readonly string[] | null>,
): RoundShape {
  const reads = (side: Side, binary: BenchBinary) => filterMatch(binary.criterion ?? locked[side]);
  const grouping = pairGrouping([
    ...binaries.base.map((b) => reads('base', b)),
    ...binaries.head.map((b) => reads('head', b)),
  ]);
  // On a pair of one run per id, a regex reader runs what a substring reader of the id runs: the same set both sides.
  const match = (side: Side, binary: BenchBinary): FilterMatch => {
    const kind = reads(side, binary);
    return grouping === 'apart' && kind === 'regex' ? 'contains' : kind;
  };
  const kinds = {
    base: [...new Set(binaries.base.map((b) => match('base', b)))],
    head: [...new Set(binaries.head.map((b) => match('head', b)))],
  };
  const notes: string[] = [];
  for (const side of ['base', 'head'] as const)
    for (const kind of ['substring', 'either'] as const) {
      const names = binaries[side].filter((b) => match(side, b) === kind).map((b) => b.target);
      if (names.length > 0) notes.push(`Confirmation (${side}): ${names.join(', ')} ${SHAPE_NOTES[kind]}`);
    }
  if (grouping === 'apart')
    notes.push(
      "Confirmation: one run per benchmark on both sides, each filtered by its id, keeping that id alone; a substring filter also runs the ids that contain it, those the user's own filter in cargo-bench-args left out included, and the budget prices each run by the known ids it runs.",
    );
  return { match, kinds, grouping, notes };
}

/**
 * How many benchmarks the run for one id measures: one, or with a substring-kind filter (`kinds` in use) the id and
 * every known id (the head's, from its run) that contains the filter: `parse` also runs `parse_huge_file/1GB`.
 * Ids the user's own filter kept out of the head's run are not known, so this is a floor. Pure.
 */
export function runWeight(id: string, known: readonly string[], kinds: readonly FilterMatch[]): number {
  const filters = [...new Set(kinds)]
    .filter((kind) => kind !== 'regex')
    .map((kind) => (kind === 'contains' ? id : roundFilter([id], kind)));
  const matched = new Set([id]);
  for (const filter of filters) for (const other of known) if (other.includes(filter)) matched.add(other);
  return matched.size;
}

/** How many of these runs, in order, fit in `capacity` benchmarks measured (their weights summed). Pure. */
export function affordableRuns(weights: readonly number[], capacity: number): number {
  let spent = 0;
  let count = 0;
  for (const weight of weights) {
    if (spent + weight > capacity) break;
    spent += weight;
    count++;
  }
  return count;
}

/** The filter of one invocation of roundInvocations, for a bench reading it as `match` says. */
export function roundFilter(ids: readonly string[], match: FilterMatch): string {
  if (match === 'regex') return criterionFilter(ids);
  if (ids.length !== 1) throw new Error(`a ${match} filter names one id, not ${ids.length}`);
  const id = ids[0] as string;
  if (match === 'contains') return escapeId(id);
  return match === 'substring' ? id : safeFilter(id);
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

/**
 * The size every run of a round pads its start to (bench-binaries.ts benchStart): the largest any run of either
 * side needs, its filter and flags included, so the base's and the head's runs start with the same bytes on the
 * stack although their worktrees, target directories and paths differ in length. Pure.
 */
export function roundPadding(
  sides: Record<Side, { binaries: readonly BenchBinary[]; env: NodeJS.ProcessEnv; harness: RoundHarness }>,
  ids: readonly string[],
  shape: RoundShape,
  scratch: string,
): number {
  let largest = 0;
  for (const side of ['base', 'head'] as const) {
    // A run directory of the largest name the round makes (confirm-<pair>-<i>-<j>-<side>, base and head alike).
    const outDir = join(scratch, `confirm-999999-9-999999-${side}`);
    for (const only of roundInvocations(ids, shape.grouping))
      for (const binary of sides[side].binaries) {
        const harness = sides[side].harness(only, shape.match(side, binary));
        largest = Math.max(largest, startBytes(benchStart(binary, harness, sides[side].env, outDir)));
      }
  }
  return largest;
}

/** The harness arguments of one side's run of these ids for a bench reading its filter as `match`. */
export type RoundHarness = (ids: readonly string[], match: FilterMatch) => string[];
