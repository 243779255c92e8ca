/**
 * The confirmation round's filters and flags across Criterion versions (pure
 * parts; test/run/confirm-criterion.test.ts runs them on real Criterion).
 * Criterion 0.1.0-0.3.0 match the command-line filter as a substring of the id,
 * 0.3.1 on as a regular expression: the round's anchored `^(id)$` measured
 * nothing on the former, silently.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundPlan, type CriterionSetup } from '../../src/run/cargo.ts';
import type { BenchBinary } from '../../src/run/bench-binaries.ts';
import {
  affordableRuns,
  filteredBenchArgs,
  filterMatch,
  roundFilter,
  roundInvocations,
  roundShape,
  runWeight,
  safeFilter,
} from '../../src/run/confirm-args.ts';
import { notProduced } from '../../src/run/confirm.ts';

const setup = (...versions: string[]): CriterionSetup => ({ versions, settings: [], notes: [] });

describe("the round's filter, by how the locked Criterion reads it", () => {
  it('is a substring on Criterion 0.1.0-0.3.0 and a regular expression from 0.3.1', () => {
    for (const version of ['0.1.2', '0.2.0', '0.2.11', '0.3.0']) assert.equal(filterMatch([version]), 'substring');
    for (const version of ['0.3.1', '0.3.6', '0.4.0', '0.5.1', '0.8.2']) assert.equal(filterMatch([version]), 'regex');
    // A bench that may link either of two versions (its package's own not known): the safe shape.
    assert.equal(filterMatch(['0.5.1', '0.2.11']), 'either');
    // No Cargo.lock: unknown; the regex, as before (a round that then measures nothing says so).
    assert.equal(filterMatch(null), 'regex');
  });

  it('runs each id on its own with the id itself as the filter, beside the user arguments it keeps', () => {
    assert.deepEqual(roundInvocations(['a/1', 'a/10'], 'together'), [['a/1', 'a/10']]);
    assert.deepEqual(roundInvocations(['a/1', 'a/10'], 'apart'), [['a/1'], ['a/10']]);
    assert.equal(roundFilter(['f64[e]/ryu'], 'substring'), 'f64[e]/ryu');
    assert.equal(roundFilter(['f64[e]/ryu'], 'regex'), '^(f64\\[e\\]/ryu)$');
    assert.throws(() => roundFilter(['a', 'b'], 'substring'), /names one id/);
    // The user's filter (`-- parse`) still goes: Criterion takes one positional; the id is the round's.
    assert.deepEqual(
      filteredBenchArgs(
        ['-p', 'x', '--', 'parse', '--noplot'],
        [['--sample-size', '10']],
        ['parse/12'],
        null,
        'substring',
      ),
      ['bench', '--bench', '*', '-p', 'x', '--', '--sample-size', '10', '--noplot', 'parse/12'],
    );
  });
});

const bench = (target: string, criterion?: string[]): BenchBinary => ({
  target,
  executable: `/t/release/deps/${target}-1`,
  packageDir: '/w',
  ...(criterion ? { criterion } : {}),
});

/** Rust's regex crate and JavaScript's agree on the syntax these ids use (classes, groups, quantifiers). */
const matchesAsRegex = (filter: string, id: string) => new RegExp(filter).test(id);

describe("each bench's filter follows its own Criterion, in a lock with an old and a new one", () => {
  const id = 'f64[e]/ryu';
  const side = { base: [bench('legacy', ['0.2.11']), bench('parse', ['0.5.1'])], head: [bench('parse', ['0.5.1'])] };
  const locked = { base: ['0.2.11', '0.5.1'], head: ['0.2.11', '0.5.1'] };

  it("gives a new Criterion's bench the exact regex and an old one's the id itself", () => {
    const shape = roundShape(side, locked);
    const [legacy, parse] = side.base as [BenchBinary, BenchBinary];
    // Before: one kind for the whole side (substring, since 0.2.11 is locked): the bare id went to the 0.5.1 bench,
    // which read `f64[e]/ryu` as a regex matching `f64e/ryu`, not the id; `fmt(u64` made it panic.
    const forParse = roundFilter([id], shape.match('base', parse));
    assert.ok(matchesAsRegex(forParse, id), forParse);
    assert.ok(!matchesAsRegex(forParse, 'f64e/ryu'), 'the id as text, not as a class');
    // One run per id on this pair (the legacy bench reads a substring): it runs what the legacy bench's filter runs.
    assert.ok(matchesAsRegex(forParse, `${id}2`));
    assert.equal(roundFilter([id], shape.match('base', legacy)), id);
    assert.equal(shape.kinds.base.length, 2);
  });

  it('gives a bench whose own Criterion is not known the safe shape, which both kinds match to the id', () => {
    const shape = roundShape({ base: [bench('parse')], head: [bench('parse')] }, locked);
    assert.equal(shape.match('base', bench('parse')), 'either');
    assert.ok(
      shape.notes.some((note) => /safe shape/.test(note)),
      shape.notes.join('\n'),
    );
    for (const hard of [id, 'fmt(u64', 'a+b/x?', 'vec{1}^$|\\d', 'plain/id']) {
      const filter = roundFilter([hard], 'either');
      assert.ok(hard.includes(filter), `substring ${filter} of ${hard}`);
      assert.ok(matchesAsRegex(filter, hard), `regex ${filter} of ${hard}`);
    }
    assert.equal(safeFilter(id), '/ryu');
    assert.equal(safeFilter('plain/id'), 'plain/id');
  });
});

describe('one pair runs its two sides in one shape', () => {
  it('runs one id per run on both sides when either side has a substring Criterion (a 0.3.0 -> 0.3.6 upgrade)', () => {
    const shape = roundShape(
      { base: [bench('parse', ['0.3.0'])], head: [bench('parse', ['0.3.6'])] },
      {
        base: ['0.3.0'],
        head: ['0.3.6'],
      },
    );
    // Before: the base ran each id in its own process and the head all in one, a difference the pair measured.
    assert.equal(shape.grouping, 'apart');
    assert.deepEqual(roundInvocations(['a/1', 'a/10'], shape.grouping), [['a/1'], ['a/10']]);
    // Each side keeps its own filter text: the id on 0.3.0, the exact regex on 0.3.6.
    assert.equal(roundFilter(['a/1'], shape.match('base', bench('parse', ['0.3.0']))), 'a/1');
    // The head's regex reader gets the escaped id unanchored: it runs the ids containing a/1, as the base does (before,
    // `^(a/1)$` ran a/1 alone on the head while the base's `a/1` ran a/10 and b_a/1 beside it).
    const listed = ['a/1', 'a/10', 'b_a/1', 'c/2', 'x+y(1)', 'x+y(1)/2'];
    for (const id of ['a/1', 'x+y(1)']) {
      const head = roundFilter([id], shape.match('head', bench('parse', ['0.3.6'])));
      const base = roundFilter([id], shape.match('base', bench('parse', ['0.3.0'])));
      assert.deepEqual(
        listed.filter((other) => new RegExp(head).test(other)),
        listed.filter((other) => other.includes(base)),
        id,
      );
    }
    const both = roundShape(
      { base: [bench('parse', ['0.5.1'])], head: [bench('parse', ['0.3.6'])] },
      {
        base: ['0.5.1'],
        head: ['0.3.6'],
      },
    );
    assert.equal(both.grouping, 'together');
  });
});

describe('what a run costs on a substring Criterion', () => {
  // The head's ids: `parse` is contained in 20 others (the user's filter may have meant to keep them out of a round).
  const known = ['parse', ...Array.from({ length: 20 }, (_, i) => `parse_huge_file/${i}`), 'fmt/1', 'fmt/2'];

  it('prices the run for an id by the known ids its filter runs as well', () => {
    assert.equal(runWeight('parse', known, ['substring']), 21);
    assert.equal(runWeight('parse', known, ['regex']), 1);
    assert.equal(runWeight('fmt/1', known, ['substring', 'regex']), 1);
    // The safe shape of `fmt(u64)` is `fmt`: it runs fmt/1 and fmt/2 too.
    assert.equal(runWeight('fmt(u64)', known, ['either']), 3);
  });

  it('affords fewer runs in one budget when a candidate runs 20 other benchmarks than when each runs itself', () => {
    // Before, the budget priced every candidate alike (the last pair's seconds per candidate): a pair of `parse`
    // and cheap ids overshot the budget by the 20 containing ids run beside `parse`.
    const heavy = ['parse', 'fmt/1', 'fmt/2'].map((id) => runWeight(id, known, ['substring']));
    const light = ['fmt/1', 'fmt/2', 'parse_huge_file/3'].map((id) => runWeight(id, known, ['substring']));
    assert.ok(affordableRuns(heavy, 10) < affordableRuns(light, 10));
    assert.equal(affordableRuns(heavy, 10), 0);
    assert.equal(affordableRuns(light, 10), 3);
    assert.equal(affordableRuns([1, 1, 1, 1], 2.5), 2, 'as floor(left / per candidate) when each runs itself');
  });
});

describe("the round's flags when the pull request changes the locked Criterion", () => {
  it('passes one set both sides take', () => {
    // Before, the head on 0.5.1 got 0.2 s / 0.5 s and the base on 0.3.6 whole seconds: two settings in one pair.
    const upgraded = roundPlan(setup('0.3.6'), setup('0.5.1'));
    assert.deepEqual(upgraded.flags, [
      ['--warm-up-time', '1'],
      ['--measurement-time', '1'],
      ['--sample-size', '10'],
      ['--nresamples', '1000'],
      ['--noplot'],
    ]);
    // Criterion 0.2 takes --noplot and none of the others: clap would refuse them on the base.
    assert.deepEqual(roundPlan(setup('0.2.11'), setup('0.5.1')).flags, [['--noplot']]);
    assert.deepEqual(roundPlan(setup('0.5.1'), setup('0.5.1')).flags, [
      ['--warm-up-time', '0.2'],
      ['--measurement-time', '0.5'],
      ['--sample-size', '10'],
      ['--nresamples', '1000'],
      ['--noplot'],
    ]);
    // A side whose version is unknown (no Cargo.lock): no flags either side.
    const unknown = roundPlan({ versions: null, settings: [], notes: ['no Cargo.lock'] }, setup('0.5.1'));
    assert.deepEqual(unknown.flags, []);
    assert.deepEqual(unknown.notes, ['no Cargo.lock']);
  });

  it("leaves out a time either side's bench code sets shorter", () => {
    const base: CriterionSetup = {
      versions: ['0.5.1'],
      settings: [{ setting: 'warm_up_time', file: 'benches/parse.rs', seconds: 0.1 }],
      notes: [],
    };
    assert.ok(!roundPlan(base, setup('0.5.1')).flags.some(([flag]) => flag === '--warm-up-time'));
  });
});

describe('what happened to a benchmark a run did not produce', () => {
  it('names the side, or both, and the filter', () => {
    assert.match(notProduced(true, true, 'x'), /^was measured on neither the base nor the head: the filter \(x\)/);
    assert.match(notProduced(true, false, null), /^was not measured on the base \(it was on the head\)/);
    assert.match(notProduced(false, true, null), /^was not measured on the head \(it was on the base\)/);
  });
});
