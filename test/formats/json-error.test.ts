import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorOffset, jsonValueEnd } from '../../src/formats/json-error.ts';

// Offsets the hand-written scanner reported before jsonc-parser did the scanning; the same texts give the same offsets.
const ERRORS: Array<[string, number]> = [
  ['{"a": 1,}', 8],
  ['[1, 2', 5],
  ['{"a": "x\u0001y"}', 8],
  ['{"a": NaN}', 6],
  ['[-Infinity]', 1],
  ['{"a": 01}', 7],
  ["{'a': 1}", 1],
  ['{"a": 1} // c', 9],
  ['{"a": 1}\nx', 9],
  ['', 0],
  ['   ', 3],
  ['{"a" 1}', 5],
  ['[1,,2]', 3],
  ['{"a": tru}', 9],
  ['"abc', 4],
  ['[1.]', 2],
  ['[1e]', 2],
  ['{"a": [1, 2}', 11],
  ['{"a":1}}', 7],
  ['[\u00a01]', 1],
  ['[1] [2]', 4],
  ['{"a":\n  {"b": [1, 2,\n  ]}}', 23],
  ['[+1]', 1],
  ['[.5]', 1],
];
const ENDS: Array<[string, number]> = [
  ['{"a": 1}\ntip', 8],
  ['log\n  [1, {"b": "}"}]  \nmore', 21],
  ['{"a": 1', -1],
  ['{"a": 1}} x', 8],
  ['[1,]\n', -1],
  ['"s"\nx', 3],
  ['42 rest', 2],
  ['{"a": [1, 2]}\n{"b": 2}', 13],
];

test('the first offset where a text stops being JSON: where a string, word or number goes wrong, or the token that cannot stand there', () => {
  for (const [text, offset] of ERRORS) assert.equal(jsonErrorOffset(text), offset, JSON.stringify(text));
  assert.equal(jsonErrorOffset('{"a": [1, {"b": null}]}'), -1);
});

test('a bad escape in a string is found at its backslash (the hand-written scanner let it through)', () => {
  assert.equal(jsonErrorOffset('{"a": "\\x"}'), 7);
  assert.equal(jsonErrorOffset('{"ok": "\\n\\u00e9", "bad": "a\\qb"}'), 28);
});

test('the end of the one JSON value at an offset, or -1 when none is complete there', () => {
  for (const [text, end] of ENDS)
    assert.equal(jsonValueEnd(text, /[[{"\d]/.exec(text)?.index ?? 0), end, JSON.stringify(text));
});
