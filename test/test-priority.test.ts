/**
 * No test raises its own priority. The suite runs two files at once on a shared machine, and several of them time
 * code by the wall clock: the language e2e ran its action at nice -20, which starved the wall-time e2e beside it
 * until that one saw a false regression. A test that needs a quiet machine is a design to fix (more samples, a
 * larger change, the confirmation round's interleaved pairs), not a priority to take from the others.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** Ways to run something ahead of the rest: nice with a negative adjustment, renice, setPriority. */
const RAISES: readonly RegExp[] = [
  /\bnice\s*:\s*-\s*\d/, // an option such as runAction's old `nice: -20`
  /\bnice\b['"`,\s[]*-n['"`,\s]*-\s*\d/, // nice -n -20, spawn('nice', ['-n', '-20', ...])
  /\bnice\s+--\d/, // nice --20
  /\brenice\b/,
  /\bsetPriority\s*\(/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js|sh)$/.test(name) ? [path] : [];
  });
}

test('no test, test support or test script runs anything at a raised priority', () => {
  const files = ['test', 'scripts'].flatMap((dir) => sources(join(ROOT, dir)));
  assert.ok(files.length > 50, `only ${files.length} files found`);
  const found = files
    .filter((path) => relative(ROOT, path) !== SELF)
    .flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          RAISES.some((re) => re.test(line)) ? [`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
  assert.deepEqual(found, []);
});
