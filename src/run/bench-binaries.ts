/**
 * The built bench executables of a workspace, for runs that start them
 * directly rather than through `cargo bench`: a confirmation round starts
 * dozens of short runs, and each `cargo bench` paid cargo's freshness check
 * and its own start-up (about 0.5 s a run on this project's loaded machine,
 * a sixth of a Criterion 0.3 pair). Run directly, a bench also takes its
 * output directory from the environment on every Criterion version
 * (CRITERION_HOME from 0.3.3, CARGO_TARGET_DIR before), where `cargo bench`
 * would have to rebuild into another target directory for the older ones.
 */
import { delimiter, dirname, join, sep } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import { exec, probe, type ExecResult } from './exec.ts';

export interface BenchBinary {
  /** The bench target's name (`[[bench]] name`). */
  target: string;
  executable: string;
  /** Its package's directory: cargo runs a bench there, and relative paths in bench code mean it. */
  packageDir: string;
  /**
   * Where cargo would let it find shared libraries (dylibPath): a bench linking a `.so` a build script built, or
   * the standard library under `-C prefer-dynamic`, would not start without them.
   */
  libraryPath?: string[];
}

interface ArtifactMessage {
  reason?: unknown;
  linked_paths?: unknown;
  manifest_path?: unknown;
  target?: { kind?: unknown; name?: unknown };
  profile?: { test?: unknown };
  executable?: unknown;
}

/** The bench executables in `cargo bench --no-run --message-format=json` output, in cargo's order. Pure. */
export function benchExecutables(messages: string): BenchBinary[] {
  const found: BenchBinary[] = [];
  for (const line of messages.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: ArtifactMessage;
    try {
      message = JSON.parse(line) as ArtifactMessage;
    } catch {
      continue;
    }
    const { target, executable, manifest_path: manifest } = message;
    if (message.reason !== 'compiler-artifact' || typeof executable !== 'string' || typeof manifest !== 'string')
      continue;
    if (!Array.isArray(target?.kind) || !target.kind.includes('bench') || typeof target.name !== 'string') continue;
    if (found.some((b) => b.executable === executable)) continue;
    found.push({ target: target.name, executable, packageDir: dirname(manifest) });
  }
  return found;
}

/**
 * The library search paths build scripts asked for (`cargo:rustc-link-search`, the `linked_paths` of cargo's
 * `build-script-executed` messages, `KIND=` prefix dropped), which cargo puts on a bench's dylib path. Pure.
 */
export function linkedPaths(messages: string): string[] {
  const paths: string[] = [];
  for (const line of messages.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: ArtifactMessage;
    try {
      message = JSON.parse(line) as ArtifactMessage;
    } catch {
      continue;
    }
    if (message.reason !== 'build-script-executed' || !Array.isArray(message.linked_paths)) continue;
    for (const entry of message.linked_paths) {
      if (typeof entry !== 'string') continue;
      const path = entry.replace(/^(native|crate|dependency|framework|all)=/, '');
      if (!paths.includes(path)) paths.push(path);
    }
  }
  return paths;
}

/**
 * The dylib path cargo gives a bench it runs (cargo's "Dynamic library paths"): the build scripts' search paths,
 * the profile's `deps` directory and the profile directory, the toolchain's own libraries, then what was set.
 */
export function dylibPath(binary: BenchBinary, linked: readonly string[], sysrootLib: string | null): string[] {
  const deps = dirname(binary.executable);
  const profile = dirname(deps);
  // As cargo does (filter_dynamic_search_path): only search paths inside the profile directory, so a build script's
  // `-L /usr/lib/...` cannot put system libraries ahead of what the user's own LD_LIBRARY_PATH chose.
  const inside = linked.filter((path) => path === profile || path.startsWith(`${profile}${sep}`));
  return [...inside, deps, profile, ...(sysrootLib ? [sysrootLib] : [])];
}

/** The variable the platform's loader reads for shared libraries, as cargo sets it. */
function dylibVariable(): string {
  if (process.platform === 'win32') return 'PATH';
  return process.platform === 'darwin' ? 'DYLD_FALLBACK_LIBRARY_PATH' : 'LD_LIBRARY_PATH';
}

/**
 * The bench executables a `cargo bench --no-run` command line (`cargoArgs`,
 * from `bench` on) builds: run after that build, cargo only checks they are fresh.
 */
export async function findBenchBinaries(
  cargoArgs: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<BenchBinary[]> {
  const split = cargoArgs.indexOf('--');
  const cargoPart = split === -1 ? [...cargoArgs] : cargoArgs.slice(0, split);
  const args = [...cargoPart, '--message-format=json'];
  const { stdout } = await exec('cargo', args, { cwd, env, echo: false, tailLines: 40 });
  const binaries = benchExecutables(stdout);
  if (binaries.length === 0) throw new ProcessError(`cargo ${args.join(' ')} in ${cwd} built no bench executable.`);
  const linked = linkedPaths(stdout);
  const sysroot = await probe('rustc', ['--print', 'sysroot'], cwd, env);
  const sysrootLib = sysroot ? join(sysroot, 'lib') : null;
  return binaries.map((binary) => ({ ...binary, libraryPath: dylibPath(binary, linked, sysrootLib) }));
}

/**
 * Runs each bench executable as `cargo bench -- <harnessArgs>` would (in its
 * package's directory, with `--bench` after the arguments), writing Criterion's
 * output under `outDir`/criterion whatever the Criterion version.
 */
export async function runBenchBinaries(
  binaries: readonly BenchBinary[],
  harnessArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  outDir: string,
): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  const runEnv = { ...env, CARGO_TARGET_DIR: outDir, CRITERION_HOME: join(outDir, 'criterion') };
  for (const binary of binaries)
    results.push(
      await exec(binary.executable, [...harnessArgs, '--bench'], {
        cwd: binary.packageDir,
        env: { ...runEnv, CARGO_MANIFEST_DIR: binary.packageDir, ...dylibEnv(binary, env) },
        tailLines: 40,
      }),
    );
  return results;
}

function dylibEnv(binary: BenchBinary, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!binary.libraryPath || binary.libraryPath.length === 0) return {};
  const name = dylibVariable();
  const existing = env[name];
  return { [name]: [...binary.libraryPath, ...(existing ? [existing] : [])].join(delimiter) };
}
