/**
 * The `run` input: a benchmark command in any language, run with bash in the
 * working directory (or the base commit's worktree) as a workflow's `run:`
 * step would, with the cleaned environment (no token). Its results are read
 * with the format adapters: the files `run-results` names (`FORMAT: PATH`,
 * `-` for its standard output), else $BENCH_ACTION_OUTPUT when it wrote
 * that, else its standard output, each format detected unless named.
 */
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import { loadCombined, type LoadInput, type RunMetaSource } from '../files/load.ts';
import { STDOUT_PATH } from '../files/write.ts';
import type { Results } from '../schema/types.ts';
import { exec } from './exec.ts';
import type { BenchCommand } from './settings.ts';

export interface CommandRun {
  command: BenchCommand;
  /** Where it runs: the working directory, or the same place in the base's worktree. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  quick: boolean;
  /** A fresh directory for $BENCH_ACTION_OUTPUT and the captured standard output. */
  scratch: string;
  meta: RunMetaSource;
  /** The log group's title. */
  label: string;
}

/** File systems stamp a write a little behind the clock: a file this much older than the run counts as its own. */
const CLOCK_SLACK_MS = 2_000;

/** bash as a workflow's `run:` step starts it: no profile, stop at the first failing command or pipe stage. */
export function bashArgs(script: string): string[] {
  return ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script];
}

async function writtenSince(path: string, started: number): Promise<void> {
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
  } catch {
    throw new InputError(path, "not found after the 'run' command ran; make it write there, or fix 'run-results'.");
  }
  if (modified < started - CLOCK_SLACK_MS)
    throw new InputError(
      path,
      "the 'run' command did not write it (it is older than the run), so it would compare stale results; make the command write it, or fix 'run-results'.",
    );
}

/** What to read after the command ran: the named files, else $BENCH_ACTION_OUTPUT, else its standard output. */
async function inputsOf(run: CommandRun, paths: { output: string; stdout: string }, started: number) {
  const named = run.command.results;
  if (named.length > 0) {
    const inputs: LoadInput[] = [];
    for (const input of named) {
      const path = input.path === STDOUT_PATH ? paths.stdout : resolve(run.cwd, input.path);
      if (input.path !== STDOUT_PATH) await writtenSince(path, started);
      inputs.push({ path, ...(input.format ? { format: input.format } : {}) });
    }
    return { inputs, fromStdout: false };
  }
  if (existsSync(paths.output)) return { inputs: [paths.output], fromStdout: false };
  return { inputs: [paths.stdout], fromStdout: true };
}

export async function runBenchCommand(run: CommandRun, log: Log): Promise<Results> {
  await mkdir(run.scratch, { recursive: true });
  const paths = { output: join(run.scratch, 'bench-action-output'), stdout: join(run.scratch, 'stdout.txt') };
  const env = { ...run.env, BENCH_ACTION_OUTPUT: paths.output, BENCH_ACTION_QUICK: run.quick ? '1' : '0' };
  const started = Date.now();
  const { stdout } = await log.group(run.label, () =>
    exec('bash', bashArgs(run.command.run), { cwd: run.cwd, env, tailLines: 40 }),
  );
  await writeFile(paths.stdout, stdout);
  const { inputs, fromStdout } = await inputsOf(run, paths, started);
  if (fromStdout && stdout.trim() === '')
    throw new UsageError(
      "Input 'run': the command printed nothing and wrote nothing to $BENCH_ACTION_OUTPUT; make it print its benchmark output, write a results file there, or name the files it writes in 'run-results'.",
    );
  try {
    return await loadCombined(inputs, run.meta, { warn: (message) => log.warning(message) });
  } catch (error) {
    if (!fromStdout || !(error instanceof InputError)) throw error;
    throw new UsageError(
      `Input 'run': its standard output is no benchmark output this action reads (${error.message.split('\n')[0]}); write the results to $BENCH_ACTION_OUTPUT, or name the files the command writes in 'run-results' (FORMAT: PATH to name the format).`,
    );
  }
}
