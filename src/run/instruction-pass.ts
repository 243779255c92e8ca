/**
 * The instruction-count pass of full mode (shell): gungraun's benches with
 * gungraun-runner, and every Criterion bench through bench-action's counting
 * harness (run/criterion-counts.ts), with no change to the project.
 * Where the tooling keeps counts from being taken (no Valgrind, the runner's
 * install or its time limit, a Criterion bench that will not build, dies
 * against our harness or runs past a limit) the job goes on: a count is a second, finer measurement of code
 * the wall-time pass has measured, and failing the job would block the change
 * on the tooling, not on its speed. What kept them is said in `skipped` (the
 * comment and the job summary) and wall time decides. A gungraun bench that
 * fails is another matter: it is the project's own benchmark, run only here
 * (gungraun's benches have no wall-time pass to fail instead), and its failure
 * (a panic, or gungraun's own hard limits, exit 3), or its being stopped at its
 * own time limit (a hang is as likely the project's as the tooling's, and nothing
 * else measures that code), fails the job in one line once every gungraun bench
 * has run, as `cargo bench` would, never a silent pass, nor a job cancelled at
 * its timeout with nothing said. A bench the pass's shared limit left unrun or
 * cut short loses its counts, said in `skipped`: the others' time ran out,
 * nothing says it hung. One cap bounds the whole pass
 * (run/count-limits.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import { loadResults } from '../files/load.ts';
import type { NamedResults } from '../schema/merge.ts';
import { INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import { SCHEMA_VERSION } from '../schema/types.ts';
import type { BenchTarget, BenchTargets } from './bench-targets.ts';
import { chooseCounts, countNotes } from './count-choice.ts';
import {
  afterGungraun,
  countLimits,
  describeLimits,
  gungraunLimits,
  PASS_CAP_SECONDS,
  type GungraunLimits,
} from './count-limits.ts';
import { runCriterionCounts, type CriterionCountsOutcome } from './criterion-counts.ts';
import { isCriterionSource } from './criterion-harness.ts';
import { ensureValgrind, runInstructionBenches, type InstructionsOutcome } from './instructions.ts';
import { runMetaOnce } from './metadata.ts';
import type { PreparedRust, ProduceArgs } from './produce.ts';
import { countsInstructions, type BuildSettings } from './settings.ts';

function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The Criterion benches the harness can count (those whose source uses Criterion). */
export function countableCriterion(targets: BenchTargets): BenchTarget[] {
  return targets.criterion.filter((t) => isCriterionSource(readSource(t.srcPath)));
}

/**
 * What the report says where a mode measures wall time only (shard, compare-mode same-runner): the
 * Criterion benches get no count there, and wall time decides them. Null when nothing would be counted.
 */
export function notCountedIn(
  mode: string,
  instructions: BuildSettings['instructions'],
  criterion: number,
): string | null {
  if (instructions === 'false' || criterion === 0) return null;
  return `Instruction counts of the Criterion benches are not taken in ${mode}: wall time decides them (full mode without same-runner counts them).`;
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
  wallTime: { timeIds: ReadonlySet<string>; buildSeconds: number; benchSeconds: number },
  log: Log,
): Promise<{ parts: NamedResults[]; skipped: string | null }> {
  const { timeIds } = wallTime;
  const { build, scratch } = args;
  const criterion = countableCriterion(targets);
  // One cap bounds the pass, gungraun's benches (first) and Criterion's together (run/count-limits.ts).
  const derived = countLimits(wallTime);
  const started = Date.now();
  if (build.instructions === 'false' || criterion.length === 0)
    return instructionCounts(args, rust, targets.gungraun, gungraunLimits(derived), log);
  const gungraun =
    targets.gungraun.length > 0
      ? await instructionCounts(args, rust, targets.gungraun, gungraunLimits(derived), log)
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
  // After Valgrind's install, so that apt-get's minutes come out of the cap too (second reader, session 8).
  const limits = afterGungraun(derived, (Date.now() - started) / 1000);
  if (limits === null) {
    const skipped = `Instruction counts of the Criterion benches skipped: the gungraun benches and Valgrind's install took the ${PASS_CAP_SECONDS / 60}-minute cap on a counting pass. Wall time decides them.`;
    log.warning(skipped);
    return { parts: gungraun.parts, skipped: [gungraun.skipped, skipped].filter(Boolean).join(' ') };
  }
  log.info(describeLimits(limits, wallTime));
  let outcome: CriterionCountsOutcome;
  try {
    outcome = await runCriterionCounts(
      {
        nativeDir: rust.nativeDir,
        targetDir: rust.targetDir,
        env: rust.env,
        cargoArgs: cargoPart(build.cargoBenchArgs),
        limits,
      },
      criterion,
      join(scratch, 'criterion-counts'),
      log,
    );
  } catch (error) {
    // Counts are extra evidence: their failure loses them, never the wall-time results already measured.
    outcome = { ran: false, reason: `the counting pass failed (${firstLine(error)})` };
  }
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
  const notes = [...outcome.problems, ...countNotes(choice, outcome.counts.uncounted, timeIds, counted, outcome.lost)];
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

/**
 * gungraun's instruction counts, when `instructions` asks for them and Valgrind can be had; `skipped` says why not, for
 * the report.
 */
export async function instructionCounts(
  args: ProduceArgs,
  rust: PreparedRust,
  targets: readonly BenchTarget[],
  limits: GungraunLimits,
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
  let outcome: InstructionsOutcome;
  try {
    outcome = await runInstructionBenches(
      { nativeDir: rust.nativeDir, targetDir: rust.targetDir, env: rust.env, platform: process.platform },
      targets,
      home,
      limits,
      log,
    );
  } catch (error) {
    // gungraun-runner's install failed or ran past the pass's limit: no counts, the wall-time results stand.
    outcome = { ran: false, reason: firstLine(error) };
  }
  if (!outcome.ran) {
    const skipped = `Instruction counts skipped: ${outcome.reason}. Carrying on with wall time only.`;
    log.warning(skipped);
    return { parts: [], skipped };
  }
  const failed = gungraunFailure(outcome.failed);
  if (failed) throw failed;
  const lost =
    outcome.lost.length === 0
      ? null
      : `No instruction counts from ${outcome.lost.map((l) => `${l.bench} (${l.reason})`).join('; ')}.`;
  if (lost) log.warning(lost);
  if (!existsSync(home)) return { parts: [], skipped: lost };
  return {
    parts: [
      {
        origin: `gungraun (${home})`,
        results: await loadResults(home, runMetaOnce({ ...build.meta, versions: rust.versions })),
      },
    ],
    skipped: lost,
  };
}

/**
 * The job's failure when gungraun benches failed (see the header), naming each
 * with its cause in one line; null when none did.
 */
export function gungraunFailure(failed: readonly { bench: string; reason: string }[]): ProcessError | null {
  if (failed.length === 0) return null;
  const list = failed.map((f) => `${f.bench} (${f.reason})`).join('; ');
  return new ProcessError(
    `gungraun bench${failed.length === 1 ? '' : 'es'} failed: ${list}. It is the project's own benchmark: fix it, or take it out of the workspace's benches.`,
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}
