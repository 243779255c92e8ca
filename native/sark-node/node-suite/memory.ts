/**
 * Leak tests of the addon: 100,000 mixed cache operations and 100,000 policy
 * evaluations (10x with --soak), reading RSS and heap after a forced GC every
 * 1/20th of the run. Writes `checks` memory/cache and memory/policy (plus the
 * per-operation times of those runs as benchmarks, since a results file needs
 * benchmarks) and exits 1 when a check fails.
 *
 *   node --expose-gc --import tsx native/sark-node/node-suite/memory.ts [--soak] [-o out.json]
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cache, PolicyEngine } from '../index.js';
import { collectRunMeta, type Benchmark, type Check } from './document.ts';
import { benchmarkFromNs, buildResults, judgeMemory, type MemorySample } from './results.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const args = process.argv.slice(2);
const soak = args.includes('--soak');
const outFlag = args.indexOf('-o');
const output = (outFlag >= 0 ? args[outFlag + 1] : undefined) ?? join(repo, 'reports/performance/node_memory.json');
const OPS = soak ? 1_000_000 : 100_000;
const READINGS = 20;
const CAPACITY = 10_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('memory tests need node --expose-gc');
  process.exit(2);
}

function reading(ops: number): MemorySample {
  gc?.();
  const m = process.memoryUsage();
  return { ops, rssBytes: m.rss, heapBytes: m.heapUsed };
}

/**
 * Runs `op` OPS times after `warmup` untimed calls, reading memory at the
 * baseline and every OPS/READINGS operations; returns the readings and ns per
 * operation of each chunk.
 */
function drive(
  warmup: number,
  op: (i: number) => void,
  afterChunk: () => void = () => {},
): { samples: MemorySample[]; nsPerOp: number[] } {
  for (let i = 0; i < warmup; i++) op(i);
  const chunk = OPS / READINGS;
  const samples = [reading(0)];
  const nsPerOp: number[] = [];
  for (let r = 1; r <= READINGS; r++) {
    const start = process.hrtime.bigint();
    for (let i = (r - 1) * chunk; i < r * chunk; i++) op(warmup + i);
    nsPerOp.push(Number(process.hrtime.bigint() - start) / chunk);
    afterChunk();
    samples.push(reading(r * chunk));
  }
  return { samples, nsPerOp };
}

function cacheTest(): { check: Check; benchmark: Benchmark } {
  const cache = new Cache(CAPACITY, 60_000);
  const value = Buffer.alloc(256, 7);
  // Keys from 5x the capacity, so sets keep evicting; a share of entries get a short TTL.
  const key = (i: number): string => `k${(i * 7919) % (CAPACITY * 5)}`;
  let maxLen = 0;
  const op = (i: number): void => {
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        cache.get(key(i));
        break;
      case 4:
        cache.getString(key(i + 1));
        break;
      case 5:
      case 6:
      case 7:
        cache.set(key(i), value);
        break;
      case 8:
        cache.set(key(i), `s${i}`, 5);
        break;
      default:
        cache.delete(key(i + 3));
    }
  };
  // Warm-up fills the cache to capacity: that memory is the cache doing its job, not a leak.
  const { samples, nsPerOp } = drive(CAPACITY * 3, op, () => {
    maxLen = Math.max(maxLen, cache.len());
  });
  const check = judgeMemory(
    'memory/cache',
    samples,
    { growthMB: 30, halfRatio: 1.5, noiseFloorMB: 2 },
    { metrics: { maxLen }, limits: { maxLen: CAPACITY } },
  );
  return { check, benchmark: benchmarkFromNs('node_memory/cache_mixed_op/sark_cache', nsPerOp) };
}

function policyTest(): { check: Check; benchmark: Benchmark } {
  const engine = new PolicyEngine();
  engine.loadDir(join(repo, 'native/sark-opa/policies'));
  const casesDir = join(repo, 'native/sark-opa/fixtures/cases');
  const inputs = readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as { input: unknown }).input);
  const queries = ['data.sark.authz.decision', 'data.sark.simple.allow', 'data.sark.authz.reason'];
  const op = (i: number): void => {
    engine.evaluate(queries[i % queries.length] as string, inputs[i % inputs.length]);
  };
  const { samples, nsPerOp } = drive(1_000, op);
  const check = judgeMemory('memory/policy', samples, { growthMB: 50, halfRatio: 1.5, noiseFloorMB: 2 });
  return { check, benchmark: benchmarkFromNs('node_memory/policy_evaluate/sark_opa', nsPerOp) };
}

const parts = [cacheTest(), policyTest()];
for (const { check } of parts) console.error(`${check.id}: ${check.passed ? 'PASS' : 'FAIL'} ${check.message ?? ''}`);
const results = buildResults(
  collectRunMeta({ memoryTest: soak ? `soak ${OPS} ops` : `${OPS} ops` }),
  parts.map((p) => p.benchmark),
  [],
  parts.map((p) => p.check),
);
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(results)}\n`);
console.error(`memory tests: wrote ${output}`);
process.exit(parts.every((p) => p.check.passed) ? 0 : 1);
