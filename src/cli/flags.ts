/**
 * A CLI command's flags as one table: node:util's parseArgs reads argv by
 * it, each flag's default is given once and applied from it, and the
 * command's --help is generated from it. Pure: argv in, values or a one-line
 * UsageError out.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../common/errors.ts';
import { isFormat } from '../formats/detect.ts';

export interface Flag {
  /** The long name, without the dashes. */
  name: string;
  short?: string;
  /** A flag with a value names it in the help (FILE, PCT); a flag without one is a switch. */
  value?: string;
  multiple?: boolean;
  /** Applied when the flag is absent, and shown in the help. */
  default?: string;
  /** A name the flag had before (read as this flag; giving both is bad usage). */
  oldName?: string;
  /** The help line; more lines with '\n'. */
  help: string;
}

export interface CommandHelp {
  name: string;
  /** What follows `bench-action <name>` in the usage line. */
  usage: string;
  /** What the command does, shown under the usage line. */
  description: string;
}

const HELP_FLAG: Flag = { name: 'help', short: 'h', help: 'this help' };

export interface ParsedFlags {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * `--threshold -5` as `--threshold=-5`: node:util would read the value as an
 * option and call the flag ambiguous; the flag's own check then names it.
 */
function negativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** argv by the table; null when --help was asked for. */
export function parseFlags(command: string, argv: readonly string[], flags: readonly Flag[]): ParsedFlags | null {
  const options: Options = {};
  for (const flag of [...flags, HELP_FLAG]) {
    const option = {
      type: flag.value === undefined ? ('boolean' as const) : ('string' as const),
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
    options[flag.name] = option;
    if (flag.oldName !== undefined) options[flag.oldName] = { type: option.type };
  }
  let parsed: ParsedFlags;
  try {
    parsed = parseArgs({ args: negativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages are multi-line and mention internals; keep the gist on one line.
    const message =
      (error as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? 'bad arguments';
    throw new UsageError(`bench-action ${command}: ${message} (see 'bench-action ${command} --help').`);
  }
  if (parsed.values['help'] === true) return null;
  for (const flag of flags) {
    if (flag.oldName !== undefined && parsed.values[flag.oldName] !== undefined) {
      if (parsed.values[flag.name] !== undefined) {
        throw new UsageError(`bench-action ${command}: give --${flag.name} once (--${flag.oldName} is its old name).`);
      }
      parsed.values[flag.name] = parsed.values[flag.oldName];
    }
    if (flag.default !== undefined && parsed.values[flag.name] === undefined) parsed.values[flag.name] = flag.default;
  }
  return parsed;
}

/** A string flag's value (its default applied), or null. */
export function str(parsed: ParsedFlags, name: string): string | null {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : null;
}

/** `-o`'s path, or null for standard output: `-o -` is standard output, as in cargo and most Unix tools. */
export function outputPath(parsed: ParsedFlags): string | null {
  const value = str(parsed, 'output');
  return value === '-' ? null : value;
}

/** The command's one positional argument (`what` it names), else a usage error saying how many it got. */
export function onePositional(parsed: ParsedFlags, command: string, what: string): string {
  const [only] = parsed.positionals;
  if (parsed.positionals.length !== 1 || only === undefined) {
    throw new UsageError(
      `bench-action ${command}: expected one ${what}, got ${parsed.positionals.length} (see 'bench-action ${command} --help').`,
    );
  }
  return only;
}

/** A repeatable flag's values. */
export function strings(parsed: ParsedFlags, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function isSet(parsed: ParsedFlags, name: string): boolean {
  return parsed.values[name] === true;
}

/** The command's --help: usage, description, then every flag of the table with its default. */
export function helpText(help: CommandHelp, flags: readonly Flag[]): string {
  const rows = [...flags, HELP_FLAG].map((flag) => {
    const left = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
    const lines = flag.help.split('\n');
    if (flag.default !== undefined) lines[lines.length - 1] += ` (default: ${flag.default})`;
    if (flag.oldName !== undefined) lines.push(`(--${flag.oldName} is its old name)`);
    return { left, lines };
  });
  const width = Math.max(...rows.map((row) => row.left.length)) + 2;
  const options = rows.flatMap(({ left, lines }) =>
    lines.map((line, i) => `  ${(i === 0 ? left : '').padEnd(width)}${line}`),
  );
  return [`Usage: bench-action ${help.name} ${help.usage}`, '', help.description, '', 'Options:', ...options].join(
    '\n',
  );
}

/** The report's format flag, `--output-format` (old name `--format`), with its default. */
export function outputFormatFlag(defaultFormat: string, help: string): Flag {
  return { name: 'output-format', oldName: 'format', value: 'FMT', default: defaultFormat, help };
}

/**
 * The report's format, one of `allowed`. A value that is an input format
 * (`--format go` meant for parse) is told apart, with the command that reads it.
 */
export function outputFormat<T extends string>(command: string, parsed: ParsedFlags, allowed: readonly T[]): T {
  const given = str(parsed, 'output-format') ?? allowed[0];
  if ((allowed as readonly (string | undefined)[]).includes(given)) return given as T;
  const input = isFormat(given ?? '')
    ? ` '${given}' is an input format: 'bench-action parse --input-format ${given} FILE -o results.json' reads it, and ${command} takes the results file.`
    : '';
  throw new UsageError(
    `bench-action ${command}: --output-format (or --format) is the report's format, ${allowed.join(' or ')}; got '${given}'.${input}`,
  );
}

/** `--controls` globs, trimmed; an empty one is a usage error. */
export function controlGlobs(command: string, globs: readonly string[]): string[] {
  const trimmed = globs.map((glob) => glob.trim());
  if (trimmed.some((glob) => glob === '')) {
    throw new UsageError(
      `bench-action ${command}: --controls needs a benchmark-id glob, e.g. --controls 'cache_*/moka'.`,
    );
  }
  return trimmed;
}
