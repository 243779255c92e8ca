/**
 * What every job of the action is handed, and what its steps pass along: the
 * run plan and context, the GitHub client, the outputs and summary writer,
 * the log; where the run's files go; what step 1 (the head) produced.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../common/log.ts';
import type { Octokit } from '../github/client.ts';
import type { RunContext } from '../github/context.ts';
import type { CommandBuild } from '../run/command-rounds.ts';
import type { RustBuild } from '../run/produce.ts';
import type { SameRunnerResult } from '../run/same-runner.ts';
import type { Results } from '../schema/types.ts';
import type { Outputs } from './outputs.ts';
import type { RunPlan } from './plan.ts';

/** The job's collaborators: injected, so a test hands in a client of the fake GitHub and a recording writer. */
export interface JobDeps {
  octokit: Octokit;
  outputs: Outputs;
  log: Log;
}

export interface JobRun {
  plan: RunPlan;
  context: RunContext;
  /** The event payload (the comment job reads the triggering run from it). */
  payload: unknown;
  /** The plan for another context: the comment job's, once it knows the fork's pull request. */
  planFor: (context: RunContext) => RunPlan;
}

export type JobRunner = (run: JobRun, deps: JobDeps) => Promise<void>;

/** Where this run writes: the results file, with the base's results, the report and its JSON beside it. */
export interface OutputPaths {
  results: string;
  beside(suffix: string): string;
}

export function pathsBeside(results: string): OutputPaths {
  return { results, beside: (suffix) => results.replace(/(\.json)?$/, suffix) };
}

/** A fresh directory under the runner's temporary directory. */
export function scratchDir(plan: RunPlan, prefix: string): Promise<string> {
  return mkdtemp(join(plan.tempDir, `bench-action-${prefix}-`));
}

/** Step 1's output: this run's results and, in same-runner mode, the base measured here too. */
export interface Produced {
  head: Results;
  sameRunner: (SameRunnerResult & { baseSha: string }) | null;
  /** How the head was built (full mode), for the confirmation round. */
  rust: RustBuild | null;
  /** How the head's `run` command ran (full mode), for the confirmation round. */
  command?: CommandBuild | null;
  /** A merge with shards missing: the report says so first, no baseline is uploaded, the step fails. */
  incomplete?: string | null;
  /** Counts wanted but not measured (no Valgrind): the report says why. */
  instructionsSkipped?: string | null;
}
