/**
 * The comparison's options: defaults filled, impossible values refused, and the threshold that applies
 * to each benchmark. Pure.
 */
import { UsageError } from '../common/errors.ts';
import { TIME_METRIC } from '../schema/metric.ts';
import { isCounted } from './exact.ts';
import { globToRegExp } from './glob.ts';
import { DEFAULTS, type CompareOptions, type ResolvedCompareOptions, type ThresholdRule } from './types.ts';

function checkFraction(name: string, value: number, min: number, max: number, hint: string): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${name} must be ${hint}, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and rejects impossible values with a UsageError naming the option. */
export function resolveOptions(options: CompareOptions = {}): ResolvedCompareOptions {
  const threshold = checkFraction(
    'threshold',
    options.threshold ?? DEFAULTS.threshold,
    0,
    100,
    'a fraction >= 0 (0.10 = 10%)',
  );
  const instructionsThreshold = checkFraction(
    'instructions threshold',
    options.instructionsThreshold ?? DEFAULTS.instructionsThreshold,
    0,
    100,
    'a fraction >= 0 (0.01 = 1%)',
  );
  const thresholds = (options.thresholds ?? []).map((rule) => ({
    pattern: rule.pattern,
    threshold: checkFraction(`threshold for '${rule.pattern}'`, rule.threshold, 0, 100, 'a fraction >= 0 (0.10 = 10%)'),
    ...(rule.metric !== undefined ? { metric: rule.metric } : {}),
  }));
  const alpha = options.alpha ?? DEFAULTS.alpha;
  if (!(alpha > 0 && alpha < 1))
    throw new UsageError(`alpha must be between 0 and 1 (e.g. 0.05), got ${String(alpha)}`);
  const level = options.level ?? DEFAULTS.level;
  if (!(level > 0 && level < 1))
    throw new UsageError(`confidence level must be between 0 and 1 (e.g. 0.95), got ${String(level)}`);
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new UsageError(`seed must be an integer, got ${String(seed)}`);
  const resamples = options.resamples ?? DEFAULTS.resamples;
  if (!Number.isSafeInteger(resamples) || resamples < 100) {
    throw new UsageError(`resamples must be an integer >= 100, got ${String(resamples)}`);
  }
  let noiseTerms = 0;
  for (const [id, sd] of options.noise ?? []) {
    if (!(Number.isFinite(sd) && sd >= 0))
      throw new UsageError(`noise for '${id}' must be a finite number >= 0, got ${String(sd)}`);
    if (sd > 0) noiseTerms++;
  }
  return { threshold, instructionsThreshold, thresholds, alpha, level, seed, resamples, noiseTerms };
}

/**
 * Returns the threshold for an (id, metric): the first matching rule for that
 * kind of metric, else the default. Rules without a metric and the plain
 * default are for wall time (and other sampled metrics); counted metrics take
 * rules that name them and the instructions default.
 */
export function thresholdMatcher(
  options: Pick<ResolvedCompareOptions, 'threshold' | 'thresholds'> &
    Partial<Pick<ResolvedCompareOptions, 'instructionsThreshold'>>,
): (id: string, metric?: string) => number {
  const compiled = options.thresholds.map((rule: ThresholdRule) => ({
    re: globToRegExp(rule.pattern),
    threshold: rule.threshold,
    metric: rule.metric,
  }));
  return (id, metric = TIME_METRIC) => {
    const counted = isCounted(metric);
    const rule = compiled.find((r) => (r.metric === undefined ? !counted : r.metric === metric) && r.re.test(id));
    if (rule) return rule.threshold;
    return counted ? (options.instructionsThreshold ?? DEFAULTS.instructionsThreshold) : options.threshold;
  };
}
