/**
 * What a baseline artifact holds, and how its history rolls. Pure: no fs, no
 * clock; the shell in baseline.ts reads and writes the files.
 *
 *   results.json                          the newest default-branch run
 *   history/<timestamp>-<commit>.json     older runs, newest `historySize` kept
 *   series.json                           medians of up to 1,000 runs (src/history/series.ts)
 *
 * History file names sort chronologically (compact UTC timestamp to the
 * millisecond first); readers still order runs by their own timestamps, since
 * names from older uploads end at the second.
 */
import type { SeriesFile } from '../history/series.ts';
import type { Results } from '../schema/types.ts';

export const BASELINE_RESULTS_FILE = 'results.json';
export const BASELINE_HISTORY_DIR = 'history';
/** The compact series of up to 1,000 runs (src/history/series.ts), carried forward by every upload. */
export const BASELINE_SERIES_FILE = 'series.json';

/** What the roll needs of a run: when and at which commit it ran. */
export interface RunStamp {
  run: { timestamp: string; commit: string | null };
}

export interface BaselineContents<T extends RunStamp = Results> {
  latest: T | null;
  /** Older runs, newest first. */
  history: T[];
}

export interface BaselineFile {
  /** POSIX path relative to the artifact root. */
  path: string;
  content: string;
}

function compactTimestamp(timestamp: string): string {
  const ms = Date.parse(timestamp);
  const iso = Number.isFinite(ms) ? new Date(ms).toISOString() : '0000-00-00T00:00:00.000Z';
  // 2026-11-26T16:51:14.123Z -> 20261126T165114123Z: with the milliseconds, two pushes in
  // one second still sort in the order they ran (names of older uploads end at the second).
  return `${iso.slice(0, 23).replace(/[-:.]/g, '')}Z`;
}

export function historyFileName(stamp: RunStamp): string {
  const commit = (stamp.run.commit ?? 'unknown').replace(/[^0-9a-zA-Z]/g, '').slice(0, 12) || 'unknown';
  return `${BASELINE_HISTORY_DIR}/${compactTimestamp(stamp.run.timestamp)}-${commit}.json`;
}

function sameRun(a: RunStamp, b: RunStamp): boolean {
  return a.run.timestamp === b.run.timestamp && a.run.commit === b.run.commit;
}

function newestFirst(a: RunStamp, b: RunStamp): number {
  const ta = Date.parse(a.run.timestamp);
  const tb = Date.parse(b.run.timestamp);
  return (Number.isFinite(tb) ? tb : 0) - (Number.isFinite(ta) ? ta : 0);
}

/**
 * The baseline after `current`: it becomes `latest`, the previous latest
 * joins the history, and only the newest `historySize` older runs stay.
 * Re-uploading the same run (a re-run job) does not push it into its own history.
 */
export function rollBaseline<T extends RunStamp>(
  previous: BaselineContents<T> | null,
  current: T,
  historySize: number,
): BaselineContents<T> {
  const size = Math.max(0, Math.floor(historySize));
  const older = [...(previous?.latest ? [previous.latest] : []), ...(previous?.history ?? [])];
  const unique: T[] = [];
  for (const run of older.sort(newestFirst)) {
    if (sameRun(run, current) || unique.some((kept) => sameRun(kept, run))) continue;
    unique.push(run);
  }
  return { latest: current, history: unique.slice(0, size) };
}

/** The files to upload for these contents (history file names derive from each run), and the series. */
export function baselineFiles<T extends RunStamp>(
  contents: BaselineContents<T>,
  series: SeriesFile | null = null,
): BaselineFile[] {
  const files: BaselineFile[] = [];
  // Unindented: at 1,000 runs x 150 benchmarks indentation would add a third (docs/history.md).
  if (series) files.push({ path: BASELINE_SERIES_FILE, content: `${JSON.stringify(series)}\n` });
  if (contents.latest)
    files.push({ path: BASELINE_RESULTS_FILE, content: `${JSON.stringify(contents.latest, null, 2)}\n` });
  const seen = new Set<string>();
  for (const run of contents.history) {
    let path = historyFileName(run);
    // Two runs in the same second at the same commit: keep both, distinctly named.
    for (let n = 2; seen.has(path); n++) path = historyFileName(run).replace(/\.json$/, `-${n}.json`);
    seen.add(path);
    files.push({ path, content: `${JSON.stringify(run, null, 2)}\n` });
  }
  return files;
}
