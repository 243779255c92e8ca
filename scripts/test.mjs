// Runs every test/**/*.test.ts (but test/valgrind/) with node's test runner. Node 20 has no glob
// support in --test, so the files are listed here.
//
// Every test run gets its own scratch directory as TMPDIR, which the tests, the action runs they
// start and cargo inherit: a passing run removes it whole, so the suite leaves nothing in /tmp
// (one full run wrote about 0.6 GB there, and several sessions of runs had filled the disk). A
// failing run keeps it and says where, for the workspaces and logs its failures name;
// BENCH_TEST_KEEP_TMP=1 keeps it either way.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
// test/valgrind needs gungraun-runner, whose install scripts/test.sh waits for
// last; name its files to run them.
const files =
  only.length > 0
    ? only
    : find('test')
        .filter((path) => !path.split(/[\\/]/).includes('valgrind'))
        .sort();
const scratch = mkdtempSync(join(tmpdir(), 'bench-action-tests-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
});
const status = result.status ?? 1;
if (status === 0 && process.env.BENCH_TEST_KEEP_TMP !== '1') {
  // A scratch file something still holds must not turn a passing run red.
  try {
    rmSync(scratch, { recursive: true, force: true });
  } catch (error) {
    console.error(`scripts/test.mjs: could not remove ${scratch} (${error.message}); remove it by hand`);
  }
} else {
  console.error(`scripts/test.mjs: the tests' scratch files are kept in ${scratch} (remove it when done)`);
}
process.exit(status);
