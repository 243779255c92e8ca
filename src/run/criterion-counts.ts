/**
 * Instruction counts for plain Criterion benches (shell), with no change to
 * the project: each bench is built against bench-action's harness
 * (run/criterion-harness.ts) in a target directory of its own, then run under
 * `valgrind --tool=callgrind --collect-atstart=no`, where the harness counts
 * each routine between client requests. Whatever goes wrong loses counts, not
 * the job: a bench that does not build, dies or runs past its time limit
 * loses its own benchmarks' counts (wall time decides them, and `notes` says
 * why); Cargo.lock, which the patched build rewrites, is put back byte for
 * byte, also when the job is cancelled (run/file-guard.ts). Docs:
 * docs/instructions.md.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, type CriterionCounts, type LostBench } from '../formats/criterion-callgrind.ts';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import type { BenchTarget } from './bench-targets.ts';
import { benchArtifacts, cargoMessages, type BenchArtifact } from './cargo-messages.ts';
import { readCountsHome } from './counts-home.ts';
import {
  countingCargoArgs,
  harnessCopy,
  harnessSource,
  lockedRegistryCriterion,
  patchConfig,
} from './criterion-harness.ts';
import { buildLimitText, passLimitText, type CountLimits } from './count-limits.ts';
import { exec, probe, TimeoutError } from './exec.ts';
import { keepingFiles } from './file-guard.ts';

export interface CriterionCountsSetup {
  nativeDir: string;
  /** The workspace's target directory: the patched build goes below it, apart from the wall-time build's. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  /** The user's cargo arguments before `--` (features, profile). */
  cargoArgs: readonly string[];
  /** The pass's time limits (run/count-limits.ts). */
  limits: CountLimits;
  /** Where the harness copies go; os.tmpdir() by default. */
  harnessRoot?: string;
}

export type CriterionCountsOutcome =
  | {
      ran: true;
      home: string;
      counts: CriterionCounts;
      seconds: { build: number; valgrind: number };
      /** Bench binaries that lost counts (no build, a death, a time limit), each with its one-line cause. */
      lost: LostBench[];
      /** Output of the pass that could not be read, for the report. */
      problems: string[];
    }
  | { ran: false; reason: string };

/** cargo metadata's workspace_root: a member crate's directory shares the root's Cargo.lock. */
async function workspaceRoot(nativeDir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const text = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  if (text === null) return null;
  const root = (JSON.parse(text) as { workspace_root?: unknown }).workspace_root;
  return typeof root === 'string' ? root : null;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}

/** Valgrind's own lines (`==123== ...`) and Rust's backtrace hint say nothing of why the program died. */
const NOT_THE_CAUSE = /^==\d+==|^note: run with `RUST_BACKTRACE=/;

/**
 * Why a bench binary under Valgrind did not end cleanly, in one line: how it
 * ended (exit status or signal) and the last line it wrote to stderr (a
 * panic's message, an unsupported system call), not Valgrind's command line.
 */
export function deathCause(error: unknown): string {
  if (!(error instanceof ProcessError) || error.failure === null) return firstLine(error);
  const last = (error.failure.stderrTail ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !NOT_THE_CAUSE.test(l))
    .at(-1);
  return last === undefined ? error.failure.how : `${error.failure.how}; its last stderr line: ${last.slice(0, 200)}`;
}

/** One bench built against the harness, or why it was not. */
type Built = BenchArtifact | { failed: string };

const secondsLeft = (deadline: number) => (deadline - Date.now()) / 1000;

async function buildAll(
  setup: CriterionCountsSetup,
  targets: readonly BenchTarget[],
  patch: readonly string[],
  lockPath: string,
  log: Log,
): Promise<Map<BenchTarget, Built>> {
  const env = { ...setup.env, CARGO_TARGET_DIR: join(setup.targetDir, 'bench-action-counts') };
  const built = new Map<BenchTarget, Built>();
  const deadline = Date.now() + setup.limits.buildSeconds * 1000;
  const overLimit = `the counting build ran past ${buildLimitText(setup.limits)}`;
  await keepingFiles([lockPath], async (signal) => {
    for (const target of targets) {
      if (secondsLeft(deadline) <= 0) {
        built.set(target, { failed: overLimit });
        continue;
      }
      const args = [
        'bench',
        '--no-run',
        '--message-format=json-render-diagnostics',
        ...patch,
        '-p',
        target.package,
        '--bench',
        target.name,
        ...countingCargoArgs(setup.cargoArgs),
      ];
      log.info(`cargo ${args.join(' ')}`);
      try {
        const timeoutMs = Math.max(1, deadline - Date.now());
        const run = { cwd: setup.nativeDir, env, echo: false, tailLines: 40, signal, timeoutMs };
        const { stdout } = await exec('cargo', args, run);
        const exe = benchArtifacts(cargoMessages(stdout)).find((b) => b.target === target.name);
        built.set(target, exe ?? { failed: 'cargo named no bench executable' });
      } catch (error) {
        if (signal.aborted) throw error;
        log.warning(`${target.package} --bench ${target.name} did not build against the counting harness.`);
        built.set(target, { failed: error instanceof TimeoutError ? overLimit : firstLine(error) });
      }
    }
  });
  return built;
}

/** Runs one bench binary under Callgrind into `out`; a death or the time limit is noted in its manifest. */
export async function countBench(
  target: BenchTarget,
  exe: BenchArtifact,
  out: string,
  run: {
    env: NodeJS.ProcessEnv;
    limitSeconds: number;
    /** What the report says when the limit stops it. */ stopped: string;
  },
  log: Log,
): Promise<void> {
  mkdirSync(out, { recursive: true });
  const manifest = join(out, MANIFEST_FILE);
  const args = [
    '--tool=callgrind',
    '--collect-atstart=no',
    `--callgrind-out-file=${join(out, 'callgrind.out')}`,
    exe.executable,
    '--bench',
  ];
  const name = `${target.package} --bench ${target.name}`;
  await log.group(`Count instructions: ${name} (Callgrind)`, async () => {
    try {
      await exec('valgrind', args, {
        cwd: exe.packageDir,
        env: { ...run.env, BENCH_ACTION_CRITERION_MANIFEST: manifest, RUST_BACKTRACE: '0' },
        tailLines: 15,
        timeoutMs: run.limitSeconds * 1000,
      });
    } catch (error) {
      // The benchmarks counted before it stay; the manifest names the one it was in, or says it was in none.
      const detail = error instanceof TimeoutError ? run.stopped : deathCause(error);
      log.warning(`${name} did not end cleanly under Valgrind: ${detail}`);
      const stopped = error instanceof TimeoutError;
      writeFileSync(manifest, `${JSON.stringify({ event: 'exit', bench: name, detail, stopped })}\n`, { flag: 'a' });
    }
  });
}

/**
 * Builds the Criterion benches against the harness and runs each under
 * Callgrind; their output lands in `home`, one directory per bench. The
 * pass as a whole ends at its limit: the benches it did not run are lost.
 */
export async function runCriterionCounts(
  setup: CriterionCountsSetup,
  targets: readonly BenchTarget[],
  home: string,
  log: Log,
): Promise<CriterionCountsOutcome> {
  const started = Date.now();
  const passDeadline = started + setup.limits.passSeconds * 1000;
  const lockPath = join((await workspaceRoot(setup.nativeDir, setup.env)) ?? setup.nativeDir, 'Cargo.lock');
  if (!existsSync(lockPath))
    return { ran: false, reason: `no Cargo.lock in ${dirname(lockPath)}, so the Criterion version is unknown` };
  const versions = lockedRegistryCriterion(readFileSync(lockPath, 'utf8'));
  if (versions.length === 0) return { ran: false, reason: `${lockPath} locks no Criterion from crates.io` };
  const source = harnessSource();
  const root = setup.harnessRoot ?? join(tmpdir(), 'bench-action-criterion-harness');
  const patch = patchConfig(new Map(versions.map((v) => [v, harnessCopy(source, v, root)])));
  const built = await log.group(
    `Build the Criterion benches with bench-action's counting harness (Criterion ${versions.join(', ')})`,
    () => buildAll(setup, targets, patch, lockPath, log),
  );
  const buildSeconds = (Date.now() - started) / 1000;
  const lost: LostBench[] = [];
  for (const [t, b] of built)
    if ('failed' in b)
      lost.push({
        bench: `${t.package} --bench ${t.name}`,
        reason: `did not build against the counting harness (${b.failed})`,
      });
  if (lost.length === targets.length)
    return {
      ran: false,
      reason: `no bench built against the counting harness: ${lost.map((l) => `${l.bench} (${l.reason})`).join('; ')}`,
    };
  rmSync(home, { recursive: true, force: true });
  const valgrindStart = Date.now();
  for (const [target, exe] of built) {
    if ('failed' in exe) continue;
    const left = Math.floor(secondsLeft(passDeadline));
    if (left <= 0) {
      const reason = `was not run: the counting pass reached ${passLimitText(setup.limits)}`;
      lost.push({ bench: `${target.package} --bench ${target.name}`, reason });
      continue;
    }
    // What is left of the pass may be shorter than a binary's own limit: the report names the limit that stopped it.
    const ownLimit = left >= setup.limits.binarySeconds;
    const run = {
      env: setup.env,
      limitSeconds: ownLimit ? setup.limits.binarySeconds : left,
      stopped: ownLimit
        ? `stopped at the ${setup.limits.binarySeconds} s limit per bench binary`
        : `stopped when the counting pass reached ${passLimitText(setup.limits)}`,
    };
    await countBench(target, exe, join(home, `${target.package}.${target.name}`), run, log);
  }
  const valgrindSeconds = (Date.now() - valgrindStart) / 1000;
  const read = readCountsHome(home);
  for (const problem of read.problems) log.warning(problem);
  return {
    ran: true,
    home,
    counts: read.counts,
    seconds: { build: buildSeconds, valgrind: valgrindSeconds },
    lost: [...lost, ...read.counts.lost],
    problems: read.problems,
  };
}
