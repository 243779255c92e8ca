import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseThresholdsFile, thresholdsSchema } from '../../src/config/thresholds.ts';
import { InputError } from '../../src/common/errors.ts';

function refused(text: string, detail: string): void {
  assert.throws(
    () => parseThresholdsFile('t.json', text),
    (e: unknown) => e instanceof InputError && e.message === `t.json: does not match the thresholds schema: ${detail}`,
  );
}

test('a thresholds file in percent becomes fractions, first match first', () => {
  const parsed = parseThresholdsFile(
    't.json',
    '{"$schema": "./thresholds.schema.json", "default": 5, "overrides": [{"pattern": "cache_*/**", "threshold": 25}, {"pattern": "**", "threshold": 12.5}]}',
  );
  assert.deepEqual(parsed, {
    default: 0.05,
    overrides: [
      { pattern: 'cache_*/**', threshold: 0.25 },
      { pattern: '**', threshold: 0.125 },
    ],
    controls: [],
    mutes: [],
  });
  assert.deepEqual(parseThresholdsFile('t.json', '{}'), { default: null, overrides: [], controls: [], mutes: [] });
});

test('the thresholds file is checked against its JSON Schema, naming the place', () => {
  assert.equal(thresholdsSchema.$id, 'https://github.com/sark/bench-action/schema/thresholds-v2.json');
  // A misspelt key in an override used to be ignored, leaving the rule without what the user meant.
  refused(
    '{"overrides": [{"pattern": "a/*", "threshold": 15, "metirc": "instructions"}]}',
    "unknown key 'metirc' at /overrides/0; expected 'pattern', 'threshold' and 'metric'",
  );
  refused(
    '{"overides": []}',
    `unknown key 'overides' at /; expected 'default', 'overrides', 'mute' and 'controls' (e.g. {"overrides": [{"pattern": "group/*", "threshold": 15}]})`,
  );
  refused(
    '{"overrides": [{"pattern": "a/*", "threshold": "15%"}]}',
    '/overrides/0/threshold must be a percentage from 0 to 1000',
  );
  refused('{"default": 1001}', '/default must be a percentage from 0 to 1000');
  refused(
    '{"overrides": [{"pattern": "", "threshold": 3}]}',
    '/overrides/0/pattern must NOT have fewer than 1 characters',
  );
  refused('{"overrides": [{"pattern": "a"}]}', "/overrides/0 must have required property 'threshold'");
  refused('[]', '/ must be object (e.g. {"overrides": [{"pattern": "group/*", "threshold": 15}]})');
});

test('a thresholds file may declare control benchmarks', () => {
  const parsed = parseThresholdsFile(
    't.json',
    JSON.stringify({ default: 12, controls: ['cache_*/moka', ' calibration/** '] }),
  );
  assert.deepEqual(parsed, { default: 0.12, controls: ['cache_*/moka', 'calibration/**'], overrides: [], mutes: [] });
  refused(
    '{"controls": "cache_*"}',
    `/controls: 'controls' must be an array of benchmark-id globs, e.g. ["cache_*/moka"]`,
  );
  refused(
    '{"controls": [" "]}',
    `/controls/0: 'controls' must be an array of benchmark-id globs, e.g. ["cache_*/moka"]`,
  );
  refused('{"controls": [3]}', `/controls/0: 'controls' must be an array of benchmark-id globs, e.g. ["cache_*/moka"]`);
});

test('schema version 2: a mute names its benchmarks, says why, and may end on a day; a version 1 file still reads', () => {
  const parsed = parseThresholdsFile(
    't.json',
    JSON.stringify({
      $schema: 'https://github.com/sark/bench-action/schema/thresholds-v1.json',
      mute: [
        { pattern: 'cache_concurrent_*/**', reason: ' noisy on 2-core runners ', until: '2026-12-31' },
        { pattern: 'opa/**', reason: 'slowdown tracked in #12', metric: 'time' },
      ],
    }),
  );
  assert.deepEqual(parsed.mutes, [
    { pattern: 'cache_concurrent_*/**', reason: 'noisy on 2-core runners', until: '2026-12-31' },
    { pattern: 'opa/**', reason: 'slowdown tracked in #12', until: null, metric: 'time' },
  ]);
  refused(
    '{"mute": [{"pattern": "a/*"}]}',
    `/mute/0 needs 'reason': a mute says why ({"pattern": "group/*", "reason": "noisy on shared runners"})`,
  );
  refused('{"mute": [{"pattern": "a/*", "reason": " "}]}', '/mute/0/reason must say why the benchmark is muted');
  refused(
    '{"mute": [{"pattern": "a/*", "reason": "x", "until": "31.12.2026"}]}',
    '/mute/0/until must be a date, YYYY-MM-DD (the last day the mute holds)',
  );
  refused(
    '{"mute": [{"pattern": "a/*", "reason": "x", "threshold": 5}]}',
    "unknown key 'threshold' at /mute/0; expected 'pattern', 'reason', 'until' and 'metric'",
  );
  assert.throws(
    () => parseThresholdsFile('t.json', '{"mute": [{"pattern": "a/*", "reason": "x", "until": "2026-02-30"}]}'),
    /^InputError: t\.json: \/mute\/0\/until is not a date: '2026-02-30' \(YYYY-MM-DD\)$/,
  );
});
