import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { confirmationState, type PairMedians } from '../compare/confirm.ts';
import { nextPair, pairRuns, sameParity, SEQUENTIAL_DESIGN, type SequentialDesign } from '../compare/sequential.ts';
import { loadResults } from '../files/load.ts';
import { ProcessError, UserError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { Direction } from '../schema/types.ts';
import { criterionOnly, findBenchTargets, type BenchTargets } from './bench-targets.ts';
import { cargoBenchArgs, criterionSetup, roundPlan, withoutTargetDir } from './cargo.ts';
import {
  affordableRuns,
  roundHarnessArgs,
  roundInvocations,
  roundPadding,
  roundShape,
  runWeight,
  type FilterMatch,
} from './confirm-args.ts';
import { findBenchBinaries, runBenchBinaries, type BenchBinary } from './bench-binaries.ts';
import { exec } from './exec.ts';
import { checkoutBase, type SameRunnerArgs } from './same-runner.ts';

/**
 * The confirmation round's shell: builds the base commit in a worktree (warm,
 * from a copy of the head's target directory) and re-measures the
 * candidates, base and head interleaved on this runner, one round pair at a
 * time, as the sequential rule picks them (compare/sequential.ts), within a
 * time budget. Which benchmarks, and what the numbers mean, is decided in
 * compare/confirm.ts and compare/sequential.ts.
 */
export interface ConfirmCandidate {
  /** benchmarkKey: the id (wall time). */
  key: string;
  id: string;
  threshold: number;
  direction: Direction;
}

export interface ConfirmArgs extends Omit<SameRunnerArgs, 'rounds' | 'quick'> {
  /** The benchmarks to re-measure, in the order the budget should go to them before any pair is measured. */
  candidates: readonly ConfirmCandidate[];
  /** Milliseconds the whole round may take, the build included. */
  budgetMs: number;
  /** The head's cargo target directory: the base build starts from a copy of it, so only what changed is rebuilt. */
  targetDir: string | null;
  design?: SequentialDesign;
  /** Every benchmark id of the head's run: a substring filter's run also measures those containing it (the price). */
  knownIds?: readonly string[];
  /** The clock (injected so tests can run out the budget). */
  now?: () => number;
}

export interface ConfirmMeasurement {
  /** Per candidate key, the medians of each pair measured. */
  pairs: Map<string, PairMedians[]>;
  /** complete: every candidate decided or spent the design's pairs; partial: the budget ran out first. */
  state: 'complete' | 'partial';
  reason?: string;
  /** Candidates a side's run did not produce, by key, with what happened (they are not asked for again). */
  lost: Map<string, string>;
  seconds: number;
  buildSeconds: number;
}

/**
 * The bench targets a confirmation round names on one side (null: all). A side
 * with gungraun benches only has nothing that measures wall time: `cargo
 * bench` with a Criterion filter would run the gungraun benches and fail on
 * the filter, so the round stops here with the reason.
 */
export function confirmTargets(side: Side, targets: BenchTargets): string[] | null {
  const names = criterionOnly(targets);
  // A ProcessError, as a failed base build is: the round is skipped with a warning and the baseline's verdicts stand.
  if (names?.length === 0)
    throw new ProcessError(
      `the ${side} commit has gungraun benches only, no Criterion bench to re-measure in wall time`,
    );
  return names;
}

/**
 * The base's build environment: its own target directory, seeded with a copy
 * of the head's, so dependencies (fresh by cargo's fingerprints, which do not
 * depend on where the workspace lives) are not rebuilt and only the base's own
 * crates are. A shared directory would not do: cargo names a workspace crate's
 * artifacts by its path relative to the workspace, so base and head would
 * overwrite each other's and rebuild on every round.
 */
async function warmBaseEnv(
  targetDir: string | null,
  scratch: string,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<NodeJS.ProcessEnv> {
  const baseTarget = join(scratch, 'base-target');
  // `cargo bench` builds with the bench profile, into release/: the rest (debug builds, docs) is not worth copying.
  const release = targetDir ? join(targetDir, 'release') : null;
  if (release && existsSync(release)) {
    const started = Date.now();
    await cp(release, join(baseTarget, 'release'), {
      recursive: true,
      preserveTimestamps: true,
      verbatimSymlinks: true,
    });
    log.info(
      `Confirmation: the base builds from a copy of the head's ${release} (${((Date.now() - started) / 1000).toFixed(1)} s to copy).`,
    );
  }
  return { ...env, CARGO_TARGET_DIR: baseTarget };
}

type Side = 'base' | 'head';
const SIDES = ['base', 'head'] as const;

/**
 * What happened to a candidate one side's run or both did not produce (for the
 * log and the report), naming the filter when one selected the runs.
 */
export function notProduced(onBase: boolean, onHead: boolean, filter: string | null): string {
  if (onBase && onHead)
    return `was measured on neither the base nor the head: ${filter ? `the filter (${filter}) matched nothing on either side, or the bench's own code skipped it` : "neither side's run reported it"}`;
  const [side, other] = onBase ? ['base', 'head'] : ['head', 'base'];
  return `was not measured on the ${side} (it was on the ${other}): the ${side} does not have it under this id (added, renamed or removed by the pull request)${filter ? `, or the filter (${filter}) matched nothing there` : ''}`;
}

const FILTER_WORDS: Record<FilterMatch, string> = {
  regex: 'the exact id as a regular expression',
  substring: 'the id as a substring',
  either: "the id's longest part free of regex syntax, as a substring",
  contains: 'the escaped id as a regular expression found anywhere in an id',
};

/** Each benchmark's median in one side's run of one round, by benchmarkKey. */
async function runMedians(criterionHome: string, args: ConfirmArgs): Promise<Map<string, number>> {
  // A run that wrote nothing (every benchmark of the batch renamed or skipped) loses the batch, not the job.
  if (!existsSync(criterionHome)) return new Map();
  try {
    const results = await loadResults(criterionHome, args.meta);
    return new Map(results.benchmarks.map((b) => [benchmarkKey(b), b.estimates.median]));
  } catch (error) {
    if (error instanceof UserError) return new Map();
    throw error;
  }
}

/**
 * Builds both sides, then measures round pairs of the candidates the
 * sequential rule picks (each candidate's own pairs in ABBA order: pairRuns),
 * nearest a decision first,
 * as many per pair as the remaining budget pays for at the cost per benchmark
 * measured so far (the first pair measures the first candidate alone, to price
 * one). Stops when no candidate is left undecided below the design's maximum,
 * or the budget is spent.
 */
export async function confirmOnRunner(args: ConfirmArgs, log: Log): Promise<ConfirmMeasurement> {
  const now = args.now ?? Date.now;
  const design = args.design ?? SEQUENTIAL_DESIGN;
  const started = now();
  const pairs = new Map<string, PairMedians[]>(args.candidates.map((c) => [c.key, []]));
  const base = await checkoutBase(args.nativeDir, args.baseSha, args.scratch, args.env, log);
  const dirs = { base: base.nativeDir, head: args.nativeDir };
  let buildSeconds: number;
  let state: ConfirmMeasurement['state'] = 'complete';
  let reason: string | undefined;
  // A benchmark a side's run did not produce (renamed, or filtered out by a bench's own code) is not asked for again.
  const lost = new Map<string, string>();
  try {
    const envs = { base: await warmBaseEnv(args.targetDir, args.scratch, args.env, log), head: args.env };
    const userArgs = { base: withoutTargetDir(args.userArgs), head: args.userArgs };
    // gungraun benches reject Criterion's flags: name the Criterion targets when both kinds exist.
    const targets: Record<Side, string[] | null> = { base: null, head: null };
    const binaries: Record<Side, BenchBinary[]> = { base: [], head: [] };
    for (const side of SIDES) {
      targets[side] = confirmTargets(side, await findBenchTargets(dirs[side], envs[side]));
      // Built before the clock matters for batching: a round should time benchmarks, not the compiler.
      const build = cargoBenchArgs(['--no-run', ...userArgs[side]], [], targets[side]);
      await log.group(`Confirmation: build the ${side}`, () =>
        exec('cargo', build, { cwd: dirs[side], env: envs[side] }),
      );
      // The round's runs start the built executables themselves (run/bench-binaries.ts says why).
      binaries[side] = await findBenchBinaries(build, dirs[side], envs[side], (line) =>
        log.info(`Confirmation (${side}): ${line}`),
      );
    }
    buildSeconds = (now() - started) / 1000;
    // Short runs (each gives one median; the pairs give the spread), with one set of flags both sides' Criterion take.
    const setups = {
      base: await criterionSetup(dirs.base, envs.base, 'the confirmation round (base)'),
      head: await criterionSetup(dirs.head, envs.head, 'the confirmation round (head)'),
    };
    const plan = roundPlan(setups.base, setups.head);
    for (const note of plan.notes) log.info(`Confirmation: ${note}`);
    const shape = roundShape(binaries, { base: setups.base.versions, head: setups.head.versions });
    for (const note of shape.notes) log.info(note);
    const byKey = new Map(args.candidates.map((c) => [c.key, c]));
    // Seconds per benchmark measured: on a substring Criterion a candidate's run measures the known ids containing it.
    const kinds = [...shape.kinds.base, ...shape.kinds.head];
    const weight = (key: string) => {
      const id = byKey.get(key)?.id ?? key;
      return shape.grouping === 'together' ? 1 : runWeight(id, args.knownIds ?? [], kinds);
    };
    let perRun: number | null = null;
    // Every run pads its start to one size, so base and head start alike (bench-binaries.ts startBytes says why).
    const harnessOf = (side: Side) => (only: readonly string[], match: FilterMatch) =>
      roundHarnessArgs(userArgs[side], plan.flags, only, targets[side], match);
    const sides = (side: Side) => ({ binaries: binaries[side], env: envs[side], harness: harnessOf(side) });
    const ids = args.candidates.map((c) => c.id);
    const padTo = roundPadding({ base: sides('base'), head: sides('head') }, ids, shape, args.scratch);
    for (let pair = 0; ; pair++) {
      const states = args.candidates
        .filter((c) => !lost.has(c.key))
        .map((c) => ({ key: c.key, state: confirmationState(c, pairs.get(c.key) ?? [], design) }));
      const left = args.budgetMs - (now() - started);
      const open = nextPair(states, Number.MAX_SAFE_INTEGER, design);
      if (open.length === 0) break;
      const affordable = perRun === null ? (left > 0 ? 1 : 0) : affordableRuns(open.map(weight), left / perRun);
      const picked = nextPair(states, affordable, design);
      // One parity of pairs done per pair: two runs (ABBA per candidate), not three.
      const batch = sameParity(picked.map((key) => ({ key, done: pairs.get(key)?.length ?? 0 })));
      if (batch.length === 0) {
        state = 'partial';
        reason = `the budget (${(args.budgetMs / 60_000).toFixed(0)} min, the build's ${buildSeconds.toFixed(0)} s included) ran out with ${open.length} benchmark${open.length === 1 ? '' : 's'} undecided`;
        break;
      }
      const pairStarted = now();
      const medians = { base: new Map<string, number>(), head: new Map<string, number>() };
      try {
        const runs = pairRuns(batch.map((key) => ({ key, done: pairs.get(key)?.length ?? 0 })));
        for (const [i, run] of runs.entries()) {
          const ids = run.keys.map((key) => byKey.get(key)?.id ?? key);
          for (const [j, only] of roundInvocations(ids, shape.grouping).entries()) {
            const outDir = join(args.scratch, `confirm-${pair}-${i}-${j}-${run.side}`);
            const harness = (binary: BenchBinary) => harnessOf(run.side)(only, shape.match(run.side, binary));
            await log.group(
              `Confirmation pair ${pair + 1}: ${run.side} (${only.length === 1 ? only[0] : `${only.length} benchmarks`})`,
              () => runBenchBinaries(binaries[run.side], harness, envs[run.side], outDir, padTo),
            );
            const criterionHome = join(outDir, 'criterion');
            // Only the ids this run was for: a substring filter runs the ids that contain it as well.
            const wanted = new Set(only);
            for (const [key, median] of await runMedians(criterionHome, args))
              if (wanted.has(byKey.get(key)?.id ?? key)) medians[run.side].set(key, median);
          }
        }
      } catch (error) {
        // A run failing mid-round keeps the pairs measured so far: a partial round, not a skipped one.
        if (!(error instanceof ProcessError) || pair === 0) throw error;
        state = 'partial';
        reason = `a run failed at pair ${pair + 1}: ${error.message.split('\n')[0] ?? ''}`;
        break;
      }
      for (const key of batch) {
        const [b, h] = [medians.base.get(key), medians.head.get(key)];
        if (b !== undefined && h !== undefined) pairs.get(key)?.push({ base: b, head: h });
        else {
          const missing = SIDES.filter((side) => (side === 'base' ? b : h) === undefined);
          const words = [
            ...new Set(missing.flatMap((side) => shape.kinds[side].map((kind) => FILTER_WORDS[kind]))),
          ].join(', ');
          const what = notProduced(b === undefined, h === undefined, `Criterion's, ${words}`);
          lost.set(key, what);
          log.warning(`Confirmation: ${byKey.get(key)?.id ?? key} ${what}; it keeps what it has.`);
        }
      }
      perRun = (now() - pairStarted) / batch.reduce((sum, key) => sum + weight(key), 0);
    }
    // Every candidate lost, none measured: said in the comment's first lines, not left to a quiet table.
    if (lost.size === args.candidates.length && [...pairs.values()].every((list) => list.length === 0))
      reason = `no run measured any of the ${args.candidates.length} benchmark${args.candidates.length === 1 ? '' : 's'} (${[...new Set(lost.values())].join('; ')})`;
  } finally {
    await base.remove();
  }
  return { pairs, state, ...(reason ? { reason } : {}), lost, seconds: (now() - started) / 1000, buildSeconds };
}
