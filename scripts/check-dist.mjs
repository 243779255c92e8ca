// Fails when dist/ is not what the committed sources bundle to.
import { execFileSync } from 'node:child_process';

execFileSync('node', ['scripts/bundle.mjs'], { stdio: 'inherit' });
try {
  execFileSync('git', ['diff', '--exit-code', '--stat', '--', 'dist'], { stdio: 'inherit' });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '--', 'dist']).toString().trim();
  if (untracked) throw new Error(`untracked files in dist/: ${untracked}`);
} catch {
  console.error('dist/ is stale: run `npm run bundle` and commit dist/.');
  process.exit(1);
}
console.log('dist/ is fresh.');
