/**
 * Benchmark scripts print more than their JSON: mitata's `run({format:
 * 'json'})` output is often followed by tips, and a script's own log lines can
 * come first. When one JSON document of a known tool format sits among plain
 * text lines, this finds it; anything else is an error saying where the extra
 * text is. Pure.
 */
import { InputError } from '../common/errors.ts';
import { lineColumn, tooDeepAt } from './common.ts';
import { jsonValueEnd } from './json-error.ts';

export interface EmbeddedJson {
  /** The JSON document alone. */
  json: string;
  /** Says which lines were skipped, for the user. */
  note: string;
}

/** A line that starts a JSON document (possibly indented). */
const JSON_LINE = /^[ \t]*[{[]/gm;

function lineOf(text: string, offset: number): number {
  return lineColumn(text, offset).line;
}

function nonBlankLines(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

/** Offset of the first non-blank character at or after `from`. */
function nextText(text: string, from: number): number {
  const match = /\S/.exec(text.slice(from));
  return match ? from + match.index : text.length;
}

/**
 * The one JSON document in `text` with plain lines before or after it, or
 * null when there is no such document to offer (no JSON line, a document that
 * does not parse, or nothing around it). `accepts` says whether the document
 * is in a format whose real output carries extra text; when it is not, or
 * when the text after the document is not plain lines, the InputError names
 * the line where the extra text starts.
 */
export function findEmbeddedJson(file: string, text: string, accepts: (json: string) => boolean): EmbeddedJson | null {
  JSON_LINE.lastIndex = 0;
  const found = JSON_LINE.exec(text);
  if (!found) return null;
  const start = nextText(text, found.index);
  // The scan below recurses per level; the normal parse reports deeper input.
  if (tooDeepAt(text.slice(start)) >= 0) return null;
  const end = jsonValueEnd(text, start);
  if (end < 0) return null;
  const before = text.slice(0, start);
  const after = text.slice(end);
  if (before.trim() === '' && after.trim() === '') return null;

  const extraAt = nextText(text, end);
  const extraAfter = () => new InputError(file, `extra text after the JSON at line ${lineOf(text, extraAt)}`);
  const json = text.slice(start, end);
  // The document must end its line, and no second document may follow: its benchmarks would be lost.
  if (!/^[ \t\r]*(?:\n|$)/.test(after)) throw extraAfter();
  JSON_LINE.lastIndex = 0;
  if (JSON_LINE.test(after)) throw extraAfter();
  if (!accepts(json)) {
    if (after.trim() !== '') throw extraAfter();
    throw new InputError(file, `extra text before the JSON at line ${lineOf(text, nextText(text, 0))}`);
  }
  const count = (part: string, where: string) => {
    const n = nonBlankLines(part);
    return n === 0 ? null : `${n} line${n === 1 ? '' : 's'} ${where}`;
  };
  const skipped = [count(before, 'before'), count(after, 'after')].filter((part) => part !== null).join(' and ');
  const first = lineOf(text, start);
  const last = lineOf(text, end - 1);
  return {
    json,
    note: `${file}: skipped ${skipped} the JSON, which is on line${first === last ? ` ${first}` : `s ${first}-${last}`}`,
  };
}
