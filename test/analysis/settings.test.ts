import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analysisSettings } from '../../src/analysis/settings.ts';
import { InputError } from '../../src/common/errors.ts';
import { loadAnalysisSettings } from '../../src/files/analysis-settings.ts';

const flags = { threshold: 0.1, instructionsThreshold: 0.01, controls: ['ctl/input'] };

test('without files, the flags are the settings', () => {
  assert.deepEqual(analysisSettings(flags, { thresholds: null, claims: null }), {
    threshold: 0.1,
    instructionsThreshold: 0.01,
    thresholds: [],
    mutes: [],
    controls: ['ctl/input'],
    claims: null,
  });
});

test("the thresholds file's default replaces the flag, its rules apply, its controls join the flag's", () => {
  const rule = { pattern: 'cache/*', threshold: 0.15 };
  const mute = { pattern: 'flaky/*', reason: 'noisy', until: null };
  const settings = analysisSettings(flags, {
    thresholds: { default: 0.05, overrides: [rule], controls: ['ctl/file'], mutes: [mute] },
    claims: null,
  });
  assert.equal(settings.threshold, 0.05);
  assert.deepEqual(settings.thresholds, [rule]);
  assert.deepEqual(settings.mutes, [mute]);
  assert.deepEqual(settings.controls, ['ctl/input', 'ctl/file']);
  const noDefault = analysisSettings(flags, {
    thresholds: { default: null, overrides: [], controls: [], mutes: [] },
    claims: null,
  });
  assert.equal(noDefault.threshold, 0.1);
});

test('the files are read and checked: a bad one is an InputError naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-settings-'));
  const thresholdsFile = join(dir, 'thresholds.json');
  await writeFile(thresholdsFile, JSON.stringify({ default: 20, controls: ['ctl/file'] }));
  const settings = await loadAnalysisSettings({ ...flags, thresholdsFile, claimsFile: null });
  assert.deepEqual([settings.threshold, settings.controls], [0.2, ['ctl/input', 'ctl/file']]);
  const claimsFile = join(dir, 'claims.json');
  await writeFile(claimsFile, '{ not json');
  await assert.rejects(
    loadAnalysisSettings({ ...flags, thresholdsFile: null, claimsFile }),
    (error: unknown) => error instanceof InputError && error.message.includes(claimsFile),
  );
});
