import { join } from 'node:path';
import { runMedians } from '../compare/noise.ts';
import { poolRounds, roundsNoise } from '../compare/pool.ts';
import { loadResults } from '../files/load.ts';
import { ProcessError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import type { Results } from '../schema/types.ts';
import { criterionOnly, findBenchTargets, type BenchTargets } from './bench-targets.ts';
import { cargoBenchArgs, quickPlan } from './cargo.ts';
import { exec } from './exec.ts';
import { checkoutBase, roundOrder, type SameRunnerArgs, type SameRunnerResult } from './same-runner.ts';

/**
 * The confirmation round's shell: builds the base commit in a worktree and
 * re-measures only the flagged benchmarks, base and head interleaved on this
 * runner, within a time budget. Which benchmarks, and what the numbers mean,
 * is decided in compare/confirm.ts.
 */
export interface ConfirmArgs extends SameRunnerArgs {
  /** Benchmark ids to re-measure, most important first. */
  ids: readonly string[];
  /** Milliseconds the whole round may take, the build included. */
  budgetMs: number;
  /** The clock (injected so tests can run out the budget). */
  now?: () => number;
}

export interface ConfirmMeasurement extends SameRunnerResult {
  /** Ids re-measured; the rest of `ids` did not fit the budget. */
  measured: string[];
  skipped: string[];
  rounds: number;
  seconds: number;
}

/**
 * The bench targets a confirmation round names on one side (null: all). A side
 * with gungraun benches only has nothing that measures wall time: `cargo
 * bench` with a Criterion filter would run the gungraun benches and fail on
 * the filter, so the round stops here with the reason.
 */
export function confirmTargets(side: 'base' | 'head', targets: BenchTargets): string[] | null {
  const names = criterionOnly(targets);
  // A ProcessError, as a failed base build is: the round is skipped with a warning and the baseline's verdicts stand.
  if (names?.length === 0)
    throw new ProcessError(
      `the ${side} commit has gungraun benches only, no Criterion bench to re-measure in wall time`,
    );
  return names;
}

/** A Criterion filter matching exactly these ids (Criterion filters are regular expressions). */
export function criterionFilter(ids: readonly string[]): string {
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${escaped.join('|')})$`;
}

/** `cargo bench` with the user's arguments and a filter for these ids only. */
export function filteredBenchArgs(
  userArgs: readonly string[],
  quickFlags: ReadonlyArray<readonly [string, string]>,
  ids: readonly string[],
  criterionTargets: readonly string[] | null = null,
): string[] {
  const withFilter = userArgs.includes('--')
    ? [...userArgs, criterionFilter(ids)]
    : [...userArgs, '--', criterionFilter(ids)];
  return cargoBenchArgs(withFilter, quickFlags, criterionTargets);
}

/** The benchmarks of several runs (batches) of one round side by side in one document. */
function joinRuns(runs: readonly Results[]): Results {
  const [first] = runs;
  if (!first) throw new Error('joinRuns needs at least one run');
  return { ...first, benchmarks: runs.flatMap((r) => r.benchmarks) };
}

/**
 * Builds both sides, then measures the ids in batches: first the most
 * important one alone, which also prices a benchmark; then as many of the rest
 * as the remaining budget pays for. Each batch runs `rounds` interleaved
 * rounds per side (ABBA), so the spread between rounds is known.
 */
export async function confirmOnRunner(args: ConfirmArgs, log: Log): Promise<ConfirmMeasurement> {
  const now = args.now ?? Date.now;
  const started = now();
  const base = await checkoutBase(args.nativeDir, args.baseSha, args.scratch, args.env, log);
  const dirs = { base: base.nativeDir, head: args.nativeDir };
  const byRound: Record<'base' | 'head', Results[][]> = { base: [], head: [] };
  const measured: string[] = [];
  try {
    // gungraun benches reject Criterion's flags: name the Criterion targets when both kinds exist.
    const targets: Record<'base' | 'head', string[] | null> = { base: null, head: null };
    for (const side of ['base', 'head'] as const) {
      targets[side] = confirmTargets(side, await findBenchTargets(dirs[side], args.env));
      // Built before the clock matters for batching: a round should time benchmarks, not the compiler.
      await log.group(`Confirmation: build the ${side}`, () =>
        exec('cargo', cargoBenchArgs(['--no-run', ...args.userArgs], [], targets[side]), {
          cwd: dirs[side],
          env: args.env,
        }),
      );
    }
    // The same Criterion flags `quick` gave the head's run (what its Cargo.lock's Criterion accepts).
    const quickFlags = args.quick ? (await quickPlan(dirs.head, args.env)).flags : [];
    let remaining = [...args.ids];
    let perId: number | null = null;
    let batchNumber = 0;
    while (remaining.length > 0) {
      const left = args.budgetMs - (now() - started);
      const fits = perId === null ? (left > 0 ? 1 : 0) : Math.floor(left / perId);
      if (fits <= 0) break;
      const batch = remaining.slice(0, perId === null ? 1 : fits);
      remaining = remaining.slice(batch.length);
      const batchStarted = now();
      for (let round = 0; round < args.rounds; round++) {
        for (const side of roundOrder(round)) {
          const criterionHome = join(args.scratch, `confirm-${batchNumber}-${side}-${round}`);
          const env = { ...args.env, CRITERION_HOME: criterionHome };
          await log.group(
            `Confirmation round ${round + 1}/${args.rounds}: ${side} (${batch.length} benchmark${batch.length === 1 ? '' : 's'})`,
            () =>
              exec('cargo', filteredBenchArgs(args.userArgs, quickFlags, batch, targets[side]), {
                cwd: dirs[side],
                env,
                tailLines: 40,
              }),
          );
          const results = await loadResults(criterionHome, args.meta);
          (byRound[side][round] ??= []).push(results);
        }
      }
      perId = (now() - batchStarted) / batch.length;
      measured.push(...batch);
      batchNumber++;
    }
  } finally {
    await base.remove();
  }
  const headMeta = args.meta();
  const baseRounds = byRound.base.map(joinRuns);
  const headRounds = byRound.head.map(joinRuns);
  return {
    base: poolRounds(baseRounds, { ...headMeta, commit: args.baseSha, ref: null }),
    head: poolRounds(headRounds, headMeta),
    noise: roundsNoise(baseRounds, headRounds),
    baseRuns: runMedians(baseRounds),
    measured,
    skipped: args.ids.filter((id) => !measured.includes(id)),
    rounds: args.rounds,
    seconds: (now() - started) / 1000,
  };
}
