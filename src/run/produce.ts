import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadResults, type RunMetaSource } from '../files/load.ts';
import type { Log } from '../common/log.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import type { Results } from '../schema/types.ts';
import { runMetaOnce } from './metadata.ts';
import { criterionOnly, findBenchTargets } from './bench-targets.ts';
import { runNodeBench, wallTimePass } from './cargo.ts';
import { restoreCargoCache } from './cargo-cache.ts';
import { probe } from './exec.ts';
import { allInstructionCounts } from './instruction-pass.ts';
import { benchmarkKey, TIME_METRIC } from '../schema/metric.ts';
import { runBenchCommand } from './command.ts';
import type { CommandBuild } from './command-rounds.ts';
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

/** The toolchain (rustup, honouring rust-toolchain.toml) and the restored cargo cache. */
export async function prepareRust(build: BuildSettings, log: Log): Promise<PreparedRust> {
  const { workDir } = build;
  const nativeDir = build.cargoDir;
  if (nativeDir === null) throw new Error('prepareRust without a Cargo workspace: the run plan decides build.cargoDir');
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
export async function nodeBenchmarks(args: ProduceArgs, env: NodeJS.ProcessEnv, log: Log): Promise<NamedResults[]> {
  const { build, scratch } = args;
  if (build.nodeBenchCommand === '') return [];
  const output = join(scratch, 'node-results.json');
  await runNodeBench(
    { command: build.nodeBenchCommand, cwd: build.workDir, env, quick: build.quick, output },
    log,
    existsSync,
  );
  return [{ origin: `node-bench-command (${output})`, results: await loadResults(output, runMetaOnce(build.meta)) }];
}

/** The `run` command on the head, when configured, and what a confirmation round needs to run it again. */
export async function commandBenchmarks(
  args: ProduceArgs,
  env: NodeJS.ProcessEnv,
  meta: RunMetaSource,
  log: Log,
): Promise<{ parts: NamedResults[]; command: CommandBuild | null }> {
  const { build, scratch } = args;
  if (build.command === null) return { parts: [], command: null };
  const run = { command: build.command, workDir: build.workDir, env, quick: build.quick, meta };
  const label = `run: ${build.command.run}`;
  const results = await runBenchCommand({ ...run, cwd: build.workDir, scratch: join(scratch, 'run'), label }, log);
  const keys = new Set(results.benchmarks.map(benchmarkKey));
  return { parts: [{ origin: "the 'run' command", results }], command: { ...run, keys } };
}

/** How the head was built: what a later step needs to measure more of it (the confirmation round). */
export interface RustBuild {
  nativeDir: string;
  /** cargo's target directory of the head's build: the confirmation round's base build starts from a copy. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  meta: RunMetaSource;
}

interface CargoMeasured {
  parts: NamedResults[];
  rust: RustBuild;
  instructionsSkipped: string | null;
}

/** Toolchain, cargo cache, build, cargo bench and the instruction counts of the Cargo workspace. */
async function cargoResults(args: ProduceArgs, log: Log): Promise<CargoMeasured> {
  const { build, scratch } = args;
  const rust = await prepareRust(build, log);
  const meta = runMetaOnce({ ...build.meta, versions: rust.versions });
  const built = { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, meta };
  const criterionHome = join(scratch, 'criterion');
  const targets = await findBenchTargets(rust.nativeDir, rust.env);
  if (targets.criterion.length + targets.gungraun.length === 0 && (build.command || build.nodeBenchCommand)) {
    log.info(`The Cargo workspace ${rust.nativeDir} has no bench targets: cargo bench skipped.`);
    return { parts: [], rust: built, instructionsSkipped: null };
  }
  // gungraun benches reject Criterion's flags: name the Criterion ones when both exist.
  const criterionTargets = criterionOnly(targets);
  const cargo = { nativeDir: rust.nativeDir, env: rust.env, userArgs: build.cargoBenchArgs, quick: build.quick };
  // The counting pass's time limits are derived from this build's and these runs' length (run/count-limits.ts).
  const wallTime = await wallTimePass({ ...cargo, criterionHome, criterionTargets }, log);
  const parts: NamedResults[] =
    criterionTargets?.length === 0 ? [] : [{ origin: 'cargo bench', results: await loadResults(criterionHome, meta) }];
  const timeIds = new Set(
    parts.flatMap((p) => p.results.benchmarks.filter((b) => b.metric === TIME_METRIC).map((b) => b.id)),
  );
  const counts = await allInstructionCounts(args, rust, targets, { timeIds, ...wallTime }, log);
  return { parts: [...parts, ...counts.parts], rust: built, instructionsSkipped: counts.skipped };
}

export interface Produced {
  results: Results;
  rust: RustBuild | null;
  command: CommandBuild | null;
  instructionsSkipped: string | null;
}

/**
 * Full mode: the Cargo workspace when the plan found one (toolchain, cargo
 * cache, build, cargo bench, counts), the `run` command, the Node suite; the
 * results of all of it in one document.
 */
export async function produceResults(args: ProduceArgs, log: Log): Promise<Produced> {
  const { build } = args;
  const cargo = build.cargoDir === null ? null : await cargoResults(args, log);
  const env = cargo?.rust.env ?? build.env;
  const meta = cargo?.rust.meta ?? runMetaOnce(build.meta);
  const commanded = await commandBenchmarks(args, env, meta, log);
  const parts = [...(cargo?.parts ?? []), ...commanded.parts, ...(await nodeBenchmarks(args, env, log))];
  return {
    results: combineResults(parts, meta),
    rust: cargo?.rust ?? null,
    command: commanded.command,
    instructionsSkipped: cargo?.instructionsSkipped ?? null,
  };
}
