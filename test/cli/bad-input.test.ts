// Hostile and unlucky files through the real CLI: each is one line on stderr and exit 2, never a crash.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_CONFIG_BYTES, MAX_INPUT_BYTES } from '../../src/files/read.ts';
import type { RunJsonReport } from '../../src/report/index.ts';
import type { Results } from '../../src/schema/types.ts';
import { cli, type Outcome } from '../support/cli.ts';

const RESULTS_A = 'fixtures/results/criterion-0.8-run-a.json';
const BENCHER = 'fixtures/bencher/criterion-0.8.txt';
const DEEP = 20_000;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bench-bad-input-'));
}

function write(name: string, text: string): string {
  const path = join(scratch(), name);
  writeFileSync(path, text);
  return path;
}

/** Exit 2 and exactly one line on stderr, naming `file` and matching `detail`. */
function refused(outcome: Outcome, file: string, detail: RegExp): void {
  assert.equal(outcome.status, 2, outcome.stderr);
  const lines = outcome.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `one line expected:\n${outcome.stderr}`);
  assert.ok(lines[0]?.startsWith(`bench-action: ${file}: `), lines[0]);
  assert.match(lines[0] ?? '', detail);
}

const resultsA = (): Results => JSON.parse(readFileSync(RESULTS_A, 'utf8')) as Results;

test(`JSON nested ${DEEP} deep is refused with its line and column, in results, claims and thresholds files`, () => {
  // Unclosed brackets: the error path used to rescan recursively and overflow the stack.
  const truncated = '['.repeat(DEEP);
  const results = write('deep.json', truncated);
  refused(cli('parse', results), results, /JSON nested deeper than 100 levels at line 1 column 101$/);
  const claims = write('claims.json', `{"claims": ${truncated}`);
  refused(cli('report', RESULTS_A, '--claims', claims), claims, /nested deeper than 100 levels at line 1 column 111$/);
  const thresholds = write('thresholds.json', `{\n"overrides": ${truncated}`);
  refused(
    cli('compare', RESULTS_A, RESULTS_A, '--thresholds-file', thresholds),
    thresholds,
    /nested deeper than 100 levels at line 2 column 113$/,
  );
  // Closed and otherwise valid, it is refused the same way before anything walks it.
  const closed = write('closed.json', `{"schemaVersion": 1, "run": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`);
  refused(cli('compare', closed, RESULTS_A), closed, /nested deeper than 100 levels/);
});

test('a results file over the size limit is refused before it is read, and so are big claims files', () => {
  // Sparse files: the size is there without the disk space.
  const big = join(scratch(), 'big.json');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, MAX_INPUT_BYTES + 1);
  closeSync(fd);
  const outcome = cli('parse', big);
  refused(
    outcome,
    big,
    /the file is 64 MiB \(67108865 bytes\), over the 64 MiB limit for this file \(docs\/formats\.md#limits\); refusing to read it$/,
  );
  const claims = join(scratch(), 'claims.json');
  writeFileSync(claims, `{"claims": []}${' '.repeat(MAX_CONFIG_BYTES)}`);
  refused(cli('report', RESULTS_A, '--claims', claims), claims, /over the 1 MiB limit/);
});

test('a directory where a file belongs is one line and exit 2', () => {
  const dir = scratch();
  const report = join(dir, 'report.json');
  mkdirSync(join(report, 'inside'), { recursive: true });
  refused(
    cli('compare', RESULTS_A, RESULTS_A, '--format', 'json', '-o', report),
    report,
    /cannot write: is a directory, not a file$/,
  );
  refused(cli('report', RESULTS_A, '--claims', report), report, /is a directory, not a file$/);
  refused(cli('compare', RESULTS_A, RESULTS_A, '--thresholds-file', report), report, /is a directory, not a file$/);
});

test('a results file naming one benchmark twice is refused, naming the id', () => {
  const results = resultsA();
  const [first] = results.benchmarks;
  assert.ok(first);
  results.benchmarks.push({ ...first, estimates: { ...first.estimates, median: first.estimates.median * 2 } });
  const path = write('dup.json', JSON.stringify(results));
  refused(
    cli('compare', RESULTS_A, path),
    path,
    new RegExp(`at /benchmarks/${results.benchmarks.length - 1}: benchmark '${first.id}' repeats /benchmarks/0;`),
  );
});

test('a byte-order mark and CRLF line ends lose no benchmark', () => {
  const text = readFileSync(BENCHER, 'utf8');
  const plain = JSON.parse(cli('parse', BENCHER).stdout) as Results;
  assert.ok(plain.benchmarks.length > 1);
  for (const [name, variant] of [
    ['bom.txt', `\uFEFF${text}`],
    ['bom-crlf.txt', `\uFEFF${text.replace(/\n/g, '\r\n')}`],
  ] as const) {
    const outcome = cli('parse', write(name, variant));
    assert.equal(outcome.status, 0, outcome.stderr);
    assert.deepEqual(
      (JSON.parse(outcome.stdout) as Results).benchmarks.map((b) => b.id),
      plain.benchmarks.map((b) => b.id),
      name,
    );
  }
  // A results file and a claims file saved with a BOM (PowerShell's `>` writes one) read as they are.
  const results = write('bom.json', `\uFEFF${readFileSync(RESULTS_A, 'utf8').replace(/\n/g, '\r\n')}`);
  const claims = write('claims.json', '\uFEFF{"claims": []}');
  const outcome = cli('report', results, '--claims', claims, '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.equal((JSON.parse(outcome.stdout) as RunJsonReport).benchmarks.length, resultsA().benchmarks.length);
});

test('an error quoting a property name with a newline stays one line: no workflow command can start', () => {
  const results = resultsA() as unknown as Record<string, unknown>;
  results['x\n::error::pwned\u001b[31m'] = 1;
  const path = write('newline.json', JSON.stringify(results));
  const outcome = cli('compare', path, RESULTS_A);
  refused(outcome, path, /unknown property|must NOT have additional properties 'x\\n::error::pwned\\u001b\[31m'$/);
  assert.ok(!outcome.stderr.split('\n').some((line) => line.startsWith('::')), outcome.stderr);
});

test("mitata's JSON followed by its tips is read, the note on stderr and the results on stdout", () => {
  const path = write(
    'mitata.out',
    `${readFileSync('fixtures/mitata/mitata-1.0.34.json', 'utf8').trimEnd()}\n\nTips:\n  use do_not_optimize()\n`,
  );
  const outcome = cli('parse', path);
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.ok((JSON.parse(outcome.stdout) as Results).benchmarks.length > 0);
  assert.equal(outcome.stderr, `bench-action: note: ${path}: skipped 2 lines after the JSON, which is on line 1\n`);
  const trailing = write('results.json', `${readFileSync(RESULTS_A, 'utf8').trimEnd()}\n# copied from the log\n`);
  refused(cli('report', trailing), trailing, /extra text after the JSON at line \d+$/);
});

test('a command that reads one file or directory says how many it got, in one line with exit 64', () => {
  const cases: [string[], string][] = [
    [['report'], 'bench-action report: expected one results file, got 0'],
    [['history', 'a', 'b'], 'bench-action history: expected one baseline or history directory, got 2'],
    [['dashboard'], 'bench-action dashboard: expected one baseline or history directory, got 0'],
    [['shard', '--plan', '1/2', 'a', 'b'], 'bench-action shard: expected one baseline results file, got 2'],
  ];
  for (const [args, message] of cases) {
    const outcome = cli(...args);
    assert.equal(outcome.status, 64, outcome.stderr);
    assert.equal(outcome.stderr, `${message} (see 'bench-action ${args[0] ?? ''} --help').\n`);
  }
});
