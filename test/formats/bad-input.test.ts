// The pure side of bad input: byte-order marks and nesting depth, without the file system.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { MAX_JSON_DEPTH, parseJson, tooDeepAt } from '../../src/formats/common.ts';
import { parseInput, parseSource } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

test('a byte-order mark hides no benchmark from any adapter', () => {
  const bencher = readFixture('bencher/criterion-0.8.txt');
  const ids = parseSource({ kind: 'file', path: 'b.txt', text: bencher }).map((b) => b.id);
  assert.deepEqual(
    parseSource({ kind: 'file', path: 'b.txt', text: `\uFEFF${bencher}` }).map((b) => b.id),
    ids,
  );
  const ndjson = readFixture('cargo-criterion/criterion-0.8.ndjson');
  const ndIds = parseSource({ kind: 'file', path: 'c.json', text: ndjson }).map((b) => b.id);
  assert.deepEqual(
    parseSource({ kind: 'file', path: 'c.json', text: `\uFEFF${ndjson.replace(/\n/g, '\r\n')}` }).map((b) => b.id),
    ndIds,
  );
  assert.equal(
    parseSource({ kind: 'file', path: 'm.json', text: `\uFEFF${readFixture('mitata/mitata-1.0.34.json')}` }).length > 0,
    true,
  );
});

test('nesting is counted outside strings only, and refused past the limit with its position', () => {
  assert.equal(tooDeepAt('{"a": "[[[[[[[[[[", "b": [1, {"c": "\\"{{{{"}]}', 3), -1);
  assert.equal(tooDeepAt('[[[[', 3), 3);
  const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
  assert.equal(JSON.stringify(parseJson('f.json', ok)).length, ok.length);
  assert.throws(
    () => parseJson('f.json', `{\n  "a": ${'['.repeat(MAX_JSON_DEPTH)}`),
    (e: unknown) =>
      e instanceof InputError &&
      e.message === `f.json: JSON nested deeper than ${MAX_JSON_DEPTH} levels at line 2 column ${7 + MAX_JSON_DEPTH}`,
  );
});

const MITATA = readFixture('mitata/mitata-1.0.34.json');
const mitataIds = parseSource({ kind: 'file', path: 'm.json', text: MITATA }).map((b) => b.id);

test('a tool JSON document among plain text lines is read, with a note saying which lines were skipped', () => {
  // What a redirected `node bench.mjs > out.json` holds when the script also prints.
  const tips = `${MITATA.trimEnd()}\n\nTips:\n  wrap results in do_not_optimize()\n`;
  const after = parseInput({ kind: 'file', path: 'm.json', text: tips });
  assert.equal(after.format, 'mitata');
  assert.deepEqual(after.format === 'mitata' ? after.benchmarks.map((b) => b.id) : [], mitataIds);
  assert.deepEqual(after.notes, ['m.json: skipped 2 lines after the JSON, which is on line 1']);
  const before = parseInput({ kind: 'file', path: 'm.json', text: `clk: ~3.00 GHz\r\ncpu: AMD EPYC\r\n\r\n${MITATA}` });
  assert.deepEqual(before.notes, ['m.json: skipped 2 lines before the JSON, which is on line 4']);
  const pretty = `starting\n${JSON.stringify(JSON.parse(readFixture('tinybench/tinybench-6.2.5.json')), null, 2)}\ndone\n`;
  const tiny = parseInput({ kind: 'file', path: 't.json', text: pretty });
  assert.equal(tiny.format, 'tinybench');
  assert.match(
    tiny.notes?.[0] ?? '',
    /^t\.json: skipped 1 line before and 1 line after the JSON, which is on lines 2-\d+$/,
  );
  // A plain file has no notes.
  assert.equal(parseInput({ kind: 'file', path: 'm.json', text: MITATA }).notes, undefined);
});

test('extra text is refused, naming its line, where it could hide data or the format is not a tool output', () => {
  const refused = (text: string, message: string) =>
    assert.throws(
      () => parseInput({ kind: 'file', path: 'x.json', text }),
      (e: unknown) => e instanceof InputError && e.message === `x.json: ${message}`,
    );
  // Our own results file: extra text means a damaged file.
  refused(
    `${readFixture('results/criterion-0.8-run-a.json').trimEnd()}\ngarbage\n`,
    `extra text after the JSON at line ${readFixture('results/criterion-0.8-run-a.json').trimEnd().split('\n').length + 1}`,
  );
  // A second document would be silently dropped.
  refused(`${MITATA.trimEnd()}\n${MITATA}`, 'extra text after the JSON at line 2');
  // Text on the document's last line.
  refused(`${MITATA.trimEnd()} and more\n`, 'extra text after the JSON at line 1');
  // JSON of no known format.
  refused('{"rows": []}\nTips: none\n', 'extra text after the JSON at line 2');
  refused('log line\n{"rows": []}\n', 'extra text before the JSON at line 1');
});
