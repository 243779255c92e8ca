import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import { exec, probe } from './exec.ts';

/** What rustup should do, decided from the input and the files on disk. */
export type ToolchainPlan = { kind: 'named'; name: string } | { kind: 'file'; file: string };

const TOOLCHAIN_FILES = ['rust-toolchain.toml', 'rust-toolchain'];

/**
 * The toolchain file rustup would honour for `dir`: rustup looks in the
 * directory and its parents, so do we, stopping at `root`.
 */
export function findToolchainFile(dir: string, root: string, exists: (path: string) => boolean): string | null {
  let current = resolve(dir);
  const stop = resolve(root);
  for (;;) {
    for (const name of TOOLCHAIN_FILES) {
      const candidate = join(current, name);
      if (exists(candidate)) return candidate;
    }
    if (current === stop) return null;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

export function planToolchain(
  input: string,
  nativeDir: string,
  workingDir: string,
  exists: (path: string) => boolean,
): ToolchainPlan {
  if (input !== '') return { kind: 'named', name: input };
  const file = findToolchainFile(nativeDir, workingDir, exists);
  return file ? { kind: 'file', file } : { kind: 'named', name: 'stable' };
}

async function installRustup(log: Log, env: NodeJS.ProcessEnv): Promise<void> {
  log.info('rustup not found: installing it (profile minimal).');
  const response = await fetch('https://sh.rustup.rs').catch((error: Error) => {
    throw new ProcessError(
      `Could not download rustup from sh.rustup.rs: ${error.message}. Install Rust before this step or allow the download.`,
    );
  });
  if (!response.ok) throw new ProcessError(`Could not download rustup from sh.rustup.rs (HTTP ${response.status}).`);
  const dir = await mkdtemp(join(tmpdir(), 'rustup-'));
  const script = join(dir, 'rustup-init.sh');
  await writeFile(script, Buffer.from(await response.arrayBuffer()));
  await exec('sh', [script, '-y', '--profile', 'minimal', '--default-toolchain', 'none'], { cwd: dir, env });
}

/**
 * Whether `rustup toolchain list` output names the toolchain (`stable` matches `stable-x86_64-unknown-linux-gnu
 * (default)`).
 */
export function isInstalled(toolchainList: string, name: string): boolean {
  return toolchainList.split('\n').some((line) => {
    const installed = line.trim().split(/\s+/)[0] ?? '';
    return installed === name || installed.startsWith(`${name}-`);
  });
}

export interface Toolchain {
  /** Environment for cargo: PATH with ~/.cargo/bin, RUSTUP_TOOLCHAIN when named. */
  env: NodeJS.ProcessEnv;
  rustc: string | null;
  cargo: string | null;
  /** Name used in cache keys. */
  label: string;
}

/** Makes sure rustup and the planned toolchain are installed. */
/** `baseEnv`: the environment for rustup, cargo and what they run (benchmarkEnv: no credentials). */
export async function ensureToolchain(
  plan: ToolchainPlan,
  cwd: string,
  log: Log,
  baseEnv: NodeJS.ProcessEnv,
): Promise<Toolchain> {
  const cargoBin = join(baseEnv.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
  const path = [cargoBin, baseEnv.PATH ?? ''].join(':');
  const env: NodeJS.ProcessEnv = { ...baseEnv, PATH: path };
  if ((await probe('rustup', ['--version'], cwd, env)) === null && !existsSync(join(cargoBin, 'rustup'))) {
    await installRustup(log, env);
  }
  // Install what is missing, and leave an installed toolchain as it is: the
  // runner image's stable is the one its cache was built with, and updating
  // it on every run would cost time and invalidate target/.
  if (plan.kind === 'named') {
    const installed = (await probe('rustup', ['toolchain', 'list'], cwd, env)) ?? '';
    if (!isInstalled(installed, plan.name)) {
      await exec('rustup', ['toolchain', 'install', plan.name, '--profile', 'minimal', '--no-self-update'], {
        cwd,
        env,
      });
    }
    env.RUSTUP_TOOLCHAIN = plan.name;
  } else {
    const dir = dirname(plan.file);
    if ((await probe('rustc', ['--version'], dir, { ...env, RUSTUP_AUTO_INSTALL: '0' })) === null) {
      // rustup >= 1.28 installs the file's toolchain with a bare `toolchain install`;
      // older ones do it on `rustup show`.
      try {
        await exec('rustup', ['toolchain', 'install'], { cwd: dir, env });
      } catch {
        await exec('rustup', ['show'], { cwd: dir, env });
      }
    }
  }
  const rustc = await probe('rustc', ['--version'], cwd, env);
  const cargo = await probe('cargo', ['--version'], cwd, env);
  return { env, rustc, cargo, label: rustc?.split(' ')[1] ?? (plan.kind === 'named' ? plan.name : 'toolchain-file') };
}
