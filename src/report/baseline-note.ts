/**
 * The report's line about what the head was compared with, or why nothing
 * was. Pure: the shell in main.ts finds the baseline and passes what it saw.
 */

/** "3 days old", from the artifact's timestamp and the clock the shell passes. */
export function daysOld(timestamp: string, now: number): string {
  const days = (now - Date.parse(timestamp)) / 86_400_000;
  if (!Number.isFinite(days)) return 'of unknown age';
  if (days < 1 / 24) return 'less than an hour old';
  if (days < 1) return `${Math.round(days * 24)} hours old`;
  return `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'} old`;
}

/** A baseline passed over because the run that uploaded it did not succeed. */
export interface SkippedRun {
  runId: number;
  headSha: string;
  conclusion: string | null;
  fromMergeBase: boolean;
}

/** "the baseline of abc1234 (run 42, at the merge base) was skipped because its run failed" */
export function describeSkipped(run: SkippedRun): string {
  const why =
    run.conclusion === 'failure'
      ? 'its run failed'
      : run.conclusion === null
        ? 'its run has not finished'
        : `its run did not succeed (${run.conclusion})`;
  return `the baseline of ${run.headSha.slice(0, 7)} (run ${run.runId}${run.fromMergeBase ? ', at the merge base' : ''}) was skipped because ${why}`;
}

export interface FoundBaseline {
  branch: string;
  headSha: string;
  runId: number;
  /** "3 days old" */
  age: string;
  historyRuns: number;
  mergeBase: string | null;
  skipped: readonly SkippedRun[];
}

export function baselineNote(found: FoundBaseline): string {
  const atMergeBase = found.skipped.some((run) => run.fromMergeBase);
  const where =
    found.headSha === found.mergeBase
      ? 'the merge base'
      : found.mergeBase && !atMergeBase
        ? 'the newest base-branch run (no run at the merge base)'
        : 'the newest base-branch run';
  const skipped = found.skipped.length > 0 ? ` Skipped: ${found.skipped.map(describeSkipped).join('; ')}.` : '';
  return `Baseline: ${found.branch} @ ${found.headSha.slice(0, 7)} (${where}, run ${found.runId}), ${found.age}; ${found.historyRuns} earlier runs in its history.${skipped}`;
}

/** Every baseline found was skipped: say which, and why. */
export function unusableBaselineNote(branch: string, skipped: readonly SkippedRun[]): string {
  return `No usable baseline for ${branch}, nothing was compared: ${skipped.map(describeSkipped).join('; ')}. The next successful run on ${branch} records one.`;
}

/** Why nothing was compared; on the run that records the first baseline, that it does. */
export function noBaselineNote(branch: string, artifact: string, uploads: boolean): string {
  if (uploads)
    return `This run records the first baseline for ${branch} (artifact '${artifact}'): its results are shown, nothing was compared. Pull requests compare with it from now on.`;
  return `No baseline yet for ${branch} (artifact '${artifact}'): this run's results are shown, nothing was compared. A push to ${branch} with this workflow records it.`;
}
