/**
 * Reads a base-branch series for `bench-action history` and `dashboard`:
 * a series.json, a downloaded baseline artifact (series.json, results.json,
 * history/), or a directory of results files. Shell: fs only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../common/errors.ts';
import { BASELINE_HISTORY_DIR, BASELINE_RESULTS_FILE, BASELINE_SERIES_FILE } from '../github/baseline-layout.ts';
import { seriesFromRuns, validateSeries, type SeriesFile } from '../history/series.ts';
import { loadResults, type RunMetaSource } from './load.ts';
import type { Results } from '../schema/types.ts';

async function readSeriesFile(path: string): Promise<SeriesFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(path, `is not readable JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const outcome = validateSeries(data);
  if (!outcome.ok) throw new InputError(path, `${outcome.issue}; delete it to rebuild the series from the full runs`);
  return outcome.value;
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new InputError(
      path,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : 'cannot read',
    );
  }
}

/**
 * The series at `path`, completed with any full runs beside it that are newer
 * than its newest run (an artifact written before the series existed has
 * only those). `meta` stamps tool output that carries no run metadata (a bare
 * Criterion file); the shell collects it once.
 */
export async function loadSeries(path: string, meta: RunMetaSource): Promise<SeriesFile> {
  if (!(await isDirectory(path))) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (/"seriesVersion"/.test(text.slice(0, 200))) return readSeriesFile(path);
    return seriesFromRuns([await loadResults(path, meta)]);
  }
  const names = await jsonFiles(path);
  const series = names.includes(BASELINE_SERIES_FILE) ? await readSeriesFile(join(path, BASELINE_SERIES_FILE)) : null;
  const runs: Results[] = [];
  const files = [
    ...names.filter((name) => name !== BASELINE_SERIES_FILE).map((name) => join(path, name)),
    ...(await jsonFiles(join(path, BASELINE_HISTORY_DIR))).map((name) => join(path, BASELINE_HISTORY_DIR, name)),
  ];
  for (const file of files) runs.push(await loadResults(file, meta));
  if (series === null && runs.length === 0) {
    throw new InputError(
      path,
      `holds no ${BASELINE_SERIES_FILE}, ${BASELINE_RESULTS_FILE} or results files; give a baseline artifact or a directory of results files`,
    );
  }
  return seriesFromRuns(runs, series);
}
