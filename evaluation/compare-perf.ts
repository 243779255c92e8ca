/**
 * Performance check for the compare step (issue 2): 5,000 benchmarks x 100
 * samples must compare in under 2 s. Run with `npm run bench:compare`. Exits 1
 * when compare is over budget. Synthetic seeded data; every tenth benchmark is
 * slowed 20% so the report has regressions to render.
 */
import { performance } from 'node:perf_hooks';
import { compare } from '../src/compare/index.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { synthetic, type SyntheticSpec } from '../test/compare/synthetic.ts';

const BENCHMARKS = 5000;
const SAMPLES = 100;
const BUDGET_MS = 2000;

const specs: SyntheticSpec[] = Array.from({ length: BENCHMARKS }, (_, i) => ({
  id: `group${i % 50}/function${Math.floor(i / 50)}/${i}`,
  median: 1000 * (1 + (i % 97)),
  logSd: 0.02 + (i % 7) * 0.01,
  samples: SAMPLES,
}));
const base = synthetic(1, specs);
const head = synthetic(
  2,
  specs.map((s, i) => (i % 10 === 0 ? { ...s, median: s.median * 1.2 } : s)),
);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const comparison = compare(base, head, { seed: 42 });
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
const markdown = renderMarkdown(comparison);
const t2 = performance.now();

const compareMs = t1 - t0;
console.log(
  `compare: ${BENCHMARKS} benchmarks x ${SAMPLES} samples in ${compareMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (budget ${BUDGET_MS} ms wall)`,
);
console.log(`renderMarkdown: ${(t2 - t1).toFixed(0)} ms, ${markdown.length} characters`);
console.log(`verdicts: ${JSON.stringify(comparison.summary.counts)}`);
if (compareMs > BUDGET_MS) {
  console.error(`compare took ${compareMs.toFixed(0)} ms, over the ${BUDGET_MS} ms budget`);
  process.exit(1);
}
