import { ProcessError } from '../errors.ts';
import type { Log } from '../log.ts';
import { exec } from './exec.ts';

/** Criterion flags for `quick`: short but still 100 samples, so the statistics keep their power. */
export const QUICK_CRITERION_ARGS: ReadonlyArray<readonly [string, string]> = [
  ['--warm-up-time', '0.5'],
  ['--measurement-time', '1'],
];

/**
 * The `cargo bench` argument list. Criterion's flags go after `--`; `--bench '*'`
 * keeps them away from libtest harnesses (lib and bin targets), which reject them.
 */
export function cargoBenchArgs(userArgs: readonly string[], quick: boolean): string[] {
  const split = userArgs.indexOf('--');
  const cargoPart = split === -1 ? [...userArgs] : userArgs.slice(0, split);
  const harnessPart = split === -1 ? [] : userArgs.slice(split + 1);
  const selectsTargets = cargoPart.some((arg) => ['--bench', '--benches', '--lib', '--bins', '--all-targets'].includes(arg) || arg.startsWith('--bench='));
  const targets = selectsTargets ? [] : ['--bench', '*'];
  // A flag the user set themselves wins over the quick default.
  const quickArgs = quick ? QUICK_CRITERION_ARGS.filter(([flag]) => !harnessPart.includes(flag)).flat() : [];
  const harness = [...quickArgs, ...harnessPart];
  return ['bench', ...targets, ...cargoPart, ...(harness.length > 0 ? ['--', ...harness] : [])];
}

export interface CargoRun {
  nativeDir: string;
  env: NodeJS.ProcessEnv;
  userArgs: readonly string[];
  quick: boolean;
  /** Fresh directory for Criterion's output, so a cached target/ cannot leak stale benchmarks in. */
  criterionHome: string;
}

export async function buildAndBench(run: CargoRun, log: Log): Promise<void> {
  const env = { ...run.env, CRITERION_HOME: run.criterionHome };
  await log.group('cargo build --release', () => exec('cargo', ['build', '--release', '--workspace'], { cwd: run.nativeDir, env }));
  const args = cargoBenchArgs(run.userArgs, run.quick);
  await log.group(`cargo ${args.join(' ')}`, () => exec('cargo', args, { cwd: run.nativeDir, env, tailLines: 40 }));
}

export interface NodeBenchRun {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  quick: boolean;
  /** Where the suite must write its results; passed as $BENCH_ACTION_OUTPUT. */
  output: string;
}

export async function runNodeBench(run: NodeBenchRun, log: Log, exists: (path: string) => boolean): Promise<void> {
  const env = { ...run.env, BENCH_ACTION_OUTPUT: run.output, BENCH_ACTION_QUICK: run.quick ? '1' : '0' };
  await log.group(`node benchmarks: ${run.command}`, () => exec('bash', ['-c', run.command], { cwd: run.cwd, env, tailLines: 40 }));
  if (!exists(run.output)) {
    throw new ProcessError(`node-bench-command '${run.command}' finished but wrote no results to $BENCH_ACTION_OUTPUT (${run.output}); make it write its results file there.`);
  }
}
