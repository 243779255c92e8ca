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
    assert.deepEqual(counts.uncounted, [
      { id: 'g/custom', reason: 'iter_custom times its own loop' },
      { id: 'g/dies', reason: 'the bench binary died under Valgrind in it (valgrind was killed by SIGILL)' },
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
    assert.match(counts.uncounted[2]?.reason ?? '', /no Callgrind dump/);
    assert.match(counts.uncounted[3]?.reason ?? '', /stopped in it/);
  });

  it('a damaged manifest is an InputError naming the file and line', () => {
    assert.throws(() => readCriterionCounts('dir/manifest.jsonl', 'not json', new Map()), /manifest\.jsonl.*line 1/);
    assert.throws(() => readCriterionCounts('m', line({ event: 'counted', id: 'a' }), new Map()), /line 1/);
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
