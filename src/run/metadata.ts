/**
 * Run metadata for results built from a tool's raw output (shell: reads the
 * environment, spawns rustc/cargo/git, reads the clock).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { RunMeta, Runner } from '../schema/types.ts';
import { TOOL_NAME, TOOL_VERSION } from '../common/version.ts';

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

/** `rustc 1.95.0 (59807616e 2026-04-14)` -> `1.95.0 (59807616e 2026-04-14)`. */
function toolVersion(command: string): string | null {
  const line = firstLine(command, ['--version']);
  return line === null ? null : line.replace(new RegExp(`^${command}\\s+`), '');
}

function runner(): Runner {
  const cpuModel = os.cpus()[0]?.model.trim() ?? '';
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const name = process.env.RUNNER_NAME;
  return {
    ...(name ? { name } : {}),
    os: os.platform(),
    arch: os.arch(),
    cpuModel: cpuModel === '' ? 'unknown' : cpuModel,
    cores: Math.max(1, cores),
  };
}

function nonEmptyEnv(name: string): string | null {
  const value = process.env[name];
  return value === undefined || value === '' ? null : value;
}

/** Metadata of the current run; `overrides` win, `versions` are merged key by key. */
export function collectRunMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const tool of ['rustc', 'cargo']) {
    const version = toolVersion(tool);
    if (version !== null) versions[tool] = version;
  }
  const collected: RunMeta = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    commit: nonEmptyEnv('GITHUB_SHA') ?? firstLine('git', ['rev-parse', 'HEAD']),
    ref: nonEmptyEnv('GITHUB_REF') ?? firstLine('git', ['symbolic-ref', '-q', 'HEAD']),
    timestamp: new Date().toISOString(),
    runner: runner(),
    versions,
  };
  return { ...collected, ...overrides, versions: { ...collected.versions, ...overrides.versions } };
}

/**
 * This run's metadata, collected on first use and then the same for every
 * input of the run: reading results files spawns nothing, and several raw
 * inputs spawn rustc, cargo and git once.
 */
export function runMetaOnce(overrides: Partial<RunMeta> = {}): () => RunMeta {
  let collected: RunMeta | null = null;
  return () => (collected ??= collectRunMeta(overrides));
}
