/**
 * Finds where a JSON text stops being valid, with jsonc-parser in strict JSON
 * mode. Node's JSON.parse messages differ between versions (Node 20 often
 * gives no position at all), so on the error path the text is rescanned to
 * report a stable line and column.
 */
import { printParseErrorCode, visit, type ParseOptions } from 'jsonc-parser';

/** Plain JSON: no comments, no trailing commas, no empty document. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Offset of the first character that makes `text` invalid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let first = -1;
  // What may start next: a value, a property name, or neither (a separator or a close).
  let next: Expected = 'value';
  const arrays: boolean[] = [];
  const then = (expected: Expected) => () => void (next = expected);
  visit(
    text,
    {
      onObjectBegin: () => void (arrays.push(false), (next = 'name')),
      onArrayBegin: () => void (arrays.push(true), (next = 'value')),
      onObjectEnd: () => void (arrays.pop(), (next = 'other')),
      onArrayEnd: () => void (arrays.pop(), (next = 'other')),
      onObjectProperty: then('other'),
      onLiteralValue: then('other'),
      onSeparator: (character) => void (next = character === ':' || arrays.at(-1) === true ? 'value' : 'name'),
      onError: (code, offset, length) => {
        if (first < 0) first = errorAt(text, printParseErrorCode(code), offset, length, next);
      },
    },
    STRICT,
  );
  return first;
}

type Expected = 'value' | 'name' | 'other';

/**
 * Where the reader should look. jsonc-parser reports a bad token at its start,
 * and before it checks that the token may stand there at all; the reader is
 * shown the first character that cannot belong there: where a
 * cut-off string stops (the end of the file or of its line), a control
 * character or a bad escape in a string, the letter where a word stops being true, false or
 * null, the character where a number stops being one.
 */
function errorAt(
  text: string,
  code: ReturnType<typeof printParseErrorCode>,
  offset: number,
  length: number,
  next: Expected,
): number {
  const token = text.slice(offset, offset + length);
  // A token where none may start is wrong from its first character.
  if (next === 'other' || (next === 'name' && !token.startsWith('"'))) return offset;
  switch (code) {
    case 'UnexpectedEndOfString':
      return offset + length;
    case 'InvalidCharacter': {
      const at = token.search(/[\u0000-\u001f]/);
      return at >= 0 ? offset + at : offset;
    }
    case 'InvalidEscapeCharacter': {
      const at = token.search(/\\[^"\\/bfnrtu]/);
      return at >= 0 ? offset + at : offset;
    }
    case 'InvalidSymbol': {
      const literal = ['true', 'false', 'null'].find((word) => word[0] === token[0]) ?? '';
      let same = 0;
      while (same < literal.length && token[same] === literal[same]) same++;
      return offset + same;
    }
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return offset + (/^-?(?:0|[1-9]\d*)(?:\.\d+)?/.exec(token)?.[0].length ?? 0);
    default:
      return offset;
  }
}

/**
 * Offset just past the JSON value starting at `start` (trailing whitespace on
 * its line not included), or -1 when no complete value starts there.
 */
export function jsonValueEnd(text: string, start: number): number {
  let depth = 0;
  let end = -1;
  let broken = false;
  const close = (offset: number, length: number) => {
    // jsonc-parser closes a value whose bracket is missing (length 0) before it reports the error.
    if (length === 0) broken = true;
    depth--;
    if (depth === 0 && end < 0) end = offset + length;
  };
  visit(
    text.slice(start),
    {
      onObjectBegin: () => void depth++,
      onArrayBegin: () => void depth++,
      onObjectEnd: close,
      onArrayEnd: close,
      onLiteralValue: (_value, offset, length) => {
        if (depth === 0 && end < 0) end = offset + length;
      },
      // Errors after the value are the text around it, for the caller to judge.
      onError: () => {
        if (end < 0) broken = true;
      },
    },
    STRICT,
  );
  return broken || end < 0 ? -1 : start + end;
}
