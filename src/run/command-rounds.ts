/**
 * The `run` command measured on both sides on this runner: the base commit
 * checked out in a worktree, the command run whole in the same directory of
 * each tree, base and head in turn. compare-mode same-runner pools a fixed
 * number of rounds; the confirmation round measures pairs until the
 * sequential rule decides (the rules in compare/confirm.ts, compare/sequential.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runMedians } from '../compare/noise.ts';
import { poolRounds, roundsNoise } from '../compare/pool.ts';
import type { Log } from '../common/log.ts';
import type { RunMetaSource } from '../files/load.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { Results } from '../schema/types.ts';
import { runBenchCommand } from './command.ts';
import { confirmationState, type PairMedians } from '../compare/confirm.ts';
import { nextPair, SEQUENTIAL_DESIGN, type SequentialDesign } from '../compare/sequential.ts';
import { ProcessError } from '../common/errors.ts';
import { notProduced, type ConfirmCandidate, type ConfirmMeasurement } from './confirm.ts';
import { checkoutBase, roundOrder, type BaseCheckout, type SameRunnerResult } from './same-runner.ts';

type Side = 'base' | 'head';
import type { BenchCommand } from './settings.ts';

/** What the head's `run` was: the command, where it ran and with what, and the benchmarks it measured. */
export interface CommandBuild {
  command: BenchCommand;
  /** The working directory it ran in: the base runs it at the same place in its worktree. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  quick: boolean;
  meta: RunMetaSource;
  /** benchmarkKey of every row it produced: what a confirmation round can re-measure with it. */
  keys: ReadonlySet<string>;
}

export interface CommandRoundsArgs {
  build: Omit<CommandBuild, 'keys'>;
  baseSha: string;
  /** A fresh directory: the base's worktree and each run's output go here. */
  scratch: string;
}

/** Installed dependencies git does not hold (npm ci's node_modules, a virtualenv): the base's worktree has none. */
export const INSTALLED_DIRS = ['node_modules', '.venv', 'venv'];

async function checkout(args: CommandRoundsArgs, log: Log): Promise<BaseCheckout> {
  await mkdir(args.scratch, { recursive: true });
  const base = await checkoutBase(args.build.workDir, args.baseSha, args.scratch, args.build.env, log, null);
  // The base runs with the head's installed dependencies (a change to them in the pull request is not undone).
  const links: string[] = [];
  for (const name of INSTALLED_DIRS) {
    const [head, there] = [join(args.build.workDir, name), join(base.nativeDir, name)];
    if (!existsSync(head) || existsSync(there)) continue;
    await symlink(head, there);
    links.push(there);
    log.info(`The base's worktree uses the head's ${name} (installed dependencies are not in git).`);
  }
  // The links go first, so removing the worktree can never reach into the head's dependencies.
  const remove = async () => {
    for (const link of links) await unlink(link);
    await base.remove();
  };
  return { nativeDir: base.nativeDir, remove };
}

function runOn(args: CommandRoundsArgs, cwd: string, name: string, label: string, log: Log): Promise<Results> {
  const { command, env, quick, meta } = args.build;
  return runBenchCommand({ command, cwd, env, quick, meta, scratch: join(args.scratch, name), label }, log);
}

/** compare-mode same-runner for the `run` command: `rounds` interleaved rounds per side, each side's pooled. */
export async function commandSameRunner(
  args: CommandRoundsArgs & { rounds: number },
  log: Log,
): Promise<SameRunnerResult> {
  const base = await checkout(args, log);
  const dirs: Record<Side, string> = { base: base.nativeDir, head: args.build.workDir };
  const rounds: Record<Side, Results[]> = { base: [], head: [] };
  try {
    for (let round = 0; round < args.rounds; round++) {
      for (const side of roundOrder(round)) {
        const label = `Round ${round + 1}/${args.rounds}: ${side} (run)`;
        rounds[side].push(await runOn(args, dirs[side], `run-${round}-${side}`, label, log));
      }
    }
  } finally {
    await base.remove();
  }
  const headMeta = args.build.meta();
  return {
    base: poolRounds(rounds.base, { ...headMeta, commit: args.baseSha, ref: null }),
    head: poolRounds(rounds.head, headMeta),
    noise: roundsNoise(rounds.base, rounds.head),
    baseRuns: runMedians(rounds.base),
  };
}

/**
 * The confirmation round for the `run` command's candidates: base and head
 * run whole in turn (ABBA by pair), so every open candidate gets a pair each
 * time, until the sequential rule decides them all or the budget cannot pay
 * for another pair at the last pair's cost.
 */
export async function confirmCommand(
  args: CommandRoundsArgs & {
    candidates: readonly ConfirmCandidate[];
    budgetMs: number;
    design?: SequentialDesign;
    now?: () => number;
  },
  log: Log,
): Promise<ConfirmMeasurement> {
  const now = args.now ?? Date.now;
  const design = args.design ?? SEQUENTIAL_DESIGN;
  const started = now();
  const pairs = new Map<string, PairMedians[]>(args.candidates.map((c) => [c.key, []]));
  const base = await checkout(args, log);
  const dirs: Record<Side, string> = { base: base.nativeDir, head: args.build.workDir };
  const buildSeconds = (now() - started) / 1000;
  let state: ConfirmMeasurement['state'] = 'complete';
  let reason: string | undefined;
  // A benchmark a side's run did not produce is not waited for again.
  const lost = new Map<string, string>();
  let perPair: number | null = null;
  try {
    for (let pair = 0; ; pair++) {
      const states = args.candidates
        .filter((c) => !lost.has(c.key))
        .map((c) => ({ key: c.key, state: confirmationState(c, pairs.get(c.key) ?? [], design) }));
      const open = nextPair(states, Number.MAX_SAFE_INTEGER, design);
      if (open.length === 0) break;
      const left = args.budgetMs - (now() - started);
      if (left <= 0 || (perPair !== null && left < perPair)) {
        state = 'partial';
        reason = `the budget (${(args.budgetMs / 60_000).toFixed(0)} min) ran out with ${open.length} benchmark${open.length === 1 ? '' : 's'} undecided`;
        break;
      }
      const pairStarted = now();
      const medians: Partial<Record<Side, Map<string, number>>> = {};
      try {
        for (const side of roundOrder(pair)) {
          const title = `Confirmation pair ${pair + 1}: ${side} (${open.length} benchmark${open.length === 1 ? '' : 's'})`;
          const results = await runOn(args, dirs[side], `confirm-${pair}-${side}`, title, log);
          medians[side] = new Map(results.benchmarks.map((b) => [benchmarkKey(b), b.estimates.median]));
        }
      } catch (error) {
        // A run failing mid-round keeps the pairs measured so far: a partial round, not a skipped one.
        if (!(error instanceof ProcessError) || pair === 0) throw error;
        state = 'partial';
        reason = `a run failed at pair ${pair + 1}: ${error.message.split('\n')[0] ?? ''}`;
        break;
      }
      for (const key of open) {
        const [b, h] = [medians.base?.get(key), medians.head?.get(key)];
        if (b !== undefined && h !== undefined) pairs.get(key)?.push({ base: b, head: h });
        else {
          const what = notProduced(b === undefined, h === undefined, null);
          lost.set(key, what);
          log.warning(`Confirmation: ${key} ${what}; it keeps what it has.`);
        }
      }
      perPair = now() - pairStarted;
    }
  } finally {
    await base.remove();
  }
  return { pairs, state, ...(reason ? { reason } : {}), lost, seconds: (now() - started) / 1000, buildSeconds };
}
