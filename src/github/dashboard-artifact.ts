/**
 * The dashboard of the base branch's series, on every baseline upload:
 * written beside the results (for a Pages step to pick up) and uploaded as
 * the `bench-dashboard` artifact. Shell: fs, clock and GitHub.
 */
import { dirname } from 'node:path';
import { renderDashboard } from '../dashboard/render.ts';
import { allChangePoints } from '../history/changes.ts';
import type { SeriesFile } from '../history/series.ts';
import { writeTextFile } from '../files/write.ts';
import { uploadArtifactFiles } from './baseline.ts';

export const DASHBOARD_ARTIFACT = 'bench-dashboard';

export async function publishDashboard(
  series: SeriesFile,
  title: string,
  path: string,
  name = DASHBOARD_ARTIFACT,
): Promise<{ id: number }> {
  await writeTextFile(
    path,
    renderDashboard({ series, changePoints: allChangePoints(series), title, generatedAt: new Date().toISOString() }),
  );
  return uploadArtifactFiles(name, [path], dirname(path));
}
