import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { detectFormat, parseGungraunText, parseInput } from '../../src/formats/index.ts';
import { loadResults } from '../../src/files/load.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';

const RUN_A = 'fixtures/gungraun/cache-run-a';
const RUN_B = 'fixtures/gungraun/cache-run-b';

/** The counts gungraun printed for run a (fixtures/gungraun/cache-run-a.txt), read by hand. */
const PRINTED_A: Record<string, number> = {
  'cache_instructions/cache_get_warm/sark_cache.hit': 304,
  'cache_instructions/cache_get_miss/sark_cache.miss': 255,
  'cache_instructions/cache_set/sark_cache.new_key': 548,
  'cache_instructions/cache_set_overwrite/sark_cache.resident': 358,
  'cache_instructions/cache_delete/sark_cache.resident': 463,
  'cache_instructions/cache_eviction/sark_cache.at_capacity': 499,
  'cache_instructions/cache_scaling_get/sark_cache.entries_100k': 304,
};

test('a target/gungraun directory of summary.json files parses to instruction counts per benchmark', async () => {
  const results = await loadResults(RUN_A, runMetaOnce());
  const counts = Object.fromEntries(results.benchmarks.map((b) => [b.id, b.estimates.median]));
  assert.deepEqual(counts, PRINTED_A);
  for (const b of results.benchmarks) {
    assert.equal(b.metric, 'instructions');
    assert.equal(b.unit, 'instructions');
    assert.equal(b.source, 'gungraun');
    assert.equal(b.samples, null);
  }
});

test('a second run (whose summaries also carry the first as "old") reads this run\'s counts', async () => {
  const results = await loadResults(RUN_B, runMetaOnce());
  assert.deepEqual(Object.fromEntries(results.benchmarks.map((b) => [b.id, b.estimates.median])), PRINTED_A);
});

test('gungraun terminal output gives the same ids and counts as its summaries', () => {
  for (const file of ['fixtures/gungraun/cache-run-a.txt', 'fixtures/gungraun/cache-run-b.txt']) {
    const text = readFileSync(file, 'utf8');
    assert.equal(detectFormat({ kind: 'file', path: file, text }), 'gungraun-text');
    assert.deepEqual(
      Object.fromEntries(parseGungraunText(file, text).map((b) => [b.id, b.estimates.median])),
      PRINTED_A,
    );
  }
});

test('one summary.json file is detected and read on its own', () => {
  const path = `${RUN_A}/sark-cache/cache_instructions/cache_delete/sark_cache.resident/summary.json`;
  const parsed = parseInput({ kind: 'file', path, text: readFileSync(path, 'utf8') });
  assert.equal(parsed.format, 'gungraun');
  assert.ok('benchmarks' in parsed);
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.estimates.median]),
    [['cache_instructions/cache_delete/sark_cache.resident', 463]],
  );
});

test('a zero count (runner and library versions differ) is refused with the fix', () => {
  const path = 'fixtures/broken/gungraun-zero-count.json';
  assert.throws(
    () => parseInput({ kind: 'file', path, text: readFileSync(path, 'utf8') }),
    (e: unknown) =>
      e instanceof InputError &&
      /counted 0 instructions: gungraun-runner's version probably differs/.test(e.message) &&
      e.file === path,
  );
});

test('colour codes in terminal output are ignored', () => {
  const text =
    '\u001b[1;32mbench::group::f\u001b[0m \u001b[36mone\u001b[0m:(1)\n  Instructions:     \u001b[1m1200\u001b[0m|1100   (+9.09%)\n';
  assert.deepEqual(
    parseGungraunText('log.txt', text).map((b) => [b.id, b.estimates.median]),
    [['bench/group/f.one', 1200]],
  );
});

/** The Ir counts in fixtures/gungraun/cache-output-format-json.ndjson (one summary per line), read by hand. */
const STREAMED: Record<string, number> = {
  'cache_instructions/cache_get_warm/sark_cache.hit': 1652,
  'cache_instructions/cache_get_miss/sark_cache.miss': 1616,
  'cache_instructions/cache_set/sark_cache.new_key': 627,
  'cache_instructions/cache_set_overwrite/sark_cache.resident': 398,
  'cache_instructions/cache_delete/sark_cache.resident': 505,
  'cache_instructions/cache_eviction/sark_cache.at_capacity': 992,
  'cache_instructions/cache_scaling_get/sark_cache.entries_100k': 1661,
};
const STREAM = 'fixtures/gungraun/cache-output-format-json.ndjson';

test("gungraun's --output-format=json (one summary per line, a real run) is detected and read, with the directory's ids", async () => {
  const text = readFileSync(STREAM, 'utf8');
  assert.equal(text.trim().split('\n').length, 7);
  assert.equal(detectFormat({ kind: 'file', path: STREAM, text }), 'gungraun');
  const results = await loadResults(STREAM, runMetaOnce());
  assert.deepEqual(Object.fromEntries(results.benchmarks.map((b) => [b.id, b.estimates.median])), STREAMED);
  assert.deepEqual(
    results.benchmarks.map((b) => b.id).sort(),
    Object.keys(PRINTED_A).sort(),
    'the same ids as target/gungraun, so either can be compared with the other',
  );
  assert.ok(results.benchmarks.every((b) => b.metric === 'instructions' && b.source === 'gungraun'));
});

test('a gungraun stream with cargo lines captured too leaves them out with a warning; a broken JSON line names its line', () => {
  const text = readFileSync(STREAM, 'utf8');
  const mixed = `${text.split('\n')[0]}\n     Running benches/cache_instructions.rs (target/release/deps/x)\n${text.split('\n').slice(1).join('\n')}`;
  const parsed = parseInput({ kind: 'file', path: 'g.json', text: mixed });
  assert.equal(parsed.format, 'gungraun');
  assert.equal(parsed.format === 'gungraun' ? parsed.benchmarks.length : 0, 7);
  assert.deepEqual(parsed.warnings, ['g.json: 1 line(s) that are not JSON left out (first: line 2)']);
  const broken = `${text.split('\n')[0]}\n{"module_path": \n`;
  assert.throws(
    () => parseInput({ kind: 'file', path: 'g.json', text: broken }),
    (e: unknown) => e instanceof InputError && /^g\.json:2: /.test(e.message),
  );
});
