import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { mergeShards } from '../../src/shard/merge.ts';
import { durationsFrom, planShards } from '../../src/shard/plan.ts';
import type { NamedResults } from '../../src/schema/merge.ts';
import { SCHEMA_VERSION, type Results } from '../../src/schema/types.ts';
import { formatIssues, validateResults } from '../../src/schema/validate.ts';
import { cli } from '../support/cli.ts';

const FIXTURE = 'fixtures/results/criterion-0.8-run-a.json';

function whole(): Results {
  const outcome = validateResults(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  assert.ok(outcome.ok);
  return outcome.value;
}

/** The fixture cut the way `count` shards would run it, each part stamped as its shard on its own runner. */
function split(results: Results, count: number): NamedResults[] {
  const plan = planShards(
    results.benchmarks.map((b) => b.id),
    durationsFrom(results.benchmarks),
    count,
  );
  return plan.shards.map((shard) => ({
    origin: `shard-${shard.index}.json`,
    results: {
      ...results,
      run: {
        ...results.run,
        shard: { index: shard.index, count },
        runner: {
          ...(results.run.runner ?? { os: 'linux', arch: 'x64', cpuModel: 'x', cores: 2 }),
          name: `runner-${shard.index}`,
        },
        timestamp: `2026-12-01T10:0${shard.index}:00.000Z`,
      },
      benchmarks: results.benchmarks.filter((b) => shard.ids.includes(b.id)),
    },
  }));
}

function byKey(results: Results): Map<string, Results['benchmarks'][number]> {
  return new Map(results.benchmarks.map((b) => [`${b.id}\u0000${b.metric}`, b]));
}

test("merging the shards of a split run reproduces the whole: same ids, metrics and estimates; each shard's metadata kept", () => {
  const original = whole();
  for (const count of [2, 3]) {
    const parts = split(original, count);
    const merged = mergeShards([...parts].reverse());
    assert.equal(merged.schemaVersion, SCHEMA_VERSION);
    assert.equal(validateResults(merged).ok, true);
    assert.deepEqual([...byKey(merged).keys()].sort(), [...byKey(original).keys()].sort());
    for (const [key, b] of byKey(original)) assert.deepEqual(byKey(merged).get(key), b, key);
    assert.equal(merged.run.commit, original.run.commit);
    assert.equal(merged.run.shard, undefined);
    assert.equal(merged.run.timestamp, `2026-12-01T10:0${count}:00.000Z`, 'the run ends when its last shard does');
    assert.deepEqual(
      merged.shards?.parts.map((p) => [p.shard?.index, p.runner?.name]),
      parts.map((p) => [p.results.run.shard?.index, p.results.run.runner?.name]),
    );
    assert.deepEqual(merged.shards?.missing, []);
  }
});

function refused(parts: NamedResults[], pattern: RegExp): void {
  assert.throws(
    () => mergeShards(parts),
    (error: unknown) => error instanceof InputError && pattern.test(error.message),
  );
}

test('a benchmark in two shards, a missing or repeated shard, another commit or shard count: refused naming it', () => {
  const parts = split(whole(), 2);
  const [one, two] = parts as [NamedResults, NamedResults];
  const stolen = one.results.benchmarks[0];
  assert.ok(stolen);
  refused(
    [one, { ...two, results: { ...two.results, benchmarks: [...two.results.benchmarks, stolen] } }],
    new RegExp(`shard-2\\.json: benchmark '${stolen.id}' is also in shard-1\\.json`),
  );
  refused([one], /shard 2\/2 missing/);
  refused([one, one], /shard-1\.json: is shard 1\/2, as is shard-1\.json/);
  refused(
    [one, { ...two, results: { ...two.results, run: { ...two.results.run, commit: 'f'.repeat(40) } } }],
    /shard-2\.json: measured commit ffffffffffff but shard-1\.json measured commit 000000000000/,
  );
  refused(
    [one, { ...two, results: { ...two.results, run: { ...two.results.run, shard: { index: 2, count: 3 } } } }],
    /is shard 2\/3 but shard-1\.json is one of 2 shards/,
  );
  refused([{ origin: 'plain.json', results: whole() }], /plain\.json: is not a shard's results/);
  const basis = (part: NamedResults, text: string): NamedResults => ({
    ...part,
    results: {
      ...part.results,
      run: { ...part.results.run, shard: { index: part.results.run.shard?.index ?? 0, count: 2, basis: text } },
    },
  });
  refused(
    [basis(one, 'the baseline of commit aaa'), basis(two, 'no baseline')],
    /shard-2\.json: planned its share from no baseline but shard-1\.json from the baseline of commit aaa/,
  );
});

test('allowMissing merges what is there and lists the missing shards', () => {
  const parts = split(whole(), 3);
  const merged = mergeShards([parts[0] as NamedResults, parts[2] as NamedResults], { allowMissing: true });
  assert.deepEqual(merged.shards?.missing, [2]);
  assert.equal(
    merged.benchmarks.length,
    (parts[0]?.results.benchmarks.length ?? 0) + (parts[2]?.results.benchmarks.length ?? 0),
  );
  assert.equal(validateResults(merged).ok, true);
});

test("controls every shard ran: the merged run keeps the lowest shard's copy once, shards.controls each shard's own", () => {
  const original = whole();
  const controlIds = original.benchmarks.slice(0, 3).map((b) => b.id);
  const isControl = (id: string): boolean => controlIds.includes(id);
  const rest = { ...original, benchmarks: original.benchmarks.filter((b) => !isControl(b.id)) };
  // Each shard runs its share plus every control, its controls slower on a slower runner.
  const parts = split(rest, 3).map((part, i) => ({
    ...part,
    results: {
      ...part.results,
      benchmarks: [
        ...part.results.benchmarks,
        ...original.benchmarks
          .filter((b) => isControl(b.id))
          .map((b) => ({ ...b, estimates: { ...b.estimates, median: b.estimates.median * (1 + i) } })),
      ],
    },
  }));
  refused(parts, /benchmark '.*' is also in shard-1\.json; .*declared as controls/);
  const merged = mergeShards([...parts].reverse(), { isControl });
  assert.equal(validateResults(merged).ok, true);
  assert.deepEqual([...byKey(merged).keys()].sort(), [...byKey(original).keys()].sort(), 'each control once');
  for (const id of controlIds)
    assert.equal(
      merged.benchmarks.find((b) => b.id === id)?.estimates.median,
      original.benchmarks.find((b) => b.id === id)?.estimates.median,
      "the lowest shard's copy",
    );
  assert.deepEqual(
    merged.shards?.controls?.map((c) => [c.index, c.benchmarks.map((b) => b.id).sort()]),
    [1, 2, 3].map((index) => [index, [...controlIds].sort()]),
  );
  assert.equal(
    merged.shards?.controls?.[2]?.benchmarks[0]?.estimates.median,
    (original.benchmarks.find((b) => b.id === merged.shards?.controls?.[2]?.benchmarks[0]?.id)?.estimates.median ?? 0) *
      3,
  );
  // Without controls in the parts, the document has no controls entry.
  assert.equal(mergeShards(split(rest, 2), { isControl }).shards?.controls, undefined);
});

test("CLI: shard --plan prints each shard's ids and filter; parse --shard and merge rebuild the run; an id in two parts exits 2", () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shard-'));
  const original = whole();
  const files: string[] = [];
  for (const index of [1, 2]) {
    const out = cli('shard', '--plan', `${index}/2`, FIXTURE, '--format', 'json');
    assert.equal(out.status, 0, out.stderr);
    const shard = JSON.parse(out.stdout) as { ids: string[]; filter: string };
    const text = cli('shard', '--plan', `${index}/2`, FIXTURE);
    assert.equal(text.stdout, `${[...shard.ids, `filter: ${shard.filter}`].join('\n')}\n`);
    // What the shard's cargo bench would have measured: the benchmarks its filter matches.
    const filter = new RegExp(shard.filter);
    const part = join(dir, `part-${index}.json`);
    writeFileSync(
      part,
      JSON.stringify({ ...original, benchmarks: original.benchmarks.filter((b) => filter.test(b.id)) }),
    );
    const file = join(dir, `shard-${index}.json`);
    const parsed = cli('parse', part, '--shard', `${index}/2`, '-o', file);
    assert.equal(parsed.status, 0, parsed.stderr);
    files.push(file);
  }
  const mergedPath = join(dir, 'merged.json');
  const merged = cli('merge', ...files, '-o', mergedPath);
  assert.equal(merged.status, 0, merged.stderr);
  const result = JSON.parse(readFileSync(mergedPath, 'utf8')) as Results;
  assert.deepEqual([...byKey(result).entries()].sort(), [...byKey(original).entries()].sort());

  // Shard 1's file with one of shard 2's benchmarks in it.
  const first = JSON.parse(readFileSync(files[0] as string, 'utf8')) as Results;
  const second = JSON.parse(readFileSync(files[1] as string, 'utf8')) as Results;
  const extra = second.benchmarks[0];
  assert.ok(extra);
  const overlap = join(dir, 'overlap.json');
  writeFileSync(overlap, JSON.stringify({ ...first, benchmarks: [...first.benchmarks, extra] }));
  const dup = cli('merge', overlap, files[1] as string);
  assert.equal(dup.status, 2);
  assert.match(dup.stderr, new RegExp(`benchmark '${extra.id}' is also in`));
  assert.equal(dup.stderr.trim().split('\n').length, 1);

  // A control both parts ran is merged once with --controls, and refused without.
  const control = first.benchmarks[0];
  assert.ok(control);
  const withControl = join(dir, 'with-control.json');
  writeFileSync(withControl, JSON.stringify({ ...second, benchmarks: [...second.benchmarks, control] }));
  assert.equal(cli('merge', files[0] as string, withControl).status, 2);
  const controlled = cli('merge', files[0] as string, withControl, '--controls', control.id);
  assert.equal(controlled.status, 0, controlled.stderr);
  assert.deepEqual(
    [...byKey(JSON.parse(controlled.stdout) as Results).keys()].sort(),
    [...byKey(original).keys()].sort(),
  );

  const missing = cli('merge', files[0] as string);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /shard 2\/2 missing/);
});

test('CLI: --help for shard and merge; bad input exits 2 and bad usage 64, with one line', () => {
  for (const command of ['shard', 'merge']) {
    const help = cli(command, '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, new RegExp(`^Usage: bench-action ${command}`));
  }
  for (const [status, args] of [
    [64, ['shard', FIXTURE]],
    [64, ['shard', '--plan', '5/4', FIXTURE]],
    [64, ['shard', '--plan', '1/2']],
    [64, ['shard', '--plan', '1/2', FIXTURE, '--format', 'xml']],
    [64, ['merge']],
    [2, ['shard', '--plan', '1/2', 'no-such.json']],
    [2, ['merge', 'no-such.json']],
    [64, ['merge', 'a.json', '--controls', ' ']],
  ] as const) {
    const out = cli(...args);
    assert.equal(out.status, status, args.join(' '));
    assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
  }
});

test('a shard count past 256 is refused in one line, before any list of shards is made', () => {
  const [one] = split(whole(), 2) as [NamedResults];
  const huge = {
    ...one,
    results: { ...one.results, run: { ...one.results.run, shard: { index: 1, count: 2 ** 32 } } },
  };
  refused(
    [huge],
    /^shard-1\.json: is shard 1\/4294967296: a run has at most 256 shards, each index from 1 to the count$/,
  );
  // The schema holds the count to 256 as well, so such a file never validates.
  const outcome = validateResults(huge.results);
  assert.ok(!outcome.ok);
  assert.match(formatIssues(outcome.issues), /run\/shard\/count/);
});
