/**
 * What `run/` needs to build and benchmark a Cargo workspace, decided by the
 * caller (the action's run plan, action/plan.ts): never the action's inputs
 * or its token. The benchmarked code's environment arrives already cleaned
 * (run/child-env.ts), so nothing below this line can hand a credential on.
 */
import type { Format } from '../formats/detect.ts';
import type { RunMeta } from '../schema/types.ts';

/** The `run` input: a shell command in any language, and where its results are (run/command.ts). */
export interface BenchCommand {
  /** Run with bash in the working directory, as a workflow's `run:` step would. */
  run: string;
  /** Files it writes, relative to the working directory (`-`: stdout); empty: $BENCH_ACTION_OUTPUT, else stdout. */
  results: readonly { path: string; format?: Format }[];
}

/**
 * `instructions`: count under Valgrind always, when the workspace has benches to count, or never.
 * gungraun benches follow countsInstructions; Criterion benches are counted unless 'false'
 * (run/produce.ts allInstructionCounts, docs/instructions.md).
 */
export type InstructionsSetting = 'auto' | 'true' | 'false';

export interface BuildSettings {
  /** The checkout: relative paths (native-dir, the Node suite's cwd) start here. */
  workDir: string;
  /** The Cargo workspace as given; empty: native/Cargo.toml when present, else ./Cargo.toml. */
  nativeDir: string;
  /**
   * The Cargo workspace to build and benchmark (absolute), decided once by the
   * run plan; null: no Rust is prepared (a `run` or Node command without one).
   */
  cargoDir: string | null;
  /** The benchmark command of any language; null: none. */
  command: BenchCommand | null;
  /** Empty: rust-toolchain.toml when present, else stable. */
  toolchain: string;
  cargoBenchArgs: readonly string[];
  /** Shell command of the Node comparison suite; empty: none. */
  nodeBenchCommand: string;
  quick: boolean;
  instructions: InstructionsSetting;
  /** Interleaved rounds per side for same-runner and confirmation measuring. */
  rounds: number;
  /** The environment of every process that runs the benchmarked code (run/child-env.ts). */
  env: NodeJS.ProcessEnv;
  /** Fields this run's metadata takes from the run context (commit, ref). */
  meta: Partial<RunMeta>;
}

/** Whether gungraun's instruction counts are measured: the one home of this rule. */
export function countsInstructions(setting: InstructionsSetting, gungraunBenches: number): boolean {
  return setting === 'true' || (setting === 'auto' && gungraunBenches > 0);
}
