// A BOM, CRLF line ends or trailing garbage lines never silently drop a
// benchmark: every line-based format, on a real fixture, damaged each way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInput } from '../../src/formats/index.ts';
import { readFixture } from './helpers.ts';

const TEXT_FIXTURES: readonly { fixture: string; format: string }[] = [
  { fixture: 'bencher/criterion-0.8.txt', format: 'bencher' },
  { fixture: 'go/go-1.26-count3-benchmem.txt', format: 'go' },
  { fixture: 'benchmarkjs/benchmarkjs-2.1.4.txt', format: 'benchmarkjs' },
  { fixture: 'criterion-text/criterion-0.8-cargo-bench.txt', format: 'criterion-text' },
  { fixture: 'catch2/catch2-2.13.10-console.txt', format: 'catch2' },
];

function read(text: string) {
  const parsed = parseInput({ kind: 'file', path: 'out.txt', text });
  assert.ok(parsed.format !== 'results');
  return {
    format: parsed.format,
    figures: parsed.benchmarks.map((b) => [b.id, b.metric, b.estimates.median, b.samples?.length ?? 0]),
    warnings: parsed.warnings,
  };
}

for (const { fixture, format } of TEXT_FIXTURES) {
  test(`${format}: a BOM, CRLF line ends and trailing garbage lose no benchmark (${fixture})`, () => {
    const text = readFixture(fixture);
    const plain = read(text);
    assert.equal(plain.format, format);
    assert.ok(plain.figures.length > 0);
    const crlf = text.replace(/\r?\n/g, '\r\n');
    const variants: Record<string, string> = {
      bom: `\uFEFF${text}`,
      crlf,
      'bom+crlf': `\uFEFF${crlf}`,
      'no final newline': text.trimEnd(),
      'trailing garbage': `${text}\n\u0000\u0001garbage that is no result\n}}}\n   \n`,
      'garbage without newline before it': `${text.trimEnd()}\r\n#### junk`,
    };
    for (const [name, damaged] of Object.entries(variants)) {
      const got = read(damaged);
      assert.equal(got.format, format, name);
      assert.deepEqual(got.figures, plain.figures, name);
    }
  });
}

test('Catch2 XML: a BOM and CRLF line ends change nothing; trailing garbage is refused naming the file, never read short', () => {
  const xml = readFixture('catch2/catch2-2.13.10.xml');
  const plain = read(xml);
  assert.equal(plain.format, 'catch2');
  assert.deepEqual(read(`\uFEFF${xml.replace(/\r?\n/g, '\r\n')}`).figures, plain.figures);
  assert.throws(() => read(`${xml}\n<junk`), /^InputError: out\.txt: invalid XML/);
});

test('a text file of no known format is "unrecognized format", naming it and --format', () => {
  assert.throws(
    () => read('hello\nworld\n'),
    /^InputError: out\.txt: no benchmarks found: unrecognized format .*--input-format NAME \(the action: a results line NAME: PATH\)$/,
  );
});
