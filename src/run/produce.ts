import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';
import { loadResults, type RunMetaSource } from '../files/load.ts';
import type { Log } from '../common/log.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import type { Results } from '../schema/types.ts';
import { runMetaOnce } from './metadata.ts';
import { criterionOnly, findBenchTargets } from './bench-targets.ts';
import { buildWorkspace, runBenches, runNodeBench } from './cargo.ts';
import { restoreCargoCache } from './cargo-cache.ts';
import { probe } from './exec.ts';
import { allInstructionCounts, countableCriterion, notCountedIn } from './instruction-pass.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import { runSameRunner, type SameRunnerResult } from './same-runner.ts';
import { ensureToolchain, planToolchain } from './toolchain.ts';
import type { BuildSettings } from './settings.ts';

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
  const cargo = {
    nativeDir: rust.nativeDir,
    env: rust.env,
    userArgs: build.cargoBenchArgs,
    quick: build.quick,
    criterionHome,
    criterionTargets,
  };
  await buildWorkspace(cargo, log);
  const benchStart = Date.now();
  await runBenches(cargo, log);
  // The counting pass's time limit per bench binary is derived from this pass's length.
  const wallTimeSeconds = (Date.now() - benchStart) / 1000;
  const meta = runMetaOnce({ ...build.meta, versions: rust.versions });
  const parts: NamedResults[] =
    criterionTargets?.length === 0 ? [] : [{ origin: 'cargo bench', results: await loadResults(criterionHome, meta) }];
  const timeIds = new Set(
    parts.flatMap((p) => p.results.benchmarks.filter((b) => b.metric === TIME_METRIC).map((b) => b.id)),
  );
  const counts = await allInstructionCounts(args, rust, targets, { timeIds, wallTimeSeconds }, log);
  parts.push(...counts.parts, ...(await nodeBenchmarks(args, rust, log)));
  return {
    results: combineResults(parts, meta),
    rust: { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, meta },
    instructionsSkipped: counts.skipped,
  };
}

/**
 * Full mode with compare-mode same-runner: the base commit's Criterion
 * benchmarks run here too, interleaved with the head's. The Node suite runs on
 * the head only (its pairs and claims describe the head).
 */
export async function produceSameRunner(
  args: ProduceArgs & { baseSha: string },
  log: Log,
): Promise<SameRunnerResult & { instructionsSkipped: string | null }> {
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
  const criterion = countableCriterion(await findBenchTargets(rust.nativeDir, rust.env)).length;
  const instructionsSkipped = notCountedIn('compare-mode same-runner', build.instructions, criterion);
  return { ...measured, head: combineResults(parts, meta), instructionsSkipped };
}
