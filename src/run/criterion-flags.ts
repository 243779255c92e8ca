/**
 * Which Criterion flags `quick: true` and a confirmation round's runs may
 * pass, decided from the Criterion versions in Cargo.lock and the times the
 * project sets in its own bench code. Pure: the shell in cargo.ts reads the files.
 *
 * Criterion's command line (read in its sources, 0.2.11 to 0.7.0):
 *   0.2       no --warm-up-time / --measurement-time / --sample-size / --nresamples
 *             at all (clap rejects them); --noplot
 *   0.3.x     the time flags in whole seconds only (`0.5` is "not a valid value")
 *   >= 0.4    the time flags in fractional seconds
 *   >= 0.3    --sample-size (at least 10), --nresamples (at least 1), --noplot
 * A flag on the command line overrides the Criterion-level config
 * (`criterion_group!{config = ...}`), so passing one can lengthen a project's
 * own shorter setting; group-level settings win over the flag.
 */
import { parse } from 'smol-toml';
import { InputError } from '../common/errors.ts';

export type TimeSetting = 'warm_up_time' | 'measurement_time';

const FLAG: Record<TimeSetting, string> = { warm_up_time: '--warm-up-time', measurement_time: '--measurement-time' };

type Times = Record<'fractional' | 'whole', Record<TimeSetting, number>>;

/** quick's times in seconds, for Criterion >= 0.4 and for 0.3 (whole seconds). */
const QUICK_SECONDS: Times = {
  fractional: { warm_up_time: 0.5, measurement_time: 1 },
  whole: { warm_up_time: 1, measurement_time: 1 },
};

/**
 * A confirmation round's runs: many short ones, each giving one median (the
 * sequential rule takes its spread from the pairs, so a noisier median costs
 * pairs, not error), as short as Criterion allows.
 */
const ROUND_SECONDS: Times = {
  fractional: { warm_up_time: 0.2, measurement_time: 0.5 },
  whole: { warm_up_time: 1, measurement_time: 1 },
};

/**
 * The rest of a round run's flags (Criterion 0.3-0.8): the fewest samples
 * Criterion takes, few bootstrap resamples (its own intervals go unused: at
 * the default 100,000 they took 25 of a run's 27 s on Criterion 0.3.6 under
 * load) and no plots.
 */
const ROUND_FIXED: HarnessFlag[] = [['--sample-size', '10'], ['--nresamples', '1000'], ['--noplot']];

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

/**
 * A time the project's bench code sets itself; seconds is null when the expression is not a plain Duration constructor.
 */
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

/** A harness flag, with its value when it takes one. */
export type HarnessFlag = readonly [string] | readonly [string, string];

export interface QuickPlan {
  /** Flags (with their values) for the harness, after `--`. */
  flags: HarnessFlag[];
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
  return timeFlags(versions, settings, QUICK_SECONDS, 'quick');
}

/**
 * The flags of a confirmation round's runs: its shorter times by the rules
 * quick's follow, then ROUND_FIXED; for Criterion 0.2 `--noplot` alone (it
 * has none of the others), for 0.1 nothing.
 */
export function roundCriterionFlags(versions: readonly string[], settings: readonly InCodeSetting[]): QuickPlan {
  const plan = timeFlags(versions, settings, ROUND_SECONDS, 'the confirmation round');
  if (versions.length === 0) return plan;
  const parsed = versions.map(parseVersion);
  if (!parsed.some(isOld)) return { flags: [...plan.flags, ...ROUND_FIXED], notes: plan.notes };
  // Criterion 0.1 has no --noplot either: clap would refuse it and every round would be skipped.
  const plots = parsed.every(([major, minor]) => major > 0 || minor >= 2);
  return { flags: plots ? [['--noplot']] : [], notes: plan.notes };
}

const isOld = ([major, minor]: [number, number]): boolean => major === 0 && minor < 3;

function timeFlags(
  versions: readonly string[],
  settings: readonly InCodeSetting[],
  seconds: Times,
  who: string,
): QuickPlan {
  if (versions.length === 0)
    return { flags: [], notes: [`${who}: Cargo.lock has no criterion package, so no Criterion flags were passed.`] };
  const parsed = versions.map(parseVersion);
  const old = versions.filter((_, i) => isOld(parsed[i] ?? [0, 0]));
  if (old.length > 0) {
    return {
      flags: [],
      notes: [
        `${who}: criterion ${old.join(', ')} has no --warm-up-time/--measurement-time flags, so ${who} passed none; set shorter times in the bench code instead.`,
      ],
    };
  }
  const whole = parsed.some(([major, minor]) => major === 0 && minor === 3);
  const times = seconds[whole ? 'whole' : 'fractional'];
  const notes: string[] = [];
  if (whole)
    notes.push(
      `${who}: criterion ${versions.join(', ')} takes whole seconds, so ${who} uses ${times.warm_up_time} s warm-up and ${times.measurement_time} s measurement.`,
    );
  const flags: HarnessFlag[] = [];
  for (const setting of ['warm_up_time', 'measurement_time'] as const) {
    const ours = times[setting];
    const own = settings.find((s) => s.setting === setting && (s.seconds === null || s.seconds <= ours));
    if (own) {
      const what =
        own.seconds === null
          ? `with an expression ${who} cannot read`
          : `to ${duration(own.seconds)}, not longer than ${who}'s ${duration(ours)}`;
      notes.push(
        `${who}: ${own.file} sets ${setting} ${what}; ${FLAG[setting]} is left out so the project's own setting stands.`,
      );
      continue;
    }
    flags.push([FLAG[setting], String(ours)]);
  }
  return { flags, notes };
}
