/**
 * Finds where a JSON text stops being valid. Node's JSON.parse messages differ
 * between versions (Node 20 often gives no position at all), so on the error
 * path the text is rescanned here to report a stable line and column.
 */

class Stop {
  constructor(readonly offset: number) {}
}

/** Offset of the first character that makes `text` invalid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  const scanned = scan(text, 0);
  if ('stop' in scanned) return scanned.stop;
  return scanned.end < text.length ? scanned.end : -1;
}

/**
 * Offset just past the JSON value starting at `start` (trailing whitespace on
 * its line not included), or -1 when no complete value starts there.
 */
export function jsonValueEnd(text: string, start: number): number {
  const scanned = scan(text, start);
  return 'stop' in scanned ? -1 : scanned.valueEnd;
}

/** Recursive descent over one value and the whitespace after it; callers bound the depth first. */
function scan(text: string, start: number): { stop: number } | { valueEnd: number; end: number } {
  let i = start;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new Stop(i);
    i++;
  };
  const literal = (word: string) => {
    for (const c of word) expect(c);
  };
  const string = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) throw new Stop(i);
      i += text[i] === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) throw new Stop(i);
    i += match[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    const valueEnd = i;
    ws();
    return { valueEnd, end: i };
  } catch (error) {
    if (error instanceof Stop) return { stop: Math.min(error.offset, text.length) };
    throw error;
  }
}
