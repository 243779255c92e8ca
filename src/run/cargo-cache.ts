import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, platform, arch } from 'node:os';
import { join } from 'node:path';
import type { Log } from '../log.ts';

/** State handed from the main step to the post step, which saves the cache. */
const STATE_KEY = 'cargo-cache-key';
const STATE_PATHS = 'cargo-cache-paths';
const STATE_HIT = 'cargo-cache-hit';

const KEY_PREFIX = 'bench-action-cargo';

/** Cargo manifests and the lock file below the workspace, skipping target/ and hidden dirs. */
function manifestFiles(dir: string, depth = 0): string[] {
  if (depth > 3) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name === 'target' || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      found.push(...manifestFiles(join(dir, entry.name), depth + 1));
    } else if (entry.name === 'Cargo.toml' || entry.name === 'Cargo.lock') {
      found.push(join(dir, entry.name));
    }
  }
  return found.sort();
}

export function cargoCacheKey(toolchainLabel: string, manifests: ReadonlyArray<{ path: string; text: string }>): { key: string; restorePrefix: string } {
  const hash = createHash('sha256');
  for (const { path, text } of manifests) hash.update(path).update('\0').update(text).update('\0');
  const restorePrefix = `${KEY_PREFIX}-${platform()}-${arch()}-${toolchainLabel}-`;
  return { key: `${restorePrefix}${hash.digest('hex').slice(0, 20)}`, restorePrefix };
}

/** Restores ~/.cargo's registry and the workspace target/; records what the post step must save. */
export async function restoreCargoCache(nativeDir: string, targetDir: string, toolchainLabel: string, log: Log): Promise<void> {
  if (!cache.isFeatureAvailable()) {
    log.info('Cargo cache: the Actions cache service is not available here; building from scratch.');
    return;
  }
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  const paths = [join(cargoHome, 'registry', 'index'), join(cargoHome, 'registry', 'cache'), join(cargoHome, 'git', 'db'), targetDir];
  const manifests = manifestFiles(nativeDir).map((path) => ({ path: path.slice(nativeDir.length), text: readFileSync(path, 'utf8') }));
  const { key, restorePrefix } = cargoCacheKey(toolchainLabel, manifests);
  core.saveState(STATE_KEY, key);
  core.saveState(STATE_PATHS, JSON.stringify(paths));
  try {
    const hit = await cache.restoreCache(paths, key, [restorePrefix]);
    core.saveState(STATE_HIT, hit ?? '');
    log.info(hit ? `Cargo cache restored from ${hit}.` : `Cargo cache: no entry for ${key}.`);
  } catch (error) {
    // A cache outage costs build time, never the run.
    log.warning(`Cargo cache restore failed: ${(error as Error).message}`);
  }
}

/** The post step: saves the cache unless the exact key was restored. `save` is @actions/cache's, replaceable in tests. */
export async function saveCargoCache(log: Log, save: (paths: string[], key: string) => Promise<number> = cache.saveCache): Promise<void> {
  const key = core.getState(STATE_KEY);
  if (key === '') return;
  if (core.getState(STATE_HIT) === key) {
    log.info(`Cargo cache ${key} was restored exactly; not saving again.`);
    return;
  }
  const paths = (JSON.parse(core.getState(STATE_PATHS) || '[]') as string[]).filter((path) => existsSync(path));
  if (paths.length === 0) return;
  try {
    // @actions/cache reports most failures by logging "Failed to save" and answering -1.
    const id = await save(paths, key);
    if (id === -1) log.info(`Cargo cache ${key} was not saved (see the message above); the next run restores an older entry or builds from scratch.`);
    else log.info(`Cargo cache saved as ${key}.`);
  } catch (error) {
    log.warning(`Cargo cache save failed: ${(error as Error).message}`);
  }
}
