import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import {
  criterionVersions,
  inCodeTimeSettings,
  quickCriterionFlags,
  roundCriterionFlags,
  type HarnessFlag,
  type InCodeSetting,
  type QuickPlan,
} from './criterion-flags.ts';
import type { WallTimeCost } from './count-limits.ts';
import { exec, probe } from './exec.ts';
import { collectStrayCriterion, strayCriterionDirs } from './stray-criterion.ts';

type Flags = readonly HarnessFlag[];

/**
 * The `cargo bench` argument list. Criterion's flags go after `--`; `--bench '*'`
 * keeps them away from libtest harnesses (lib and bin targets), which reject them.
 * With `criterionTargets` (when the workspace also has gungraun benches, which
 * reject Criterion's flags) only those benches run.
 */
export function cargoBenchArgs(
  userArgs: readonly string[],
  quickFlags: Flags,
  criterionTargets: readonly string[] | null = null,
): string[] {
  const split = userArgs.indexOf('--');
  const cargoPart = split === -1 ? [...userArgs] : userArgs.slice(0, split);
  const harnessPart = split === -1 ? [] : userArgs.slice(split + 1);
  const selectsTargets = cargoPart.some(
    (arg) => ['--bench', '--benches', '--lib', '--bins', '--all-targets'].includes(arg) || arg.startsWith('--bench='),
  );
  const targets = selectsTargets
    ? []
    : criterionTargets
      ? criterionTargets.flatMap((name) => ['--bench', name])
      : ['--bench', '*'];
  // A flag the user set themselves wins over ours: clap refuses a flag given twice, or beside one it conflicts with.
  const userSet = userFlagNames(harnessPart);
  const quickArgs = quickFlags.filter(([flag]) => !userSet.has(flag)).flat();
  const harness = [...quickArgs, ...harnessPart];
  return ['bench', ...targets, ...cargoPart, ...(harness.length > 0 ? ['--', ...harness] : [])];
}

/** Criterion's short forms of flags we pass (0.4 and later: `-n` is `--noplot`). */
const LONG_FORM: Readonly<Record<string, string>> = { '-n': '--noplot' };

/** Flags clap refuses beside one of the user's (Criterion 0.4-0.8: `quick` conflicts_with `sample-size`). */
const CONFLICTS: Readonly<Record<string, readonly string[]>> = { '--quick': ['--sample-size'] };

/** The harness flags the user set, by long name (`--flag=value` as `--flag`), and the flags those rule out. */
function userFlagNames(harnessPart: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const arg of harnessPart) {
    if (!arg.startsWith('-')) continue;
    const bare = arg.split('=', 1)[0] ?? arg;
    const name = LONG_FORM[bare] ?? bare;
    names.add(name);
    for (const other of CONFLICTS[name] ?? []) names.add(other);
  }
  return names;
}

/**
 * The user's arguments without `--target-dir` (either form), for the base: it
 * would override the base's own CARGO_TARGET_DIR, and one target directory for
 * both sides makes the head run the base's binary (cargo names a workspace
 * crate's artifacts by its path relative to the workspace).
 */
export function withoutTargetDir(userArgs: readonly string[]): string[] {
  return withoutCargoOption(userArgs, '--target-dir');
}

/** `args` without a cargo option and its value (`--name value` or `--name=value`) before `--`; what follows is kept. */
export function withoutCargoOption(args: readonly string[], name: string): string[] {
  const split = args.indexOf('--');
  const cargoPart = split === -1 ? args : args.slice(0, split);
  const kept: string[] = [];
  for (let i = 0; i < cargoPart.length; i++) {
    const arg = cargoPart[i] as string;
    if (arg === name) i++;
    else if (!arg.startsWith(`${name}=`)) kept.push(arg);
  }
  return split === -1 ? kept : [...kept, ...args.slice(split)];
}

interface CargoMetadata {
  workspace_root?: unknown;
  packages?: Array<{ targets?: Array<{ kind?: unknown; src_path?: unknown }> }>;
}

/** What decides Criterion's flags in a workspace: its locked Criterion versions and its bench code's own times. */
export interface CriterionSetup {
  /** null: no Cargo.lock, so the version is unknown. */
  versions: string[] | null;
  settings: InCodeSetting[];
  /** Said when the versions are unknown. */
  notes: string[];
}

/** A workspace's CriterionSetup, from Cargo.lock (written by the build just before) and its bench sources. */
export async function criterionSetup(nativeDir: string, env: NodeJS.ProcessEnv, who: string): Promise<CriterionSetup> {
  const text = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  const metadata = text ? (JSON.parse(text) as CargoMetadata) : {};
  const root = typeof metadata.workspace_root === 'string' ? metadata.workspace_root : nativeDir;
  const lockPath = join(root, 'Cargo.lock');
  if (!existsSync(lockPath))
    return {
      versions: null,
      settings: [],
      notes: [
        `${who}: no Cargo.lock in ${root}, so the Criterion version is unknown and no Criterion flags were passed.`,
      ],
    };
  const versions = criterionVersions(await readFile(lockPath, 'utf8'), lockPath);
  const sources = (metadata.packages ?? [])
    .flatMap((p) => p.targets ?? [])
    .filter((t) => Array.isArray(t.kind) && t.kind.includes('bench') && typeof t.src_path === 'string')
    .map((t) => String(t.src_path));
  const settings: InCodeSetting[] = [];
  for (const file of sources)
    settings.push(
      ...inCodeTimeSettings(file.startsWith(root) ? file.slice(root.length + 1) : file, await readFile(file, 'utf8')),
    );
  return { versions, settings, notes: [] };
}

/** What `quick` may pass. */
export async function quickPlan(nativeDir: string, env: NodeJS.ProcessEnv): Promise<QuickPlan> {
  const setup = await criterionSetup(nativeDir, env, 'quick');
  return setup.versions === null
    ? { flags: [], notes: setup.notes }
    : quickCriterionFlags(setup.versions, setup.settings);
}

/**
 * A confirmation round's flags, one set for both sides: a pull request that
 * changes the locked Criterion gives the base and the head different versions,
 * and each side's runs must take the flags (and a pair's two runs the same
 * ones, or the pair compares two settings): the flags every version on either
 * side accepts, never longer than a time either side's code sets. Pure.
 */
export function roundPlan(base: CriterionSetup, head: CriterionSetup): QuickPlan {
  if (base.versions === null || head.versions === null) return { flags: [], notes: [...base.notes, ...head.notes] };
  const versions = [...new Set([...base.versions, ...head.versions])];
  return roundCriterionFlags(versions, [...base.settings, ...head.settings]);
}

export interface CargoRun {
  nativeDir: string;
  env: NodeJS.ProcessEnv;
  userArgs: readonly string[];
  quick: boolean;
  /** Fresh directory for Criterion's output, so a cached target/ cannot leak stale benchmarks in. */
  criterionHome: string;
  /** The Criterion bench targets when gungraun benches must be left out; null runs every bench. */
  criterionTargets?: readonly string[] | null;
}

export async function buildAndBench(run: CargoRun, log: Log): Promise<void> {
  await buildWorkspace(run, log);
  await runBenches(run, log);
}

export async function buildWorkspace(run: CargoRun, log: Log): Promise<void> {
  const env = { ...run.env, CRITERION_HOME: run.criterionHome };
  await log.group('cargo build --release', () =>
    exec('cargo', ['build', '--release', '--workspace'], { cwd: run.nativeDir, env }),
  );
}

/** The user's cargo bench arguments with a benchmark filter after `--` (Criterion takes one positional filter). */
export function withFilter(userArgs: readonly string[], filter: string): string[] {
  return userArgs.includes('--') ? [...userArgs, filter] : [...userArgs, '--', filter];
}

/**
 * The ids of every benchmark the bench targets hold (`cargo bench -- --list`,
 * which builds them and runs nothing), for a shard's plan.
 */
export async function listBenchmarks(run: CargoRun, log: Log): Promise<string> {
  if (run.criterionTargets?.length === 0) return '';
  const args = [...benchTargetArgs(run), '--', '--list'];
  const env = { ...run.env, CRITERION_HOME: run.criterionHome };
  const { stdout } = await log.group(`cargo ${args.join(' ')}`, () =>
    exec('cargo', args, { cwd: run.nativeDir, env, tailLines: 40 }),
  );
  return stdout;
}

/** The cargo arguments of `run` (before `--`) as `cargo bench` takes them, with its bench targets. */
function benchTargetArgs(run: CargoRun): string[] {
  const split = run.userArgs.indexOf('--');
  return cargoBenchArgs(split === -1 ? run.userArgs : run.userArgs.slice(0, split), [], run.criterionTargets ?? null);
}

/** Builds the benches `runBenches` runs, with the same targets and cargo arguments, and runs none of them. */
export async function buildBenches(run: CargoRun, log: Log): Promise<void> {
  if (run.criterionTargets?.length === 0) return;
  const args = [...benchTargetArgs(run), '--no-run'];
  const env = { ...run.env, CRITERION_HOME: run.criterionHome };
  await log.group(`cargo ${args.join(' ')}`, () => exec('cargo', args, { cwd: run.nativeDir, env, tailLines: 40 }));
}

/**
 * The wall-time pass: the build (the workspace, then the benches, so compiling them counts as building), then the
 * runs; what each part took, from which the counting pass's limits are derived (run/count-limits.ts).
 */
export async function wallTimePass(run: CargoRun, log: Log, now: () => number = Date.now): Promise<WallTimeCost> {
  const buildStart = now();
  await buildWorkspace(run, log);
  await buildBenches(run, log);
  const benchStart = now();
  await runBenches(run, log);
  return { buildSeconds: (benchStart - buildStart) / 1000, benchSeconds: (now() - benchStart) / 1000 };
}

export async function runBenches(run: CargoRun, log: Log): Promise<void> {
  if (run.criterionTargets?.length === 0) return;
  const env = { ...run.env, CRITERION_HOME: run.criterionHome };
  const plan = run.quick ? await quickPlan(run.nativeDir, env) : { flags: [], notes: [] };
  for (const note of plan.notes) log.info(note);
  const args = cargoBenchArgs(run.userArgs, plan.flags, run.criterionTargets ?? null);
  const started = Date.now();
  try {
    await log.group(`cargo ${args.join(' ')}`, () => exec('cargo', args, { cwd: run.nativeDir, env, tailLines: 40 }));
  } catch (error) {
    const hint = flagsHint(run.userArgs, plan.flags);
    throw error instanceof ProcessError && hint ? error.withHint(hint) : error;
  }
  await takeStrayResults(await strayCriterionDirs(run.nativeDir, env), run.criterionHome, started, log);
}

/** Results a Criterion before 0.3.3 wrote outside CRITERION_HOME in this run, taken into it (stray-criterion.ts). */
export async function takeStrayResults(
  dirs: readonly string[],
  criterionHome: string,
  since: number,
  log: Log,
): Promise<void> {
  const { copied, collisions } = await collectStrayCriterion(dirs, criterionHome, since);
  if (copied > 0)
    log.info(
      `${copied} Criterion benchmark${copied === 1 ? '' : 's'} written outside CRITERION_HOME (a Criterion before 0.3.3 writes to ${dirs.join(', ')}): taken from there.`,
    );
  for (const { id, path } of collisions)
    log.warning(
      `Criterion benchmark '${id}' was written twice in this run: the copy at ${path} is not taken. Give the benchmarks of different benches different ids.`,
    );
}

/** Which inputs put flags on the benchmark harness's command line, so a rejected flag leads back to one. */
function flagsHint(userArgs: readonly string[], quickFlags: Flags): string | null {
  const split = userArgs.indexOf('--');
  const own = split === -1 ? [] : userArgs.slice(split + 1);
  const quick = quickFlags.filter(([flag]) => !own.includes(flag)).map((pair) => pair.join(' '));
  const sources = [
    ...(quick.length > 0 ? [`input 'quick' (${quick.join(', ')})`] : []),
    ...(own.length > 0 ? [`input 'cargo-bench-args' (${own.join(' ')})`] : []),
  ];
  if (sources.length === 0) return null;
  const fixes = [
    ...(quick.length > 0 ? ['set quick: false'] : []),
    ...(own.length > 0 ? ['change the flags after -- in cargo-bench-args'] : []),
  ];
  return `The benchmark harness's flags came from ${sources.join(' and ')}; if it rejected one, ${fixes.join(' or ')}.`;
}

export interface NodeBenchRun {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  quick: boolean;
  /** Where the suite must write its results; passed as $BENCH_ACTION_OUTPUT. */
  output: string;
}

export async function runNodeBench(run: NodeBenchRun, log: Log, exists: (path: string) => boolean): Promise<void> {
  const env = { ...run.env, BENCH_ACTION_OUTPUT: run.output, BENCH_ACTION_QUICK: run.quick ? '1' : '0' };
  await log.group(`node benchmarks: ${run.command}`, () =>
    exec('bash', ['-c', run.command], { cwd: run.cwd, env, tailLines: 40 }),
  );
  if (!exists(run.output)) {
    throw new ProcessError(
      `node-bench-command '${run.command}' finished but wrote no results to $BENCH_ACTION_OUTPUT (${run.output}); make it write its results file there.`,
    );
  }
}
