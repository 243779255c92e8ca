/**
 * workflows-examples/bench-javascript.yml end to end: a JavaScript library
 * (an ES module) with two mitata benchmarks, run by `node bench.mjs`, whose
 * JSON on standard output the action reads, with no Rust on PATH
 * (language-e2e.ts). The example's `npm ci` is this checkout's node_modules,
 * linked in: mitata is one of its devDependencies.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/action-runner.ts';
import { describeLanguage } from '../support/language-e2e.ts';

const LIBRARY = (slow: boolean) => `function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** The n-th Fibonacci number${slow ? ', computed eleven times over (the regression under test)' : ''}. */
export function nthFibonacci(n) {
  return ${slow ? 'Array.from({ length: 11 }, () => fib(n)).reduce((a, b) => a + b) / 11' : 'fib(n)'};
}

/** 1² + 2² + ... + n², modulo 2³², by a loop (no allocation: the figure is the loop's). */
export function sumOfSquares(n) {
  let sum = 0;
  // Kept in int32: a sum past 2³¹ leaves V8's small integers, and its optimized code then runs 1x or 4x slow from one run to the next.
  for (let i = 1; i <= n; i++) sum = (sum + i * i) | 0;
  return sum;
}
`;

// V8's JIT tiers (and inlines the recursive fib) differently from one process to the next: in CI the unchanged
// code's median moved by 2x between pushes (run-to-run sd ±115%), so a real 2x slowdown stayed inconclusive. This
// library's bench runs itself on V8's interpreter (--jitless), where the work done is what the time measures.
const BENCH = `import { spawnSync } from 'node:child_process';
import { bench, do_not_optimize, run } from 'mitata';
import { nthFibonacci, sumOfSquares } from './index.mjs';

if (!process.execArgv.includes('--jitless')) {
  const child = spawnSync(process.execPath, ['--jitless', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

bench('nthFibonacci', () => do_not_optimize(nthFibonacci(18)));
bench('sumOfSquares', () => do_not_optimize(sumOfSquares(5_000)));
await run({ format: 'json' });
`;

describeLanguage({
  label: 'JavaScript library, mitata',
  example: 'bench-javascript.yml',
  files: (slow) => ({
    'package.json': JSON.stringify(
      { name: 'fib-lib', version: '1.0.0', type: 'module', devDependencies: { mitata: '^1.0.34' } },
      null,
      2,
    ),
    '.gitignore': 'node_modules\n',
    'index.mjs': LIBRARY(slow),
    'bench.mjs': BENCH,
  }),
  prepare: (root) => symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules')),
  ids: ['nthFibonacci', 'sumOfSquares'],
  metrics: ['time'],
  slowed: 'nthFibonacci',
  timeoutMs: 180_000,
});
