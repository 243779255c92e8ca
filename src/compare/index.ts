export { compare, DEFAULTS, MIN_SAMPLES } from './compare.ts';
export { resolveOptions, thresholdMatcher } from './options.ts';
export { summarize } from './summary.ts';
export { decideVerdict, worsening, type VerdictInput } from './verdict.ts';
export { computePairs, type PairOptions } from './pairs.ts';
export { globToRegExp } from './glob.ts';
export { VERDICTS } from './types.ts';
export type * from './types.ts';
export { comparisonNoise, estimateRunNoise, historyTerms, MIN_HISTORY_RUNS, runMedians } from './noise.ts';
export type { HistoryTerms, RunNoise } from './noise.ts';
export { poolRounds, roundsNoise } from './pool.ts';
export {
  controlInputs,
  controlMatcher,
  estimateDrift,
  isWallTime,
  MAX_CONTROL_SPREAD,
  MIN_CONTROLS,
} from './controls.ts';
export type { ControlledInputs, Drift } from './controls.ts';
