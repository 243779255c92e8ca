import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';
import { loadResults, type RunMetaSource } from '../files/load.ts';
import type { Log } from '../common/log.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import type { Results } from '../schema/types.ts';
import { runMetaOnce } from './metadata.ts';
import { criterionOnly, findBenchTargets, type BenchTarget, type BenchTargets } from './bench-targets.ts';
import { buildAndBench, runNodeBench } from './cargo.ts';
import { restoreCargoCache } from './cargo-cache.ts';
import { probe } from './exec.ts';
import { ensureValgrind, runInstructionBenches } from './instructions.ts';
import { isCriterionSource, runCriterionCounts } from './criterion-counts.ts';
import { chooseCounts, countNotes } from './count-choice.ts';
import { readFileSync } from 'node:fs';
import { INSTRUCTIONS_METRIC, TIME_METRIC } from '../schema/metric.ts';
import { SCHEMA_VERSION } from '../schema/types.ts';
import { runSameRunner, type SameRunnerResult } from './same-runner.ts';
import { ensureToolchain, planToolchain } from './toolchain.ts';
import { countsInstructions, type BuildSettings } from './settings.ts';

export interface ProduceArgs {
  build: BuildSettings;
  /** A fresh directory for this run's raw output. */
  scratch: string;
}

/** cargo's target directory for the workspace, wherever CARGO_TARGET_DIR or config put it. */
async function targetDirectory(nativeDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const metadata = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  if (metadata) {
    const parsed = JSON.parse(metadata) as { target_directory?: unknown };
    if (typeof parsed.target_directory === 'string') return parsed.target_directory;
  }
  return join(nativeDir, 'target');
}

export interface PreparedRust {
  nativeDir: string;
  targetDir: string;
  env: NodeJS.ProcessEnv;
  versions: Record<string, string>;
}

/** Where a Cargo workspace is looked for when 'native-dir' is not set, in order. */
const WORKSPACE_CANDIDATES = ['native', '.'];

/**
 * The Cargo workspace to benchmark: 'native-dir' when set, else native/
 * (SARK's layout), else the working directory itself.
 */
export function findWorkspace(workDir: string, input: string, exists: (path: string) => boolean): string {
  if (input !== '') {
    const dir = resolve(workDir, input);
    if (!exists(join(dir, 'Cargo.toml')))
      throw new UsageError(
        `Input 'native-dir': no Cargo.toml in ${dir}; point it at the Cargo workspace to benchmark.`,
      );
    return dir;
  }
  const found = WORKSPACE_CANDIDATES.map((candidate) => resolve(workDir, candidate)).find((dir) =>
    exists(join(dir, 'Cargo.toml')),
  );
  if (found) return found;
  const looked = WORKSPACE_CANDIDATES.map((candidate) => join(candidate, 'Cargo.toml')).join(' and ');
  throw new UsageError(
    `No Cargo workspace found: looked for ${looked} in ${resolve(workDir)}; set the input 'native-dir' to your workspace's directory, or 'working-directory' to where it lives.`,
  );
}

/** The toolchain (rustup, honouring rust-toolchain.toml) and the restored cargo cache. */
export async function prepareRust(build: BuildSettings, log: Log): Promise<PreparedRust> {
  const { workDir } = build;
  const nativeDir = findWorkspace(workDir, build.nativeDir, existsSync);
  if (build.nativeDir === '') log.info(`Cargo workspace: ${nativeDir} (set 'native-dir' to choose another).`);
  const plan = planToolchain(build.toolchain, nativeDir, workDir, existsSync);
  const toolchain = await log.group(`Rust toolchain (${plan.kind === 'named' ? plan.name : plan.file})`, () =>
    ensureToolchain(plan, nativeDir, log, build.env),
  );
  const targetDir = await targetDirectory(nativeDir, toolchain.env);
  await restoreCargoCache(nativeDir, targetDir, toolchain.label, log);
  // `rustc --version` says "rustc 1.95.0 (...)": the key already names the tool.
  const bare = (tool: string, line: string | null) =>
    line ? { [tool]: line.replace(new RegExp(`^${tool}\\s+`), '') } : {};
  const versions = { ...bare('rustc', toolchain.rustc), ...bare('cargo', toolchain.cargo) };
  return { nativeDir, targetDir, env: toolchain.env, versions };
}

/** The Node comparison suite on the head, when configured. */
export async function nodeBenchmarks(args: ProduceArgs, rust: PreparedRust, log: Log): Promise<NamedResults[]> {
  const { build, scratch } = args;
  if (build.nodeBenchCommand === '') return [];
  const output = join(scratch, 'node-results.json');
  await runNodeBench(
    { command: build.nodeBenchCommand, cwd: build.workDir, env: rust.env, quick: build.quick, output },
    log,
    existsSync,
  );
  return [{ origin: `node-bench-command (${output})`, results: await loadResults(output, runMetaOnce(build.meta)) }];
}

/**
 * Full mode: toolchain, cargo cache, build, cargo bench, the Node suite; the
 * results of all of it in one document.
 */
/** How the head was built: what a later step needs to measure more of it (the confirmation round). */
export interface RustBuild {
  nativeDir: string;
  /** cargo's target directory of the head's build: the confirmation round's base build starts from a copy. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  meta: RunMetaSource;
}

export async function produceResults(
  args: ProduceArgs,
  log: Log,
): Promise<{ results: Results; rust: RustBuild; instructionsSkipped: string | null }> {
  const { build, scratch } = args;
  const rust = await prepareRust(build, log);
  const criterionHome = join(scratch, 'criterion');
  const targets = await findBenchTargets(rust.nativeDir, rust.env);
  // gungraun benches reject Criterion's flags: name the Criterion ones when both exist.
  const criterionTargets = criterionOnly(targets);
  await buildAndBench(
    {
      nativeDir: rust.nativeDir,
      env: rust.env,
      userArgs: build.cargoBenchArgs,
      quick: build.quick,
      criterionHome,
      criterionTargets,
    },
    log,
  );
  const meta = runMetaOnce({ ...build.meta, versions: rust.versions });
  const parts: NamedResults[] =
    criterionTargets?.length === 0 ? [] : [{ origin: 'cargo bench', results: await loadResults(criterionHome, meta) }];
  const timeIds = new Set(
    parts.flatMap((p) => p.results.benchmarks.filter((b) => b.metric === TIME_METRIC).map((b) => b.id)),
  );
  const counts = await allInstructionCounts(args, rust, targets, timeIds, log);
  parts.push(...counts.parts, ...(await nodeBenchmarks(args, rust, log)));
  return {
    results: combineResults(parts, meta),
    rust: { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, meta },
    instructionsSkipped: counts.skipped,
  };
}

function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Instruction counts in full mode: gungraun's benches, and every Criterion
 * bench through bench-action's counting harness (no change to the project),
 * when `instructions` is auto or true. `skipped` carries what the report
 * must say: why counts are missing, and where gungraun's count was used.
 */
export async function allInstructionCounts(
  args: ProduceArgs,
  rust: PreparedRust,
  targets: BenchTargets,
  timeIds: ReadonlySet<string>,
  log: Log,
): Promise<{ parts: NamedResults[]; skipped: string | null }> {
  const { build, scratch } = args;
  const criterion = targets.criterion.filter((t) => isCriterionSource(readSource(t.srcPath)));
  if (build.instructions === 'false' || criterion.length === 0)
    return instructionCounts(args, rust, targets.gungraun, log);
  const gungraun =
    targets.gungraun.length > 0
      ? await instructionCounts(args, rust, targets.gungraun, log)
      : { parts: [], skipped: null };
  const missing = await ensureValgrind(
    { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, platform: process.platform },
    log,
  );
  if (missing) {
    const skipped = `Instruction counts of the Criterion benches skipped: ${missing}. Wall time decides them.`;
    log.warning(skipped);
    return { parts: gungraun.parts, skipped: [gungraun.skipped, skipped].filter(Boolean).join(' ') };
  }
  const outcome = await runCriterionCounts(
    {
      nativeDir: rust.nativeDir,
      targetDir: rust.targetDir,
      env: rust.env,
      cargoArgs: cargoPart(build.cargoBenchArgs),
    },
    criterion,
    join(scratch, 'criterion-counts'),
    log,
  );
  if (!outcome.ran) {
    const skipped = `Instruction counts of the Criterion benches skipped: ${outcome.reason}. Wall time decides them.`;
    log.warning(skipped);
    return { parts: gungraun.parts, skipped: [gungraun.skipped, skipped].filter(Boolean).join(' ') };
  }
  log.info(
    `Criterion benches counted under Callgrind: ${outcome.counts.benchmarks.length} counted, ${outcome.counts.uncounted.length} without a count; build ${outcome.seconds.build.toFixed(0)} s, Valgrind ${outcome.seconds.valgrind.toFixed(0)} s.`,
  );
  const gungraunCounts = gungraun.parts.flatMap((p) =>
    p.results.benchmarks.filter((b) => b.metric === INSTRUCTIONS_METRIC),
  );
  const choice = chooseCounts(outcome.counts.benchmarks, gungraunCounts, timeIds);
  const counted = new Set(choice.kept.map((b) => b.id));
  const notes = countNotes(choice, outcome.counts.uncounted, timeIds, counted);
  const parts = [...gungraun.parts];
  if (choice.kept.length > 0) {
    const run = runMetaOnce({ ...build.meta, versions: rust.versions })();
    parts.push({
      origin: `Criterion under Callgrind (${outcome.home})`,
      results: { schemaVersion: SCHEMA_VERSION, run, benchmarks: choice.kept },
    });
  }
  return { parts, skipped: [gungraun.skipped, ...notes].filter(Boolean).join(' ') || null };
}

/** The user's cargo arguments before `--` (the rest is for the bench harness). */
function cargoPart(userArgs: readonly string[]): string[] {
  const split = userArgs.indexOf('--');
  return split === -1 ? [...userArgs] : userArgs.slice(0, split);
}

/** gungraun's instruction counts, when `instructions` asks for them and Valgrind can be had; `skipped` says why not, for the report. */
export async function instructionCounts(
  args: ProduceArgs,
  rust: PreparedRust,
  targets: readonly BenchTarget[],
  log: Log,
): Promise<{ parts: NamedResults[]; skipped: string | null }> {
  const { build, scratch } = args;
  if (!countsInstructions(build.instructions, targets.length)) return { parts: [], skipped: null };
  if (targets.length === 0) {
    const skipped = `instructions: true, but ${rust.nativeDir} has no gungraun benches (a bench target that uses gungraun::main!) and no Criterion benches; wall time only.`;
    log.warning(skipped);
    return { parts: [], skipped };
  }
  const home = join(scratch, 'gungraun');
  const outcome = await runInstructionBenches(
    { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, platform: process.platform },
    targets,
    home,
    log,
  );
  if (!outcome.ran) {
    const skipped = `Instruction counts skipped: ${outcome.reason}. Carrying on with wall time only.`;
    log.warning(skipped);
    return { parts: [], skipped };
  }
  return {
    parts: [
      {
        origin: `gungraun (${home})`,
        results: await loadResults(home, runMetaOnce({ ...build.meta, versions: rust.versions })),
      },
    ],
    skipped: null,
  };
}

/**
 * Full mode with compare-mode same-runner: the base commit's Criterion
 * benchmarks run here too, interleaved with the head's. The Node suite runs on
 * the head only (its pairs and claims describe the head).
 */
export async function produceSameRunner(args: ProduceArgs & { baseSha: string }, log: Log): Promise<SameRunnerResult> {
  const { build, scratch } = args;
  const rust = await prepareRust(build, log);
  const meta = runMetaOnce({ ...build.meta, versions: rust.versions });
  const measured = await runSameRunner(
    {
      nativeDir: rust.nativeDir,
      baseSha: args.baseSha,
      rounds: build.rounds,
      quick: build.quick,
      userArgs: build.cargoBenchArgs,
      env: rust.env,
      scratch,
      meta,
    },
    log,
  );
  const parts = [
    { origin: 'cargo bench (same-runner rounds)', results: measured.head },
    ...(await nodeBenchmarks(args, rust, log)),
  ];
  return { ...measured, head: combineResults(parts, meta) };
}
