/**
 * The analysis settings the action and the CLI share: the threshold flags or
 * inputs, the control globs, and the thresholds and claims files, merged once
 * here. The thresholds file's default replaces the threshold flag, its
 * overrides apply per benchmark, its controls join the flag's. Pure: the
 * files arrive read (files/analysis-settings.ts reads them).
 */
import type { ClaimsFile } from '../claims/index.ts';
import type { MuteRule } from '../compare/types.ts';
import type { ThresholdRule } from '../compare/index.ts';
import type { ThresholdsFile } from '../config/thresholds.ts';

/** Where the settings come from: flags or inputs, and the paths of the hand-written files (null: none). */
export interface AnalysisSources {
  /** Fraction, e.g. 0.10. */
  threshold: number;
  /** Fraction for counted metrics, e.g. 0.01. */
  instructionsThreshold: number;
  controls: readonly string[];
  thresholdsFile: string | null;
  claimsFile: string | null;
}

/** The part of analyze()'s input that settings decide. */
export interface AnalysisSettings {
  threshold: number;
  instructionsThreshold: number;
  thresholds: readonly ThresholdRule[];
  /** The thresholds file's mutes, expired ones included (analyze() sets those apart by the date it is given). */
  mutes: readonly MuteRule[];
  controls: readonly string[];
  claims: ClaimsFile | null;
}

export function analysisSettings(
  sources: Pick<AnalysisSources, 'threshold' | 'instructionsThreshold' | 'controls'>,
  files: { thresholds: ThresholdsFile | null; claims: ClaimsFile | null },
): AnalysisSettings {
  const { thresholds, claims } = files;
  return {
    threshold: thresholds?.default ?? sources.threshold,
    instructionsThreshold: sources.instructionsThreshold,
    thresholds: thresholds?.overrides ?? [],
    mutes: thresholds?.mutes ?? [],
    controls: [...sources.controls, ...(thresholds?.controls ?? [])],
    claims,
  };
}
