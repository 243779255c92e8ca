import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseCallgrindDump,
  parseCriterionCountsDir,
  readCriterionCounts,
} from '../../src/formats/criterion-callgrind.ts';
import { InputError } from '../../src/common/errors.ts';

/** The header of a dump as Callgrind 3.19 writes it for DUMP_STATS_AT. */
const dump = (tag: string, total: number) =>
  `# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 1\ncmd:  bench --bench\npart: 1\n\n\ndesc: I1 cache: \ndesc: Timerange: Basic block 0 - 154213\ndesc: Trigger: Client Request: ${tag}\n\npositions: line\nevents: Ir\nsummary: ${total}\n\n\nob=(1) /lib/ld.so\n0 ${total}\n\ntotals: ${total}\n`;

const line = (doc: object) => JSON.stringify(doc);

describe('Criterion counts from the harness under Callgrind', () => {
  it('reads a dump header: its tag and its total', () => {
    assert.deepEqual(parseCallgrindDump('d', dump('bench-action:3', 2500)), { tag: 'bench-action:3', total: 2500 });
    assert.throws(() => parseCallgrindDump('d', 'events: Ir\n'), InputError);
  });

  it("counts per call under Criterion's id; reasons for the benchmarks without a count", () => {
    const manifest = [
      line({ event: 'start', id: 'f64[0]/ryu' }),
      line({ event: 'counted', id: 'f64[0]/ryu', dump: 'bench-action:1', iterations: 5, valgrind: true }),
      line({ event: 'start', id: 'g/custom' }),
      line({ event: 'skipped', id: 'g/custom', reason: 'iter_custom times its own loop' }),
      line({ event: 'start', id: 'g/dies' }),
      line({ event: 'exit', detail: 'valgrind was killed by SIGILL' }),
    ].join('\n');
    const counts = readCriterionCounts('m', manifest, new Map([['bench-action:1', 280]]));
    assert.deepEqual(
      counts.benchmarks.map((b) => [b.id, b.metric, b.estimates.median, b.source, b.group, b.function]),
      [['f64[0]/ryu', 'instructions', 56, 'criterion-callgrind', 'f64[0]', 'ryu']],
    );
    assert.deepEqual(counts.problems, []);
    assert.deepEqual(counts.uncounted, [
      { id: 'g/custom', reason: 'iter_custom times its own loop' },
      { id: 'g/dies', reason: 'the bench binary died under Valgrind in it (valgrind was killed by SIGILL)' },
    ]);
  });

  it('a bench binary that dies outside any benchmark keeps its cause, one line naming the bench', () => {
    const manifest = [
      line({ event: 'start', id: 'a' }),
      line({ event: 'counted', id: 'a', dump: 'bench-action:1', iterations: 5, valgrind: true }),
      line({ event: 'exit', bench: 'p --bench parse', detail: 'exited with 101; last stderr line: no input file' }),
    ].join('\n');
    const counts = readCriterionCounts('m', manifest, new Map([['bench-action:1', 500]]));
    assert.deepEqual(
      counts.benchmarks.map((b) => b.id),
      ['a'],
    );
    assert.deepEqual(counts.uncounted, []);
    assert.deepEqual(counts.lost, [
      {
        bench: 'p --bench parse',
        reason: 'died under Valgrind outside any benchmark (exited with 101; last stderr line: no input file)',
      },
    ]);
  });

  it('a bench binary stopped at a time limit is said to be stopped, not to have died', () => {
    const manifest = [
      line({ event: 'start', id: 'slow' }),
      line({
        event: 'exit',
        bench: 'p --bench slow',
        detail: 'stopped at the 600 s limit per bench binary',
        stopped: true,
      }),
    ].join('\n');
    const counts = readCriterionCounts('m', manifest, new Map());
    assert.deepEqual(counts.uncounted, [
      {
        id: 'slow',
        reason: 'the bench binary was stopped under Valgrind in it (stopped at the 600 s limit per bench binary)',
      },
    ]);
    assert.deepEqual(counts.lost, [
      {
        bench: 'p --bench slow',
        reason: 'was stopped under Valgrind in slow (stopped at the 600 s limit per bench binary)',
        in: 'slow',
      },
    ]);
  });

  it('a count outside Valgrind, a zero count or a missing dump is no count, with why', () => {
    const manifest = [
      line({ event: 'counted', id: 'a', dump: 'bench-action:1', iterations: 5, valgrind: false }),
      line({ event: 'counted', id: 'b', dump: 'bench-action:2', iterations: 5, valgrind: true }),
      line({ event: 'counted', id: 'c', dump: 'bench-action:3', iterations: 5, valgrind: true }),
      line({ event: 'start', id: 'd' }),
    ].join('\n');
    const counts = readCriterionCounts('m', manifest, new Map([['bench-action:2', 0]]));
    assert.equal(counts.benchmarks.length, 0);
    assert.deepEqual(
      counts.uncounted.map((u) => u.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.match(counts.uncounted[0]?.reason ?? '', /did not run under Valgrind/);
    assert.match(counts.uncounted[1]?.reason ?? '', /0 instructions/);
    assert.match(counts.uncounted[2]?.reason ?? '', /no readable Callgrind dump/);
    assert.match(counts.uncounted[3]?.reason ?? '', /stopped in it/);
  });

  it('a damaged manifest line loses only the benchmark it concerns, named with the file and line', () => {
    const manifest = [
      line({ event: 'start', id: 'a' }),
      'not json',
      line({ event: 'start', id: 'b' }),
      line({ event: 'counted', id: 'b', dump: 'bench-action:2', iterations: 5, valgrind: true }),
      line({ event: 'counted', id: 'c' }),
    ].join('\n');
    const counts = readCriterionCounts('dir/manifest.jsonl', manifest, new Map([['bench-action:2', 500]]));
    assert.deepEqual(
      counts.benchmarks.map((b) => [b.id, b.estimates.median]),
      [['b', 100]],
    );
    assert.deepEqual(counts.uncounted, [{ id: 'a', reason: 'its manifest line 2 could not be read' }]);
    assert.equal(counts.problems.length, 2);
    assert.match(counts.problems[0] ?? '', /dir\/manifest\.jsonl: line 2/);
    assert.match(counts.problems[1] ?? '', /line 5/);
  });

  it('a damaged dump loses only its own benchmark; the other benches keep theirs', () => {
    const files = new Map([
      [
        'p.a/manifest.jsonl',
        [
          line({ event: 'counted', id: 'x', dump: 'bench-action:1', iterations: 1, valgrind: true }),
          line({ event: 'counted', id: 'y', dump: 'bench-action:2', iterations: 1, valgrind: true }),
        ].join('\n'),
      ],
      ['p.a/callgrind.out.1', 'garbage'],
      ['p.a/callgrind.out.2', dump('bench-action:2', 70)],
      ['p.b/manifest.jsonl', '{"event":"counted"'],
      [
        'p.c/manifest.jsonl',
        line({ event: 'counted', id: 'z', dump: 'bench-action:1', iterations: 2, valgrind: true }),
      ],
      ['p.c/callgrind.out.1', dump('bench-action:1', 90)],
    ]);
    const counts = parseCriterionCountsDir('home', files);
    assert.deepEqual(
      counts.benchmarks.map((b) => [b.id, b.estimates.median]),
      [
        ['y', 70],
        ['z', 45],
      ],
    );
    assert.deepEqual(counts.uncounted, [{ id: 'x', reason: "no readable Callgrind dump 'bench-action:1'" }]);
    assert.deepEqual(
      counts.problems.map((p) => p.split(':')[0]),
      ['home/p.a/callgrind.out.1', 'home/p.b/manifest.jsonl'],
    );
  });

  it('a directory: one subdirectory per bench binary, dumps matched by tag within it', () => {
    const files = new Map([
      [
        'p.a/manifest.jsonl',
        line({ event: 'counted', id: 'x', dump: 'bench-action:1', iterations: 2, valgrind: true }),
      ],
      ['p.a/callgrind.out.1', dump('bench-action:1', 100)],
      ['p.a/callgrind.out', 'events: Ir\nsummary: 0\n'],
      [
        'p.b/manifest.jsonl',
        line({ event: 'counted', id: 'y', dump: 'bench-action:1', iterations: 4, valgrind: true }),
      ],
      ['p.b/callgrind.out.1', dump('bench-action:1', 1000)],
    ]);
    assert.deepEqual(
      parseCriterionCountsDir('home', files).benchmarks.map((b) => [b.id, b.estimates.median]),
      [
        ['x', 50],
        ['y', 250],
      ],
    );
  });
});
