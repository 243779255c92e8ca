/**
 * The Node comparison suite: sark-cache (through the addon) vs Redis vs
 * lru-cache, and sark-opa (through the addon) vs the same policies over HTTP
 * from OPA. One tinybench task per contender and operation, one sample per
 * operation (so percentiles are per-operation latencies), written as ONE
 * results file with contender-vs-reference pairs; the analyzer computes
 * speedups and claims from the raw samples.
 *
 *   node --import tsx native/sark-node/node-suite/node_bench.ts [--quick] [-o out.json]
 *   env: BENCH_ACTION_QUICK=1, BENCH_ACTION_OUTPUT, REDIS_URL, OPA_URL, OPA_BIN, SARK_OPA_BIN
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import { Bench, hrtimeNowTimestampProvider, type FnOptions } from 'tinybench';
import { Cache, PolicyEngine } from '../index.js';
import { collectRunMeta } from './document.ts';
import { benchmarksFromTasks, buildResults, pairsFor, type TaskSamples } from './results.ts';
import { startPolicyServer, startRedis, type Server } from './servers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const policyDir = join(repo, 'native/sark-opa/policies');
const casesDir = join(repo, 'native/sark-opa/fixtures/cases');

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_ACTION_QUICK === '1';
const outFlag = args.indexOf('-o');
const output =
  (outFlag >= 0 ? args[outFlag + 1] : undefined) ??
  process.env.BENCH_ACTION_OUTPUT ??
  join(repo, 'reports/performance/node_benchmarks.json');

/** Samples per task: per-operation latencies, enough for a stable p99 without multi-MB files. */
const SAMPLES = quick ? { local: 3_000, remote: 1_500 } : { local: 10_000, remote: 5_000 };
const KEYS = 10_000;
const VALUE = 'v'.repeat(100);

const keys = Array.from({ length: KEYS }, (_, i) => `key:${String(i).padStart(6, '0')}`);
const missKeys = keys.map((k) => `miss:${k}`);

function newBench(iterations: number): Bench {
  // time 0: the sample count, not a time budget, ends each task, so every contender gets as many samples.
  return new Bench({
    iterations,
    time: 0,
    warmupIterations: Math.min(iterations, 500),
    retainSamples: true,
    throws: true,
    timestampProvider: hrtimeNowTimestampProvider,
  });
}

function collect(bench: Bench): TaskSamples[] {
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed' || result.latency.samples === undefined)
      throw new Error(`benchmark ${task.name} did not complete (${result.state})`);
    return { name: task.name, latencyMs: result.latency.samples };
  });
}

/** A round-robin cursor over `list`, so successive iterations touch different keys. */
function cycle<T>(list: readonly T[]): () => T {
  let i = 0;
  return () => list[i++ % list.length] as T;
}

interface CacheContender {
  name: string;
  get(key: string): unknown;
  set(key: string, value: string): unknown;
  delete(key: string): unknown;
}

async function cacheBenchmarks(redisUrl: string): Promise<TaskSamples[]> {
  // No reconnecting: a lost server must fail the run, not stall it.
  const redis = createClient({ url: redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  redis.on('error', (e: Error) => console.error(`redis client: ${e.message}`));
  await redis.connect();
  try {
    await redis.flushDb();
    const sark = new Cache(KEYS * 10);
    const lru = new LRUCache<string, string>({ max: KEYS * 10 });
    const contenders: CacheContender[] = [
      {
        name: 'sark_cache',
        get: (k) => sark.getString(k),
        set: (k, v) => sark.set(k, v),
        delete: (k) => sark.delete(k),
      },
      { name: 'lru_cache', get: (k) => lru.get(k), set: (k, v) => lru.set(k, v), delete: (k) => lru.delete(k) },
      { name: 'redis', get: (k) => redis.get(k), set: (k, v) => redis.set(k, v), delete: (k) => redis.del(k) },
    ];
    for (const c of contenders) {
      for (const k of keys) await c.set(k, VALUE);
      // Same answers from every contender before anything is timed.
      const hit = await c.get(keys[0] as string);
      const miss = await c.get(missKeys[0] as string);
      if (hit !== VALUE || (miss !== null && miss !== undefined))
        throw new Error(`${c.name}: get returned ${String(hit)} / ${String(miss)} for a present / absent key`);
    }
    const tasks: TaskSamples[] = [];
    for (const c of contenders) {
      const bench = newBench(c.name === 'redis' ? SAMPLES.remote : SAMPLES.local);
      const id = (op: string): string => `node_cache/${op}/${c.name}`;
      const hitKey = cycle(keys);
      const missKey = cycle(missKeys);
      const setKey = cycle(keys);
      const delKey = cycle(keys);
      let pending = '';
      // Deletes must find the key: each iteration's key is put back outside the timed call.
      const refill: FnOptions = {
        beforeEach: async () => {
          pending = delKey();
          await c.set(pending, VALUE);
        },
      };
      bench.add(id('get_hit'), () => c.get(hitKey()));
      bench.add(id('get_miss'), () => c.get(missKey()));
      bench.add(id('set'), () => c.set(setKey(), VALUE));
      bench.add(id('delete'), () => c.delete(pending), refill);
      await bench.run();
      tasks.push(...collect(bench));
      console.error(`node_cache: ${c.name} done`);
    }
    return tasks;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

interface PolicyCase {
  name: string;
  input: unknown;
}

function policyCases(): PolicyCase[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f,
      input: (JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as { input: unknown }).input,
    }));
}

/** POST /v1/data/<path> {"input": ...} over a keep-alive socket; `undefined` when OPA returns no result. */
function httpEvaluator(base: string): (query: string, input: unknown) => Promise<unknown> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  return (query, input) =>
    new Promise((resolveValue, reject) => {
      const body = JSON.stringify({ input });
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/v1/data/${query.replace(/^data\./, '').replaceAll('.', '/')}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200)
              return reject(new Error(`policy server answered ${res.statusCode} for ${query}: ${text.slice(0, 200)}`));
            resolveValue((JSON.parse(text) as { result?: unknown }).result);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

const POLICIES = [
  { name: 'simple', query: 'data.sark.simple.allow' },
  { name: 'main', query: 'data.sark.authz.decision' },
] as const;

async function policyBenchmarks(serverUrl: string): Promise<TaskSamples[]> {
  const engine = new PolicyEngine();
  engine.loadDir(policyDir);
  const http = httpEvaluator(serverUrl);
  const cases = policyCases();
  for (const { query } of POLICIES) {
    for (const c of cases) {
      const local = engine.evaluate(query, c.input);
      const remote = await http(query, c.input);
      if (!isDeepStrictEqual(local, remote)) {
        throw new Error(
          `sark-opa and the policy server disagree on ${query} for ${c.name}: ${JSON.stringify(local)} vs ${JSON.stringify(remote)}`,
        );
      }
    }
  }
  console.error(
    `node_policy: sark-opa and the policy server agree on ${POLICIES.length} queries x ${cases.length} inputs`,
  );
  const tasks: TaskSamples[] = [];
  for (const { name, query } of POLICIES) {
    const input = cycle(cases.map((c) => c.input));
    const local = newBench(SAMPLES.local);
    local.add(`node_policy/${name}/sark_opa`, () => engine.evaluate(query, input()));
    await local.run();
    const remote = newBench(SAMPLES.remote);
    remote.add(`node_policy/${name}/opa_http`, () => http(query, input()));
    await remote.run();
    tasks.push(...collect(local), ...collect(remote));
    console.error(`node_policy: ${name} done`);
  }
  return tasks;
}

/** The fallback server's binary: SARK_OPA_BIN, else built from this workspace. */
function sarkOpaBin(): string {
  if (process.env.SARK_OPA_BIN) return process.env.SARK_OPA_BIN;
  const native = join(repo, 'native');
  const build = spawnSync('cargo', ['build', '--profile', 'addon', '-p', 'sark-opa', '--bin', 'sark-opa'], {
    cwd: native,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('cargo build -p sark-opa failed; cannot start the fallback policy server');
  return join(native, 'target/addon/sark-opa');
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  try {
    const redis = await startRedis(process.env, async (url) => {
      const probe = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
      probe.on('error', () => undefined);
      await probe.connect();
      await probe.quit();
      return true;
    });
    servers.push(redis);
    const policy = await startPolicyServer(process.env, repo, policyDir, sarkOpaBin);
    servers.push(policy);
    console.error(
      `node suite (${quick ? 'quick' : 'full'}): Redis ${redis.description} at ${redis.url}; policy server ${policy.description} at ${policy.url}`,
    );

    const tasks = [...(await cacheBenchmarks(redis.url)), ...(await policyBenchmarks(policy.url))];
    const benchmarks = benchmarksFromTasks('node suite', tasks);
    const ids = new Set(benchmarks.map((b) => b.id));
    const pairs = [
      ...pairsFor('node_cache', ['get_hit', 'get_miss', 'set', 'delete'], 'sark_cache', 'redis', ids),
      ...pairsFor('node_cache', ['get_hit', 'get_miss', 'set', 'delete'], 'sark_cache', 'lru_cache', ids),
      ...pairsFor(
        'node_policy',
        POLICIES.map((p) => p.name),
        'sark_opa',
        'opa_http',
        ids,
      ),
    ];
    const run = collectRunMeta({
      redis: redis.description,
      policyServer: policy.description,
      tinybench: (
        JSON.parse(readFileSync(join(repo, 'node_modules/tinybench/package.json'), 'utf8')) as { version: string }
      ).version,
      nodeSuite: quick ? 'quick' : 'full',
    });
    const results = buildResults(run, benchmarks, pairs);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, `${JSON.stringify(results)}\n`);
    console.error(`node suite: wrote ${benchmarks.length} benchmarks and ${pairs.length} pairs to ${output}`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`node suite failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
