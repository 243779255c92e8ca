import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runMedians } from '../compare/noise.ts';
import { poolRounds, roundsNoise } from '../compare/pool.ts';
import { ProcessError } from '../common/errors.ts';
import { loadResults, type RunMetaSource } from '../files/load.ts';
import type { Log } from '../common/log.ts';
import type { Results } from '../schema/types.ts';
import { criterionOnly, findBenchTargets } from './bench-targets.ts';
import { buildAndBench, withoutTargetDir } from './cargo.ts';
import { exec, probe } from './exec.ts';

/** Base and head measured on this runner, interleaved: same-runner mode, and a confirmation round (run/confirm.ts). */
export interface SameRunnerArgs {
  /** The head's Cargo workspace (absolute). */
  nativeDir: string;
  /**
   * Commit to benchmark as the base: the merge base (or the PR's base); in a confirmation round, the commit the
   * baseline measured.
   */
  baseSha: string;
  rounds: number;
  quick: boolean;
  userArgs: readonly string[];
  env: NodeJS.ProcessEnv;
  scratch: string;
  /** This run's metadata, for the head; the base's is the same but for its commit. */
  meta: RunMetaSource;
}

export interface SameRunnerResult {
  base: Results;
  head: Results;
  /** Per-benchmark extra log-sd from the spread between rounds. */
  noise: Map<string, number>;
  /** The base rounds' medians per benchmark, for the range guard. */
  baseRuns: Map<string, number[]>;
}

/** Which side runs first in round `r`: A B, B A, A B, ... so neither side always runs on a warmer machine. */
export function roundOrder(round: number): readonly ['base' | 'head', 'base' | 'head'] {
  return round % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
}

async function addWorktree(repoRoot: string, sha: string, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // actions/checkout fetches one commit by default: fetch the base when it is missing.
  if ((await probe('git', ['cat-file', '-e', `${sha}^{commit}`], repoRoot, env)) === null) {
    await exec('git', ['fetch', '--no-tags', '--depth=1', 'origin', sha], { cwd: repoRoot, env });
  }
  await exec('git', ['worktree', 'add', '--detach', dir, sha], { cwd: repoRoot, env });
}

export interface BaseCheckout {
  /** The base's Cargo workspace, at the same place in its tree as the head's. */
  nativeDir: string;
  remove(): Promise<void>;
}

/**
 * The base commit checked out in a git worktree beside the head's checkout,
 * `dir` (a Cargo workspace, or the working directory a `run` command runs in)
 * at the same place in its tree; `marker` is a file the base must hold there
 * (Cargo.toml), null for none.
 */
export async function checkoutBase(
  dir: string,
  baseSha: string,
  scratch: string,
  env: NodeJS.ProcessEnv,
  log: Log,
  marker: string | null = 'Cargo.toml',
): Promise<BaseCheckout> {
  const repoRoot = await probe('git', ['rev-parse', '--show-toplevel'], dir, env);
  if (repoRoot === null)
    throw new ProcessError(`Measuring the base on this runner needs a git checkout, and ${dir} is not in one.`);
  const worktree = join(scratch, 'base-worktree');
  await log.group(`Check out the base ${baseSha.slice(0, 7)} in a worktree`, () =>
    addWorktree(repoRoot, baseSha, worktree, env),
  );
  const remove = async () => {
    await probe('git', ['worktree', 'remove', '--force', worktree], repoRoot, env);
  };
  const baseDir = join(worktree, relative(repoRoot, dir));
  if (!existsSync(marker === null ? baseDir : join(baseDir, marker))) {
    await remove();
    const what = marker === 'Cargo.toml' ? 'Cargo workspace' : marker === null ? 'directory' : marker;
    throw new ProcessError(
      `The base commit ${baseSha.slice(0, 7)} has no ${what} at ${relative(repoRoot, dir) || '.'}; it cannot be measured on this runner.`,
    );
  }
  return { nativeDir: baseDir, remove };
}

/**
 * Builds the base commit in a worktree beside the head and runs both sides'
 * Criterion benchmarks on this runner, interleaved for `rounds` rounds, so
 * machine drift hits both alike. Each side's rounds are pooled.
 */
export async function runSameRunner(args: SameRunnerArgs, log: Log): Promise<SameRunnerResult> {
  const base = await checkoutBase(args.nativeDir, args.baseSha, args.scratch, args.env, log);
  const dirs = { base: base.nativeDir, head: args.nativeDir };
  const rounds: Record<'base' | 'head', Results[]> = { base: [], head: [] };
  try {
    for (let round = 0; round < args.rounds; round++) {
      for (const side of roundOrder(round)) {
        const criterionHome = join(args.scratch, `criterion-${side}-${round}`);
        const criterionTargets = criterionOnly(await findBenchTargets(dirs[side], args.env));
        await log.group(`Round ${round + 1}/${args.rounds}: ${side}`, () =>
          buildAndBench(
            {
              nativeDir: dirs[side],
              // The base gets its own target directory: one for both makes the head run the base's binary.
              env: side === 'base' ? { ...args.env, CARGO_TARGET_DIR: join(args.scratch, 'base-target') } : args.env,
              userArgs: side === 'base' ? withoutTargetDir(args.userArgs) : args.userArgs,
              quick: args.quick,
              criterionHome,
              criterionTargets,
            },
            log,
          ),
        );
        rounds[side].push(await loadResults(criterionHome, args.meta));
      }
    }
  } finally {
    await base.remove();
  }
  const headMeta = args.meta();
  return {
    base: poolRounds(rounds.base, { ...headMeta, commit: args.baseSha, ref: null }),
    head: poolRounds(rounds.head, headMeta),
    noise: roundsNoise(rounds.base, rounds.head),
    baseRuns: runMedians(rounds.base),
  };
}
