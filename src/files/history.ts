/** Earlier runs of the base branch for `compare --history` and `--history-dir`. */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { globToRegExp } from '../compare/glob.ts';
import { InputError } from '../common/errors.ts';
import { isCriterionFile } from '../formats/index.ts';
import type { Results } from '../schema/types.ts';
import { loadResults, type RunMetaSource } from './load.ts';
import { reason } from './read.ts';

/**
 * Earlier runs for `compare --history`: a results file, a Criterion
 * directory, or a directory of results files (such as a downloaded baseline
 * artifact's history/), each file one run, leaving out `exclude` (the base
 * and head being compared: neither is an earlier run).
 */
export async function loadHistory(
  path: string,
  meta: RunMetaSource,
  exclude: readonly string[] = [],
): Promise<Results[]> {
  let entries: string[] = [];
  try {
    if ((await stat(path)).isDirectory()) entries = await readdir(path, { recursive: true });
  } catch (error) {
    throw new InputError(path, reason(error));
  }
  const isCriterion = entries.some((entry) => isCriterionFile(entry.split(sep).join('/')));
  // series.json (a baseline artifact's compact history) is not one run; nor are the base and head themselves.
  const excluded = new Set(exclude.map((file) => resolve(file)));
  const json = entries.filter((entry) => entry.endsWith('.json') && !entry.includes(sep) && entry !== 'series.json');
  const files = json.filter((entry) => !excluded.has(resolve(path, entry))).sort();
  if (entries.length === 0 || isCriterion || json.length === 0) return [await loadResults(path, meta)];
  const runs: Results[] = [];
  for (const file of files) runs.push(await loadResults(join(path, file), meta));
  return runs;
}

/**
 * The newest `count` of a directory's file names that match `match`, by name
 * order, leaving out `excluded`; oldest first. Names that sort by time
 * (benchmark_YYYYmmdd_HHMMSS.json) make name order the order of the runs.
 */
export function newestRuns(
  names: readonly string[],
  choice: { count: number; match: string },
  excluded: ReadonlySet<string>,
): string[] {
  const pattern = globToRegExp(choice.match);
  const runs = names.filter((name) => pattern.test(name) && !excluded.has(name)).sort();
  return runs.slice(Math.max(0, runs.length - choice.count));
}

/**
 * `compare --history-dir`: the newest matching results files directly in `dir`, other than `exclude` (base and head).
 */
export async function loadHistoryDir(
  dir: string,
  choice: { count: number; match: string },
  exclude: readonly string[],
  meta: RunMetaSource,
): Promise<Results[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new InputError(dir, `cannot read directory: ${reason(error)}`);
  }
  const excluded = new Set(
    exclude.filter((path) => resolve(dirname(path)) === resolve(dir)).map((path) => basename(path)),
  );
  const runs: Results[] = [];
  for (const name of newestRuns(names, choice, excluded)) runs.push(await loadResults(join(dir, name), meta));
  return runs;
}
