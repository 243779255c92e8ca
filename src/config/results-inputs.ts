import { UsageError } from '../common/errors.ts';
import { isFormat, type Format } from '../formats/detect.ts';

/** One line of the action's `results` input: a path, and the format to read it as when given. */
export interface ResultsInput {
  path: string;
  format?: Format;
}

/**
 * `FORMAT: PATH` forces a format (`go: bench.txt`); anything else is a path,
 * detected. A colon must be followed by a space, so `C:\x` stays a path; a
 * word before `: ` that is no format name is an error naming the input.
 */
export function parseResultsLine(line: string, input = 'results'): ResultsInput {
  const match = /^([A-Za-z][\w-]*):\s+(\S.*)$/.exec(line.trim());
  if (!match) return { path: line.trim() };
  const [, name = '', path = ''] = match;
  if (!isFormat(name))
    throw new UsageError(
      `Input '${input}': '${name}' in '${line.trim()}' is not a format; use FORMAT: PATH with a format of docs/formats.md, or the path alone to detect it.`,
    );
  return { path: path.trim(), format: name };
}
