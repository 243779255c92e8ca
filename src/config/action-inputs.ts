import stringArgv from 'string-argv';
import { UsageError } from '../common/errors.ts';
import { parseResultsLine } from './results-inputs.ts';
import { parseShardSpec } from '../shard/plan.ts';
import type { ShardSpec } from '../schema/types.ts';

/**
 * The action's inputs, typed and validated once at start. Pure: the caller
 * passes a getter (core.getInput in the action, a map in tests), so a bad
 * value fails before any work with a message naming the input.
 */
export type Mode = 'full' | 'compare' | 'comment' | 'merge';
export type CommentPolicy = 'always' | 'on-change' | 'never';
export type UploadBaseline = 'auto' | 'true' | 'false';
export type CompareMode = 'baseline' | 'same-runner';
export type Instructions = 'auto' | 'true' | 'false';
export type ConfirmPolicy = 'auto' | 'true' | 'false';

export interface ActionConfig {
  mode: Mode;
  workingDirectory: string;
  /** Empty: native/Cargo.toml when present, else ./Cargo.toml. */
  nativeDir: string;
  /** Empty: rust-toolchain.toml when present, else stable. */
  toolchain: string;
  cargoBenchArgs: string[];
  /** Shell command of the Node comparison suite; it writes its results to $BENCH_ACTION_OUTPUT. */
  nodeBenchCommand: string;
  /** The benchmark command of any language (run/command.ts); empty: none. */
  run: string;
  /** Files `run` writes, `FORMAT: PATH` or a path; empty: $BENCH_ACTION_OUTPUT, else its standard output. */
  runResults: string[];
  quick: boolean;
  results: string[];
  /** Fraction, e.g. 0.10 for the default 10%. */
  threshold: number;
  /** Fraction for instruction counts, e.g. 0.01 for the default 1%. */
  instructionsThreshold: number;
  /**
   * Count instructions under Valgrind: auto = when the workspace has Criterion or gungraun benches
   * (docs/instructions.md).
   */
  instructions: Instructions;
  thresholdsFile: string;
  claimsFile: string;
  /** Null: the event's default (action/plan.ts failsOnRegressionByDefault). */
  failOnRegression: boolean | null;
  /**
   * Null: a head with no benchmark in common with its baseline fails where a
   * regression would; true: any benchmark of the baseline missing from the
   * head fails; false: missing benchmarks are reported only.
   */
  failOnMissing: boolean | null;
  comment: CommentPolicy;
  githubToken: string;
  baselineArtifact: string;
  baseBranch: string;
  uploadBaseline: UploadBaseline;
  historySize: number;
  compareMode: CompareMode;
  rounds: number;
  /** Globs of control benchmarks, one per line (compare/controls.ts). */
  controls: string[];
  /** Give the benchmarked code the github-token as GITHUB_TOKEN (off: it sees no credential). */
  exposeTokenToBenchmarks: boolean;
  /** The confirmation round after a baseline comparison (compare/confirm.ts): auto = on for pull requests. */
  confirm: ConfirmPolicy;
  /** Minutes the confirmation round may take, the base's build included. */
  confirmBudget: number;
  /** Full mode: run shard i of n only and upload it for a `mode: merge` job (docs/sharding.md). */
  shard: ShardSpec | null;
  /** A matrix leg's name: its own baseline, shard artifacts and dashboard, and its own section of the one comment. */
  suite: string;
  /** The dashboard artifact's name (per suite). */
  dashboardArtifact: string;
}

export type InputGetter = (name: string) => string;

/** Characters a suite name may hold: it appears in artifact names and the comment's HTML markers. */
export const SUITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function oneOf<T extends string>(get: InputGetter, name: string, allowed: readonly T[], fallback: T): T {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`Input '${name}' must be one of ${allowed.join(', ')}; got '${raw}'.`);
}

function bool(get: InputGetter, name: string, fallback: boolean): boolean {
  const raw = get(name).trim().toLowerCase();
  if (raw === '') return fallback;
  // The YAML 1.2 core schema's booleans, as core.getBooleanInput accepts them.
  if (['true', 'yes', 'on'].includes(raw)) return true;
  if (['false', 'no', 'off'].includes(raw)) return false;
  throw new UsageError(`Input '${name}' must be true or false; got '${raw}'.`);
}

function number(get: InputGetter, name: string, fallback: number, min: number, max: number, integer = false): number {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  const value = Number(raw.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new UsageError(`Input '${name}' must be ${kind} from ${min} to ${max}; got '${raw}'.`);
  }
  return value;
}

function lines(get: InputGetter, name: string): string[] {
  return get(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * cargo-bench-args as words, by string-argv: whitespace (newlines too) separates,
 * single or double quotes group and are dropped (`--foo="a b"` is one word);
 * no escapes, variables or operators, since no shell runs these arguments.
 */
export function splitArgs(text: string): string[] {
  return stringArgv(text);
}

/** `run` and `run-results`: full mode only, not sharded, formats spelt right. */
function checkRunInputs(config: ActionConfig): void {
  if (config.runResults.length > 0 && config.run === '')
    throw new UsageError("Input 'run-results' names what the 'run' command writes; set 'run' too, or leave it out.");
  if (config.run === '') return;
  if (config.mode !== 'full')
    throw new UsageError(
      `Input 'run' runs benchmarks in mode: full (mode is '${config.mode}'); in mode compare, list the files in 'results'.`,
    );
  if (config.shard)
    throw new UsageError(
      "Input 'shard' splits cargo benches over jobs; it cannot split a 'run' command. Leave one out.",
    );
  config.runResults.forEach((line) => parseResultsLine(line, 'run-results'));
}

export function parseActionInputs(get: InputGetter): ActionConfig {
  const mode = oneOf(get, 'mode', ['full', 'compare', 'comment', 'merge'] as const, 'full');
  const shardText = get('shard').trim();
  const shard = shardText === '' ? null : parseShardSpec(shardText);
  if (shard && !shard.ok) throw new UsageError(`Input 'shard': ${shard.reason}.`);
  const config: ActionConfig = {
    mode,
    workingDirectory: get('working-directory').trim() || '.',
    nativeDir: get('native-dir').trim(),
    toolchain: get('toolchain').trim(),
    cargoBenchArgs: splitArgs(get('cargo-bench-args')),
    nodeBenchCommand: get('node-bench-command').trim(),
    run: get('run').trim(),
    runResults: lines(get, 'run-results'),
    quick: bool(get, 'quick', false),
    results: lines(get, 'results'),
    threshold: number(get, 'threshold', 10, 0, 1000) / 100,
    instructionsThreshold: number(get, 'instructions-threshold', 1, 0, 1000) / 100,
    instructions: oneOf(get, 'instructions', ['auto', 'true', 'false'] as const, 'auto'),
    thresholdsFile: get('thresholds-file').trim(),
    claimsFile: get('claims-file').trim(),
    failOnRegression: get('fail-on-regression').trim() === '' ? null : bool(get, 'fail-on-regression', true),
    failOnMissing: get('fail-on-missing').trim() === '' ? null : bool(get, 'fail-on-missing', false),
    comment: oneOf(get, 'comment', ['always', 'on-change', 'never'] as const, 'always'),
    githubToken: get('github-token').trim(),
    baselineArtifact: get('baseline-artifact').trim() || 'bench-baseline',
    baseBranch: get('base-branch').trim(),
    uploadBaseline: oneOf(get, 'upload-baseline', ['auto', 'true', 'false'] as const, 'auto'),
    historySize: number(get, 'history-size', 30, 0, 500, true),
    compareMode: oneOf(get, 'compare-mode', ['baseline', 'same-runner'] as const, 'baseline'),
    rounds: number(get, 'rounds', 3, 1, 50, true),
    controls: lines(get, 'controls'),
    exposeTokenToBenchmarks: bool(get, 'expose-token-to-benchmarks', false),
    confirm: oneOf(get, 'confirm', ['auto', 'true', 'false'] as const, 'auto'),
    confirmBudget: number(get, 'confirm-budget', 10, 0, 360),
    shard: shard?.ok ? shard.spec : null,
    suite: get('suite').trim(),
    dashboardArtifact: 'bench-dashboard',
  };
  if (config.suite !== '') {
    if (!SUITE_NAME.test(config.suite)) {
      throw new UsageError(
        `Input 'suite' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names artifacts); got '${config.suite}'.`,
      );
    }
    // Each suite keeps its own baseline and dashboard: a matrix over systems compares like with like.
    config.baselineArtifact = `${config.baselineArtifact}-${config.suite}`;
    config.dashboardArtifact = `bench-dashboard-${config.suite}`;
  }
  if (config.shard && mode !== 'full') {
    throw new UsageError(
      `Input 'shard' runs a share of the benchmarks, so it needs mode: full (mode is '${mode}'); the job that merges the shards takes mode: merge and no shard.`,
    );
  }
  if (config.shard && config.compareMode === 'same-runner') {
    throw new UsageError(
      "Input 'shard' cannot be combined with compare-mode: same-runner; shards compare with the baseline artifact.",
    );
  }
  // A leading '-' would reach rustup as an option (--force-non-host...).
  if (config.toolchain !== '' && !/^[A-Za-z0-9._+][A-Za-z0-9._+-]*$/.test(config.toolchain)) {
    throw new UsageError(
      `Input 'toolchain' must be a rustup toolchain name such as stable or 1.95.0; got '${config.toolchain}'.`,
    );
  }
  if (config.compareMode === 'same-runner' && mode !== 'full') {
    throw new UsageError(
      `Input 'compare-mode': same-runner builds and benchmarks the base commit, so it needs mode: full (mode is '${mode}').`,
    );
  }
  checkRunInputs(config);
  // A misspelt format fails here, before anything is benchmarked.
  if (mode === 'compare') config.results.forEach((line) => parseResultsLine(line));
  if (mode === 'compare' && config.results.length === 0) {
    throw new UsageError(
      "Input 'results' is required in mode 'compare': list result files or Criterion directories, one per line.",
    );
  }
  if (config.baselineArtifact !== '' && !/^[^"<>:|*?\\/\r\n]+$/.test(config.baselineArtifact)) {
    throw new UsageError(`Input 'baseline-artifact' is not a valid artifact name: '${config.baselineArtifact}'.`);
  }
  return config;
}
