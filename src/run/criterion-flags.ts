/**
 * Which Criterion flags `quick: true` may pass, decided from the Criterion
 * versions in Cargo.lock and the times the project sets in its own bench code.
 * Pure: the shell in cargo.ts reads the files.
 *
 * Criterion's command line:
 *   0.2       no --warm-up-time / --measurement-time at all (clap rejects them)
 *   0.3.x     both flags, whole seconds only (`0.5` is "not a valid value")
 *   >= 0.4    both flags, fractional seconds
 * A flag on the command line overrides the Criterion-level config
 * (`criterion_group!{config = ...}`), so passing one can lengthen a project's
 * own shorter setting; group-level settings win over the flag.
 */
import { parse } from 'smol-toml';
import { InputError } from '../common/errors.ts';

export type TimeSetting = 'warm_up_time' | 'measurement_time';

const FLAG: Record<TimeSetting, string> = { warm_up_time: '--warm-up-time', measurement_time: '--measurement-time' };

/** quick's times in seconds, for Criterion >= 0.4 and for 0.3 (whole seconds). */
const QUICK_SECONDS: Record<'fractional' | 'whole', Record<TimeSetting, number>> = {
  fractional: { warm_up_time: 0.5, measurement_time: 1 },
  whole: { warm_up_time: 1, measurement_time: 1 },
};

/** The versions of the `criterion` package in a Cargo.lock, e.g. ['0.3.6']. */
export function criterionVersions(lockText: string, lockPath: string): string[] {
  let lock: unknown;
  try {
    lock = parse(lockText);
  } catch (error) {
    throw new InputError(
      lockPath,
      `is not valid TOML (${(error as Error).message.split('\n')[0]}); run cargo generate-lockfile`,
    );
  }
  const packages = (lock as { package?: unknown }).package;
  if (!Array.isArray(packages)) return [];
  return packages
    .filter(
      (p): p is { name: string; version: string } =>
        typeof p === 'object' && p !== null && (p as { name?: unknown }).name === 'criterion',
    )
    .map((p) => String(p.version));
}

/** A time the project's bench code sets itself; seconds is null when the expression is not a plain Duration constructor. */
export interface InCodeSetting {
  setting: TimeSetting;
  file: string;
  seconds: number | null;
}

const UNIT_SECONDS: Record<string, number> = {
  from_secs: 1,
  from_secs_f64: 1,
  from_secs_f32: 1,
  from_millis: 1e-3,
  from_micros: 1e-6,
  from_nanos: 1e-9,
};

/** Every `.warm_up_time(...)` / `.measurement_time(...)` call in a bench source, outside line comments. */
export function inCodeTimeSettings(file: string, source: string): InCodeSetting[] {
  const code = source
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('\n');
  const found: InCodeSetting[] = [];
  for (const match of code.matchAll(/\.\s*(warm_up_time|measurement_time)\s*\(\s*(?=([^;]*))/g)) {
    const setting = match[1] as TimeSetting;
    const duration =
      /^(?:(?:std|core)::time::)?Duration::(from_secs_f64|from_secs_f32|from_secs|from_millis|from_micros|from_nanos)\s*\(\s*([0-9][0-9_]*(?:\.[0-9_]+)?)\s*\)/.exec(
        match[2] ?? '',
      );
    const seconds = duration
      ? Number((duration[2] ?? '').replace(/_/g, '')) * (UNIT_SECONDS[duration[1] ?? ''] ?? Number.NaN)
      : null;
    found.push({ setting, file, seconds: seconds !== null && Number.isFinite(seconds) ? seconds : null });
  }
  return found;
}

export interface QuickPlan {
  /** Flag/value pairs for the harness, after `--`. */
  flags: Array<readonly [string, string]>;
  /** What was decided and why, for the log. */
  notes: string[];
}

function parseVersion(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return [major, minor];
}

function duration(seconds: number): string {
  return seconds >= 1 ? `${Number(seconds.toPrecision(3))} s` : `${Number((seconds * 1000).toPrecision(3))} ms`;
}

/**
 * The flags `quick` passes: none without Criterion, none for Criterion 0.2,
 * whole seconds when any crate uses 0.3, and never a flag that would lengthen
 * a time the project set itself (or one we cannot read).
 */
export function quickCriterionFlags(versions: readonly string[], settings: readonly InCodeSetting[]): QuickPlan {
  if (versions.length === 0)
    return { flags: [], notes: ['quick: Cargo.lock has no criterion package, so no Criterion flags were passed.'] };
  const parsed = versions.map(parseVersion);
  const old = versions.filter((_, i) => (parsed[i]?.[0] ?? 0) === 0 && (parsed[i]?.[1] ?? 0) < 3);
  if (old.length > 0) {
    return {
      flags: [],
      notes: [
        `quick: criterion ${old.join(', ')} has no --warm-up-time/--measurement-time flags, so quick passed none; set shorter times in the bench code instead.`,
      ],
    };
  }
  const whole = parsed.some(([major, minor]) => major === 0 && minor === 3);
  const times = QUICK_SECONDS[whole ? 'whole' : 'fractional'];
  const notes: string[] = [];
  if (whole)
    notes.push(
      `quick: criterion ${versions.join(', ')} takes whole seconds, so quick uses ${times.warm_up_time} s warm-up and ${times.measurement_time} s measurement.`,
    );
  const flags: Array<readonly [string, string]> = [];
  for (const setting of ['warm_up_time', 'measurement_time'] as const) {
    const ours = times[setting];
    const own = settings.find((s) => s.setting === setting && (s.seconds === null || s.seconds <= ours));
    if (own) {
      const what =
        own.seconds === null
          ? 'with an expression quick cannot read'
          : `to ${duration(own.seconds)}, not longer than quick's ${duration(ours)}`;
      notes.push(
        `quick: ${own.file} sets ${setting} ${what}; ${FLAG[setting]} is left out so the project's own setting stands.`,
      );
      continue;
    }
    flags.push([FLAG[setting], String(ours)]);
  }
  return { flags, notes };
}
