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
import { MANIFEST_FILE, type CriterionCounts } from '../formats/criterion-callgrind.ts';
import type { Log } from '../common/log.ts';
import type { BenchTarget } from './bench-targets.ts';
import { readCountsHome } from './counts-home.ts';
import {
  countingCargoArgs,
  harnessCopy,
  harnessSource,
  lockedRegistryCriterion,
  patchConfig,
} from './criterion-harness.ts';
import { exec, probe, TimeoutError } from './exec.ts';
import { keepingFiles } from './file-guard.ts';

/** The bench executables of `cargo bench --no-run --message-format=json` output, by `package/target`. Pure. */
export function benchExecutables(jsonLines: string): Map<string, { executable: string; manifestDir: string }> {
  const found = new Map<string, { executable: string; manifestDir: string }>();
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: {
      reason?: unknown;
      executable?: unknown;
      manifest_path?: unknown;
      package_id?: unknown;
      target?: { name?: unknown; kind?: unknown };
    };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue;
    }
    const kind = message.target?.kind;
    if (
      message.reason !== 'compiler-artifact' ||
      typeof message.executable !== 'string' ||
      typeof message.manifest_path !== 'string' ||
      typeof message.target?.name !== 'string' ||
      !Array.isArray(kind) ||
      !kind.includes('bench')
    )
      continue;
    found.set(message.target.name, { executable: message.executable, manifestDir: dirname(message.manifest_path) });
  }
  return found;
}

export interface CriterionCountsSetup {
  nativeDir: string;
  /** The workspace's target directory: the patched build goes below it, apart from the wall-time build's. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  /** The user's cargo arguments before `--` (features, profile). */
  cargoArgs: readonly string[];
  /** The longest one bench binary may run under Valgrind (countLimitSeconds). */
  limitSeconds: number;
  /** Where the harness copies go; os.tmpdir() by default. */
  harnessRoot?: string;
}

export type CriterionCountsOutcome =
  | {
      ran: true;
      home: string;
      counts: CriterionCounts;
      seconds: { build: number; valgrind: number };
      /** Whole benches that lost their counts (a failed build, a time limit), for the report. */
      notes: string[];
    }
  | { ran: false; reason: string };

/** The floor of the per-binary limit, and its multiple of the wall-time pass. */
const MIN_LIMIT_SECONDS = 600;
const WALL_TIME_FACTOR = 10;

/**
 * How long one bench binary may run under Valgrind: ten times the whole
 * wall-time pass over every bench (each routine runs a handful of times
 * under Valgrind against Criterion's seconds of sampling each), and never
 * under ten minutes. Pure.
 */
export function countLimitSeconds(wallTimePassSeconds: number): number {
  return Math.max(MIN_LIMIT_SECONDS, Math.ceil(wallTimePassSeconds * WALL_TIME_FACTOR));
}

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

/** One bench built against the harness, or why it was not. */
type Built = { executable: string; manifestDir: string } | { failed: string };

async function buildAll(
  setup: CriterionCountsSetup,
  targets: readonly BenchTarget[],
  patch: readonly string[],
  lockPath: string,
  log: Log,
): Promise<Map<BenchTarget, Built>> {
  const env = { ...setup.env, CARGO_TARGET_DIR: join(setup.targetDir, 'bench-action-counts') };
  const built = new Map<BenchTarget, Built>();
  await keepingFiles([lockPath], async (signal) => {
    for (const target of targets) {
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
        const { stdout } = await exec('cargo', args, { cwd: setup.nativeDir, env, echo: false, tailLines: 40, signal });
        const exe = benchExecutables(stdout).get(target.name);
        built.set(target, exe ?? { failed: 'cargo named no bench executable' });
      } catch (error) {
        if (signal.aborted) throw error;
        log.warning(`${target.package} --bench ${target.name} did not build against the counting harness.`);
        built.set(target, { failed: firstLine(error) });
      }
    }
  });
  return built;
}

/** Runs one bench binary under Callgrind into `out`; a death or the time limit is noted in its manifest. */
export async function countBench(
  target: BenchTarget,
  exe: { executable: string; manifestDir: string },
  out: string,
  run: { env: NodeJS.ProcessEnv; limitSeconds: number },
  log: Log,
): Promise<string | null> {
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
  return log.group(`Count instructions: ${name} (Callgrind)`, async () => {
    try {
      await exec('valgrind', args, {
        cwd: exe.manifestDir,
        env: { ...run.env, BENCH_ACTION_CRITERION_MANIFEST: manifest, RUST_BACKTRACE: '0' },
        tailLines: 15,
        timeoutMs: run.limitSeconds * 1000,
      });
      return null;
    } catch (error) {
      // The benchmarks counted before it stay; the one it was in is named in the report.
      const limit = error instanceof TimeoutError;
      const detail = limit ? `stopped at the ${run.limitSeconds} s limit per bench binary` : firstLine(error);
      log.warning(`${name} did not end cleanly under Valgrind: ${detail}`);
      writeFileSync(manifest, `${JSON.stringify({ event: 'exit', detail })}\n`, { flag: 'a' });
      return limit ? `${name} ran past the counting pass's ${run.limitSeconds} s limit per bench binary` : null;
    }
  });
}

/**
 * Builds the Criterion benches against the harness and runs each under
 * Callgrind; their output lands in `home`, one directory per bench.
 */
export async function runCriterionCounts(
  setup: CriterionCountsSetup,
  targets: readonly BenchTarget[],
  home: string,
  log: Log,
): Promise<CriterionCountsOutcome> {
  const lockPath = join((await workspaceRoot(setup.nativeDir, setup.env)) ?? setup.nativeDir, 'Cargo.lock');
  if (!existsSync(lockPath))
    return { ran: false, reason: `no Cargo.lock in ${dirname(lockPath)}, so the Criterion version is unknown` };
  const versions = lockedRegistryCriterion(readFileSync(lockPath, 'utf8'));
  if (versions.length === 0) return { ran: false, reason: `${lockPath} locks no Criterion from crates.io` };
  const source = harnessSource();
  const root = setup.harnessRoot ?? join(tmpdir(), 'bench-action-criterion-harness');
  const patch = patchConfig(new Map(versions.map((v) => [v, harnessCopy(source, v, root)])));
  const buildStart = Date.now();
  const built = await log.group(
    `Build the Criterion benches with bench-action's counting harness (Criterion ${versions.join(', ')})`,
    () => buildAll(setup, targets, patch, lockPath, log),
  );
  const buildSeconds = (Date.now() - buildStart) / 1000;
  const notes: string[] = [];
  const failed = [...built].flatMap(([t, b]) =>
    'failed' in b ? [`${t.package} --bench ${t.name} (${b.failed})`] : [],
  );
  if (failed.length === targets.length)
    return { ran: false, reason: `no bench built against the counting harness: ${failed.join('; ')}` };
  if (failed.length > 0) notes.push(`Not built against the counting harness: ${failed.join('; ')}.`);
  rmSync(home, { recursive: true, force: true });
  const valgrindStart = Date.now();
  for (const [target, exe] of built) {
    if ('failed' in exe) continue;
    const limit = await countBench(target, exe, join(home, `${target.package}.${target.name}`), setup, log);
    if (limit) notes.push(`${limit}: wall time decides the benchmarks it did not count.`);
  }
  const valgrindSeconds = (Date.now() - valgrindStart) / 1000;
  const read = readCountsHome(home);
  for (const problem of read.problems) log.warning(problem);
  return {
    ran: true,
    home,
    counts: read.counts,
    seconds: { build: buildSeconds, valgrind: valgrindSeconds },
    notes: [...notes, ...read.problems],
  };
}
