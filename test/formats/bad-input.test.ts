// The pure side of bad input: byte-order marks and nesting depth, without the file system.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { MAX_JSON_DEPTH, parseJson, tooDeepAt } from '../../src/formats/common.ts';
import { parseSource } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

test('a byte-order mark hides no benchmark from any adapter', () => {
  const bencher = readFixture('bencher/criterion-0.8.txt');
  const ids = parseSource({ kind: 'file', path: 'b.txt', text: bencher }).map((b) => b.id);
  assert.deepEqual(parseSource({ kind: 'file', path: 'b.txt', text: `\uFEFF${bencher}` }).map((b) => b.id), ids);
  const ndjson = readFixture('cargo-criterion/criterion-0.8.ndjson');
  const ndIds = parseSource({ kind: 'file', path: 'c.json', text: ndjson }).map((b) => b.id);
  assert.deepEqual(parseSource({ kind: 'file', path: 'c.json', text: `\uFEFF${ndjson.replace(/\n/g, '\r\n')}` }).map((b) => b.id), ndIds);
  assert.equal(parseSource({ kind: 'file', path: 'm.json', text: `\uFEFF${readFixture('mitata/mitata-1.0.34.json')}` }).length > 0, true);
});

test('nesting is counted outside strings only, and refused past the limit with its position', () => {
  assert.equal(tooDeepAt('{"a": "[[[[[[[[[[", "b": [1, {"c": "\\"{{{{"}]}', 3), -1);
  assert.equal(tooDeepAt('[[[[', 3), 3);
  const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
  assert.equal(JSON.stringify(parseJson('f.json', ok)).length, ok.length);
  assert.throws(
    () => parseJson('f.json', `{\n  "a": ${'['.repeat(MAX_JSON_DEPTH)}`),
    (e: unknown) => e instanceof InputError && e.message === `f.json: JSON nested deeper than ${MAX_JSON_DEPTH} levels at line 2 column ${7 + MAX_JSON_DEPTH}`,
  );
});
