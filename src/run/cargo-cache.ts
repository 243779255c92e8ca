import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { hashFiles } from '@actions/glob';
import { existsSync, readdirSync } from 'node:fs';
import { homedir, platform, arch } from 'node:os';
import { join } from 'node:path';
import type { Log } from '../common/log.ts';

/**
 * What the main step hands the post step, which saves the cache: on a runner
 * core.saveState/getState (the toolkit's state files), in tests a Map. The
 * same seam as actions/cache's IStateProvider.
 */
export interface CacheState {
  set(name: string, value: string): void;
  get(name: string): string;
}

export const actionsState: CacheState = {
  set: (name, value) => core.saveState(name, value),
  get: (name) => core.getState(name),
};

/** The part of @actions/cache this module uses, replaceable in tests. */
export interface CacheService {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

const STATE_KEY = 'cargo-cache-key';
const STATE_PATHS = 'cargo-cache-paths';
const STATE_HIT = 'cargo-cache-hit';

const KEY_PREFIX = 'bench-action-cargo';

/** Directories that hold build output or other tools' files, never a manifest the build reads. */
const SKIPPED = (name: string): boolean => name === 'target' || name === 'node_modules' || name.startsWith('.');

/** A path as a literal @actions/glob pattern (its own Pattern.globEscape, which it does not export). */
function globEscape(path: string): string {
  return (process.platform === 'win32' ? path : path.replace(/\\/g, '\\\\'))
    .replace(/(\[)(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

/**
 * The SHA-256 of every Cargo.toml and Cargo.lock in the workspace, by
 * @actions/glob's hashFiles (what a workflow's hashFiles('**\/Cargo.lock') computes).
 * hashFiles walks every directory a `**` can enter, and a negated pattern only
 * drops results, it does not prune the walk: `nativeDir/**` would stat all of
 * target/ (4-9 s for 100,000 files, docs/architecture.md). So the `**` patterns
 * start in each top-level directory except target/, node_modules/ and hidden
 * ones, and the negations drop a nested target/ or node_modules/ from the result.
 */
export async function manifestHash(nativeDir: string): Promise<string> {
  const root = globEscape(nativeDir);
  const tops = readdirSync(nativeDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SKIPPED(entry.name))
    .map((entry) => `${root}/${globEscape(entry.name)}`)
    .sort();
  const patterns = [
    `${root}/Cargo.toml`,
    `${root}/Cargo.lock`,
    ...tops.flatMap((top) => [`${top}/**/Cargo.toml`, `${top}/**/Cargo.lock`]),
    `!${root}/**/target/**`,
    `!${root}/**/node_modules/**`,
  ];
  // The workspace root is passed explicitly: hashFiles skips files outside it, and GITHUB_WORKSPACE may not hold
  // native-dir.
  return hashFiles(patterns.join('\n'), nativeDir, { followSymbolicLinks: false });
}

export function cargoCacheKey(toolchainLabel: string, manifests: string): { key: string; restorePrefix: string } {
  const restorePrefix = `${KEY_PREFIX}-${platform()}-${arch()}-${toolchainLabel}-`;
  return { key: `${restorePrefix}${manifests.slice(0, 20) || 'no-manifest'}`, restorePrefix };
}

export interface CacheSeams {
  state?: CacheState;
  service?: CacheService;
}

/** Restores ~/.cargo's registry and the workspace target/; records what the post step must save. */
export async function restoreCargoCache(
  nativeDir: string,
  targetDir: string,
  toolchainLabel: string,
  log: Log,
  seams: CacheSeams = {},
): Promise<void> {
  const { state = actionsState, service = cache } = seams;
  if (!service.isFeatureAvailable()) {
    log.info('Cargo cache: the Actions cache service is not available here; building from scratch.');
    return;
  }
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  const paths = [
    join(cargoHome, 'registry', 'index'),
    join(cargoHome, 'registry', 'cache'),
    join(cargoHome, 'git', 'db'),
    targetDir,
  ];
  const { key, restorePrefix } = cargoCacheKey(toolchainLabel, await manifestHash(nativeDir));
  state.set(STATE_KEY, key);
  state.set(STATE_PATHS, JSON.stringify(paths));
  try {
    const hit = await service.restoreCache(paths, key, [restorePrefix]);
    state.set(STATE_HIT, hit ?? '');
    log.info(hit ? `Cargo cache restored from ${hit}.` : `Cargo cache: no entry for ${key}.`);
  } catch (error) {
    // A cache outage costs build time, never the run.
    log.warning(`Cargo cache restore failed: ${(error as Error).message}`);
  }
}

/** The post step: saves the cache unless the exact key was restored. */
export async function saveCargoCache(log: Log, seams: CacheSeams = {}): Promise<void> {
  const { state = actionsState, service = cache } = seams;
  const key = state.get(STATE_KEY);
  if (key === '') return;
  if (state.get(STATE_HIT) === key) {
    log.info(`Cargo cache ${key} was restored exactly; not saving again.`);
    return;
  }
  const paths = (JSON.parse(state.get(STATE_PATHS) || '[]') as string[]).filter((path) => existsSync(path));
  if (paths.length === 0) return;
  try {
    // @actions/cache reports most failures by logging "Failed to save" and answering -1.
    const id = await service.saveCache(paths, key);
    if (id === -1)
      log.info(
        `Cargo cache ${key} was not saved (see the message above); the next run restores an older entry or builds from scratch.`,
      );
    else log.info(`Cargo cache saved as ${key}.`);
  } catch (error) {
    log.warning(`Cargo cache save failed: ${(error as Error).message}`);
  }
}
