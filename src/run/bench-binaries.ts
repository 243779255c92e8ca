/**
 * The built bench executables of a workspace, for runs that start them
 * directly rather than through `cargo bench`: a confirmation round starts
 * dozens of short runs, and each `cargo bench` paid cargo's freshness check
 * and its own start-up (about 0.5 s a run on this project's loaded machine,
 * a sixth of a Criterion 0.3 pair). Run directly, a bench also takes its
 * output directory from the environment on every Criterion version
 * (CRITERION_HOME from 0.3.3, `$CARGO_TARGET_DIR/criterion` in 0.2.5-0.3.2),
 * where `cargo bench` would have to rebuild into another target directory for
 * the older ones. Criterion before 0.2.5 writes `./target/criterion` and no
 * benchmark.json, which the Criterion adapter needs: not supported.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, dirname, join, sep } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import { criterionVersions } from './criterion-flags.ts';
import { benchArtifacts, cargoMessages, linkedPaths, type BenchArtifact } from './cargo-messages.ts';
import { exec, probe, type ExecResult } from './exec.ts';
import { metadataPackages, ownCriterion } from './bench-packages.ts';
import { readCargoConfig, runConfig } from './cargo-config.ts';
import { withoutCargoOption } from './cargo.ts';

export interface BenchBinary extends BenchArtifact {
  /**
   * Where cargo would let it find shared libraries (dylibPath): a bench linking a `.so` a build script built, or
   * the standard library under `-C prefer-dynamic`, would not start without them.
   */
  libraryPath?: string[];
  /**
   * The Criterion versions it may link: its package's own, else every one the lock holds (unknown: absent). They
   * decide how it reads its filter (confirm-args.ts) and where it writes its results.
   */
  criterion?: string[];
  /** What cargo sets for it at run time besides the dylib path (CARGO, CARGO_MANIFEST_*, CARGO_PKG_*). */
  env?: Record<string, string>;
  /** The runner cargo's configuration puts before it (cargo-config.ts); absent: run it as it is. */
  runner?: string[];
}

/**
 * The dylib path cargo gives a bench it runs (cargo's "Dynamic library paths"): the build scripts' search paths,
 * the profile directory and its `deps` directory, then the toolchain's libraries (`toolchainLibs`: the target
 * libdir cargo adds, and the toolchain's lib directory rustup's proxy adds for cargo), then what was set.
 */
export function dylibPath(
  binary: BenchArtifact,
  linked: readonly string[],
  toolchainLibs: readonly string[],
): string[] {
  const deps = dirname(binary.executable);
  const profile = dirname(deps);
  // As cargo does (filter_dynamic_search_path): only search paths inside the profile directory, so a build script's
  // `-L /usr/lib/...` cannot put system libraries ahead of what the user's own LD_LIBRARY_PATH chose.
  const inside = linked.filter((path) => path === profile || path.startsWith(`${profile}${sep}`));
  return [...inside, profile, deps, ...toolchainLibs];
}

/** The variable the platform's loader reads for shared libraries, as cargo sets it. */
function dylibVariable(): string {
  if (process.platform === 'win32') return 'PATH';
  return process.platform === 'darwin' ? 'DYLD_FALLBACK_LIBRARY_PATH' : 'LD_LIBRARY_PATH';
}

/**
 * The arguments of the JSON query for the executables a `cargo bench --no-run` command line builds: its cargo part
 * with cargo's JSON messages, without a `--message-format` of the user's (cargo refuses two kinds).
 */
export function benchBinaryArgs(cargoArgs: readonly string[]): string[] {
  const kept = withoutCargoOption(cargoArgs, '--message-format');
  const split = kept.indexOf('--');
  return [...(split === -1 ? kept : kept.slice(0, split)), '--message-format=json'];
}

/** Each bench's package: its runtime variables and its own Criterion, from cargo metadata and Cargo.lock. */
async function packageFacts(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, { env: Record<string, string>; criterion?: string[] }>> {
  const facts = new Map<string, { env: Record<string, string>; criterion?: string[] }>();
  const metadata = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], cwd, env);
  if (metadata === null) return facts;
  const { root, packages } = metadataPackages(metadata);
  const lockPath = root === null ? null : join(root, 'Cargo.lock');
  const lock = lockPath && existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null;
  const all = lock === null || lockPath === null ? null : criterionVersions(lock, lockPath);
  for (const pkg of packages) {
    const own = lock === null ? null : ownCriterion(lock, pkg);
    const criterion = own !== null ? [own] : all && all.length > 0 ? all : null;
    facts.set(pkg.manifestPath, { env: pkg.env, ...(criterion ? { criterion } : {}) });
  }
  return facts;
}

/**
 * The bench executables a `cargo bench --no-run` command line (`cargoArgs`,
 * from `bench` on) builds: run after that build, cargo only checks they are fresh.
 */
export async function findBenchBinaries(
  cargoArgs: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  log?: (line: string) => void,
): Promise<BenchBinary[]> {
  const args = benchBinaryArgs(cargoArgs);
  const { stdout } = await exec('cargo', args, { cwd, env, echo: false, tailLines: 40 });
  const messages = cargoMessages(stdout);
  const binaries = benchArtifacts(messages);
  if (binaries.length === 0) throw new ProcessError(`cargo ${args.join(' ')} in ${cwd} built no bench executable.`);
  const linked = linkedPaths(messages);
  const sysroot = await probe('rustc', ['--print', 'sysroot'], cwd, env);
  const targetLibdir = await probe('rustc', ['--print', 'target-libdir'], cwd, env);
  const toolchainLibs = [...(targetLibdir ? [targetLibdir] : []), ...(sysroot ? [join(sysroot, 'lib')] : [])];
  // CARGO: the cargo binary of the toolchain, as cargo sets it to its own path (rustup's proxy runs that one).
  const cargo = sysroot ? join(sysroot, 'bin', process.platform === 'win32' ? 'cargo.exe' : 'cargo') : null;
  const cargoEnv: Record<string, string> = cargo && existsSync(cargo) ? { CARGO: cargo } : {};
  const facts = await packageFacts(cwd, env);
  // [env] and the runner, as cargo run in `cwd` would apply them; cargo's own variables win over [env], as in cargo.
  const host = /^host: (\S+)$/m.exec((await probe('rustc', ['-vV'], cwd, env)) ?? '')?.[1] ?? '';
  const config = runConfig(await readCargoConfig(cwd, env), host, env);
  for (const note of config.notes) log?.(note);
  if (cargoArgs.some((arg) => arg === '--config' || arg.startsWith('--config=')))
    log?.(
      "--config in cargo-bench-args is not applied to the round's direct runs ([env] and runner come from the files).",
    );
  return binaries.map((binary) => {
    const pkg = facts.get(join(binary.packageDir, 'Cargo.toml'));
    return {
      ...binary,
      libraryPath: dylibPath(binary, linked, toolchainLibs),
      ...(pkg?.criterion ? { criterion: pkg.criterion } : {}),
      env: { ...config.env, ...cargoEnv, ...pkg?.env, CARGO_MANIFEST_DIR: binary.packageDir },
      ...(config.runner ? { runner: config.runner } : {}),
    };
  });
}

/**
 * Whether a bench writes its results under `$CARGO_TARGET_DIR/criterion` rather than CRITERION_HOME: Criterion
 * 0.2.5-0.3.2 (CRITERION_HOME is read from 0.3.3, src/lib.rs). Unknown versions: it may.
 */
export function needsTargetDir(criterion: readonly string[] | undefined): boolean {
  if (!criterion || criterion.length === 0) return true;
  return criterion.some((version) => {
    const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
    return major === 0 && (minor < 3 || (minor === 3 && patch < 3));
  });
}

/** How a bench executable is started: program, arguments and environment. */
export interface BenchStart {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The variable that pads a run's start to a common size (benchStart's `padTo`). */
export const PAD_VARIABLE = 'BENCH_ACTION_START_PAD';

/**
 * Bytes the kernel copies onto a new process's stack from its start: the program's path, the arguments and the
 * environment, each with its NUL. Their size moves the initial stack, which can shift a microbenchmark by several
 * percent (Mytkowicz et al., ASPLOS 2009). Pure.
 */
export function startBytes(start: BenchStart): number {
  const text = (s: string) => Buffer.byteLength(s, 'utf8') + 1;
  let bytes = text(start.program) + text(start.program);
  for (const arg of start.args) bytes += text(arg);
  for (const [name, value] of Object.entries(start.env)) if (value !== undefined) bytes += text(`${name}=${value}`);
  return bytes;
}

/**
 * How `cargo bench -- <harnessArgs>` would start this bench (in its package's directory, cargo's runtime
 * variables, `--bench` after the arguments, a configured runner first), writing Criterion's output under
 * `outDir`/criterion whatever the Criterion version. CARGO_TARGET_DIR is pointed there only for a Criterion that
 * writes under it: any other bench sees the side's own, as under `cargo bench` (one that runs cargo itself would
 * otherwise build into an empty directory in every run). With `padTo`, PAD_VARIABLE fills the start to that many
 * bytes, so the base's and the head's runs of a pair start alike although their paths differ in length. Pure.
 */
export function benchStart(
  binary: BenchBinary,
  harnessArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  outDir: string,
  padTo?: number,
): BenchStart {
  const targetDir = needsTargetDir(binary.criterion) ? { CARGO_TARGET_DIR: outDir } : {};
  // A configured runner starts the executable, as `cargo bench` has it: `<runner> <executable> <args>`.
  const [program = binary.executable, ...before] = binary.runner ?? [];
  const args = [...(binary.runner ? [...before, binary.executable] : []), ...harnessArgs, '--bench'];
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    ...binary.env,
    CARGO_MANIFEST_DIR: binary.packageDir,
    ...targetDir,
    CRITERION_HOME: join(outDir, 'criterion'),
    ...dylibEnv(binary, env),
    [PAD_VARIABLE]: '',
  };
  const start = { program, args, env: childEnv };
  if (padTo !== undefined) childEnv[PAD_VARIABLE] = 'x'.repeat(Math.max(0, padTo - startBytes(start)));
  return start;
}

/** Runs each bench executable as benchStart says, one after another. */
export async function runBenchBinaries(
  binaries: readonly BenchBinary[],
  harnessArgs: (binary: BenchBinary) => readonly string[],
  env: NodeJS.ProcessEnv,
  outDir: string,
  padTo?: number,
): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  for (const binary of binaries) {
    const start = benchStart(binary, harnessArgs(binary), env, outDir, padTo);
    results.push(await exec(start.program, start.args, { cwd: binary.packageDir, env: start.env, tailLines: 40 }));
  }
  return results;
}

function dylibEnv(binary: BenchBinary, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!binary.libraryPath || binary.libraryPath.length === 0) return {};
  const name = dylibVariable();
  const existing = env[name];
  return { [name]: [...binary.libraryPath, ...(existing ? [existing] : [])].join(delimiter) };
}
