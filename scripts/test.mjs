// Runs every test/**/*.test.ts (but test/valgrind/) with node's test runner. Node 20 has no glob
// support in --test, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
