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
import { dirname, join } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import { exec, type ExecResult } from './exec.ts';

export interface BenchBinary {
  /** The bench target's name (`[[bench]] name`). */
  target: string;
  executable: string;
  /** Its package's directory: cargo runs a bench there, and relative paths in bench code mean it. */
  packageDir: string;
}

interface ArtifactMessage {
  reason?: unknown;
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
  return binaries;
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
        env: { ...runEnv, CARGO_MANIFEST_DIR: binary.packageDir },
        tailLines: 40,
      }),
    );
  return results;
}
