/**
 * The analysis settings with their files read: the thresholds and claims
 * files, checked before anything is measured (a typo in them must not cost a
 * benchmark run), merged with the flags or inputs by analysis/settings.ts.
 */
import { analysisSettings, type AnalysisSettings, type AnalysisSources } from '../analysis/settings.ts';
import { loadClaims, loadThresholds } from './load.ts';

export async function loadAnalysisSettings(sources: AnalysisSources): Promise<AnalysisSettings> {
  return analysisSettings(sources, {
    // An empty path is no file, as an empty input or `--claims ''` always was.
    thresholds: sources.thresholdsFile ? await loadThresholds(sources.thresholdsFile) : null,
    claims: sources.claimsFile ? await loadClaims(sources.claimsFile) : null,
  });
}
