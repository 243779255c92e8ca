/**
 * The results document the Node suite writes, by itself: the suite is the product being measured, so it
 * depends on the measuring tool only through the one contract between them, the results schema
 * (src/schema/results.schema.json, docs/formats.md), whose version it names here. bench-action validates
 * the file when it reads it (`bench-action parse`); test/node-suite checks the suite's output against the
 * schema and its tinybench figures against bench-action's own tinybench adapter.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The version of src/schema/results.schema.json this suite writes. */
export const RESULTS_SCHEMA_VERSION = 3;

export interface Estimates {
  median: number;
  mean: number;
  stdDev: number | null;
  ci: { lower: number; upper: number; level: number } | null;
}

export interface Benchmark {
  id: string;
  group: string;
  function: string | null;
  parameter: string | null;
  metric: 'time';
  source: 'tinybench' | 'generic';
  unit: string;
  direction: 'lower';
  estimates: Estimates;
  throughput: { kind: 'elements'; perIteration: number } | null;
  samples: number[] | null;
}

export interface Pair {
  name: string;
  contender: string;
  reference: string;
}

export interface Check {
  id: string;
  passed: boolean;
  metrics: Record<string, number>;
  limits: Record<string, number>;
  message?: string;
}

export interface RunMeta {
  tool: { name: string; version: string };
  commit: string | null;
  ref: string | null;
  timestamp: string;
  runner: { name?: string; os: string; arch: string; cpuModel: string; cores: number } | null;
  versions: Record<string, string>;
}

export interface Results {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  run: RunMeta;
  benchmarks: Benchmark[];
  pairs?: Pair[];
  checks?: Check[];
}

/** `cache/get/sark` -> group `cache`, function `get`, parameter `sark` (the schema's split of an id). */
export function splitId(id: string): Pick<Benchmark, 'group' | 'function' | 'parameter'> {
  const [group = id, fn, ...rest] = id.split('/');
  return {
    group: group === '' ? id : group,
    function: fn === undefined ? null : fn,
    parameter: rest.length === 0 ? null : rest.join('/'),
  };
}

/** First line of a command's stdout, or null when the command is missing or fails. */
function firstLine(command: string, args: string[]): string | null {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    const line = out.split('\n', 1)[0]?.trim() ?? '';
    return line === '' ? null : line;
  } catch {
    return null;
  }
}

/** `rustc 1.95.0 (59807616e 2026-04-14)` -> `1.95.0 (59807616e 2026-04-14)`: the addon's toolchain. */
function toolVersion(command: string): string | null {
  const line = firstLine(command, ['--version']);
  return line === null ? null : line.replace(new RegExp(`^${command}\\s+`), '');
}

function nonEmptyEnv(name: string): string | null {
  const value = process.env[name];
  return value === undefined || value === '' ? null : value;
}

function toolchain(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const tool of ['rustc', 'cargo']) {
    const version = toolVersion(tool);
    if (version !== null) versions[tool] = version;
  }
  return versions;
}

/**
 * This run's metadata: the commit and ref (GitHub's variables, else git's), the machine, and the versions
 * the suite knows (`versions`, merged over Node's).
 */
export function collectRunMeta(versions: Record<string, string>): RunMeta {
  const cpuModel = os.cpus()[0]?.model.trim() ?? '';
  const name = process.env.RUNNER_NAME;
  return {
    tool: { name: 'sark-node-suite', version: '1' },
    commit: nonEmptyEnv('GITHUB_SHA') ?? firstLine('git', ['rev-parse', 'HEAD']),
    ref: nonEmptyEnv('GITHUB_REF') ?? firstLine('git', ['symbolic-ref', '-q', 'HEAD']),
    timestamp: new Date().toISOString(),
    runner: {
      ...(name ? { name } : {}),
      os: os.platform(),
      arch: os.arch(),
      cpuModel: cpuModel === '' ? 'unknown' : cpuModel,
      cores: Math.max(1, os.availableParallelism()),
    },
    versions: { ...toolchain(), ...versions },
  };
}

/**
 * What the schema asks of the parts the suite fills in, checked before the file is written: a broken
 * document is a bug in the suite, found here rather than by the reader. Empty when all is well.
 */
export function documentProblems(results: Results): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, b] of results.benchmarks.entries()) {
    const at = `/benchmarks/${i}`;
    if (b.id === '') problems.push(`${at}/id is empty`);
    if (ids.has(b.id)) problems.push(`${at}/id '${b.id}' is there twice`);
    ids.add(b.id);
    if (b.unit === '') problems.push(`${at}/unit is empty`);
    const figures = [b.estimates.median, b.estimates.mean, b.estimates.stdDev ?? 0, ...(b.samples ?? [])];
    if (!figures.every((x) => Number.isFinite(x) && x >= 0)) problems.push(`${at}: a figure is negative or not finite`);
  }
  if (results.benchmarks.length === 0) problems.push('/benchmarks is empty');
  for (const [i, p] of (results.pairs ?? []).entries()) {
    if (!ids.has(p.contender) || !ids.has(p.reference)) problems.push(`/pairs/${i} names a benchmark not measured`);
  }
  for (const [i, c] of (results.checks ?? []).entries()) {
    if (c.id === '') problems.push(`/checks/${i}/id is empty`);
  }
  return problems;
}
