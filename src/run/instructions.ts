/**
 * Instruction counts in full mode (shell): Valgrind, gungraun-runner at the
 * gungraun library's locked version, then each gungraun bench with its JSON
 * summaries in a fresh directory. Without Valgrind (macOS, Windows, no apt)
 * it says so and the run carries on with wall time only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import type { BenchTarget } from './bench-targets.ts';
import { PASS_CAP_SECONDS, type GungraunLimits } from './count-limits.ts';
import { exec, probe, TimeoutError } from './exec.ts';

/** The `gungraun` library version Cargo.lock pins, or null when it is not locked. Pure. */
export function lockedGungraunVersion(cargoLock: string): string | null {
  const match = /\[\[package\]\]\s*\nname = "gungraun"\s*\nversion = "([^"]+)"/.exec(cargoLock);
  return match?.[1] ?? null;
}

export interface InstructionsSetup {
  nativeDir: string;
  /** cargo's target directory: the runner is installed below it, so the cargo cache keeps it. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/** Each apt-get step's limit: a mirror that stalls loses the counts, not the job. */
const APT_SECONDS = 600;

/** Valgrind on PATH, installed with apt on Linux when missing; the reason when it cannot be had. */
export async function ensureValgrind(setup: InstructionsSetup, log: Log): Promise<string | null> {
  if (await probe('valgrind', ['--version'], setup.nativeDir, setup.env)) return null;
  if (setup.platform !== 'linux') return `Valgrind does not run on ${setup.platform} runners`;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : ['sudo', '-n'];
  try {
    await log.group('Install Valgrind (apt)', async () => {
      const [cmd = 'apt-get', ...pre] = [...sudo, 'apt-get'];
      const timeoutMs = APT_SECONDS * 1000;
      await exec(cmd, [...pre, 'update', '-qq'], { cwd: setup.nativeDir, env: setup.env, echo: false, timeoutMs });
      await exec(cmd, [...pre, 'install', '-y', '-qq', '--no-install-recommends', 'valgrind'], {
        cwd: setup.nativeDir,
        env: { ...setup.env, DEBIAN_FRONTEND: 'noninteractive' },
        echo: false,
        timeoutMs,
      });
    });
  } catch (error) {
    return `Valgrind is not installed and apt could not install it (${error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : 'failed'})`;
  }
  return (await probe('valgrind', ['--version'], setup.nativeDir, setup.env))
    ? null
    : 'Valgrind is not on PATH after installing it';
}

/**
 * gungraun-runner at exactly `version` (a runner of another version records
 * zero counts), installed with --locked under the target directory, which the
 * cargo cache saves: the build happens once per lock file.
 */
async function ensureRunner(setup: InstructionsSetup, version: string, deadline: number, log: Log): Promise<string> {
  const root = join(setup.targetDir, 'bench-action-tools', `gungraun-runner-${version}`);
  const binary = join(root, 'bin', 'gungraun-runner');
  if (existsSync(binary)) {
    log.info(`gungraun-runner ${version}: cached at ${binary}`);
    return binary;
  }
  const onPath = await probe('gungraun-runner', ['--version'], setup.nativeDir, setup.env);
  if (onPath?.trim().endsWith(version)) {
    log.info(`gungraun-runner ${version}: found on PATH`);
    return 'gungraun-runner';
  }
  await log.group(`Install gungraun-runner ${version} (cargo install --locked)`, () =>
    exec('cargo', ['install', '--locked', '--root', root, `gungraun-runner@${version}`], {
      cwd: setup.nativeDir,
      env: setup.env,
      tailLines: 30,
      timeoutMs: Math.max(1, deadline - Date.now()),
    }),
  );
  return binary;
}

export type InstructionsOutcome =
  | {
      ran: true;
      home: string;
      /** gungraun benches that failed (a panic, a build error, their own time limit), each with its one-line cause. */
      failed: { bench: string; reason: string }[];
      /** Benches the pass's shared limit left unrun or cut short: their counts are lost, the bench did not fail. */
      lost: { bench: string; reason: string }[];
    }
  | { ran: false; reason: string };

/**
 * Installs what is missing and runs every gungraun bench, each within its limit and all within the pass's;
 * summaries land in `home`. A bench that fails or is stopped does not stop the others; the caller fails the job
 * on it (run/instruction-pass.ts). An install that runs past the pass's limit loses the counts (`ran: false`).
 */
export async function runInstructionBenches(
  setup: InstructionsSetup,
  targets: readonly BenchTarget[],
  home: string,
  limits: GungraunLimits,
  log: Log,
): Promise<InstructionsOutcome> {
  const deadline = Date.now() + limits.passSeconds * 1000;
  const lockPath = join(setup.nativeDir, 'Cargo.lock');
  const version = existsSync(lockPath) ? lockedGungraunVersion(readFileSync(lockPath, 'utf8')) : null;
  if (version === null)
    return {
      ran: false,
      reason: `no gungraun version locked in ${lockPath}; commit Cargo.lock so the runner can match the library`,
    };
  const missing = await ensureValgrind(setup, log);
  if (missing) return { ran: false, reason: missing };
  const runner = await ensureRunner(setup, version, deadline, log);
  const env = { ...setup.env, GUNGRAUN_RUNNER: runner, GUNGRAUN_HOME: home, GUNGRAUN_SAVE_SUMMARY: 'json' };
  const failed: { bench: string; reason: string }[] = [];
  const lost: { bench: string; reason: string }[] = [];
  const passLimit =
    limits.passSeconds === PASS_CAP_SECONDS
      ? `the ${PASS_CAP_SECONDS / 60}-minute cap on a counting pass`
      : `its ${limits.passSeconds} s limit`;
  for (const target of targets) {
    const bench = `${target.package} --bench ${target.name}`;
    const left = Math.floor((deadline - Date.now()) / 1000);
    if (left <= 0) {
      lost.push({ bench, reason: `was not run: the gungraun benches reached ${passLimit}` });
      continue;
    }
    const own = left >= limits.benchSeconds;
    try {
      await log.group(`cargo bench -p ${target.package} --bench ${target.name} (gungraun, instruction counts)`, () =>
        exec('cargo', ['bench', '-p', target.package, '--bench', target.name], {
          cwd: setup.nativeDir,
          env,
          tailLines: 40,
          timeoutMs: (own ? limits.benchSeconds : left) * 1000,
        }),
      );
    } catch (error) {
      const stopped = own
        ? `stopped at the ${limits.benchSeconds} s limit per gungraun bench (its build included)`
        : `stopped when the gungraun benches reached ${passLimit}`;
      const reason = error instanceof TimeoutError ? stopped : failureCause(error);
      // Cut short by the pass's shared limit, not its own: the others' time ran out, nothing says this one hung.
      const cut = error instanceof TimeoutError && !own;
      log.warning(
        `${bench} ${cut ? 'lost' : 'failed; its benchmarks have no'} instruction counts in this run: ${reason}`,
      );
      (cut ? lost : failed).push({ bench, reason });
    }
  }
  return { ran: true, home, failed, lost };
}

/** How a bench failed, in one line: how cargo ended and the first error it printed (a panic and its message). */
function failureCause(error: unknown): string {
  if (!(error instanceof ProcessError) || error.failure === null)
    return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
  const { how, errorLines } = error.failure;
  return (errorLines.length === 0 ? how : `${how}: ${errorLines.slice(0, 2).join(' ')}`).slice(0, 400);
}
