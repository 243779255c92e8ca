/**
 * The trusted comment job (`mode: comment`) on the worst fork data the caps
 * allow (#23 item 1, docs/github.md "How much work a fork can ask for"): each
 * shape below is a `bench-action-report` artifact at the fork-data caps (one
 * pull-request.json of at most 16 MiB, zipped under 8 MB), crafted for one
 * kind of work. The bundled action (dist/index.js) runs against the loopback
 * GitHub of the e2e tests, exactly as in test/e2e/fork-comment.test.ts, and
 * the wall time of the whole job is measured.
 *
 *   npm run bundle && node --import tsx evaluation/fork-worst-case.ts [shape ...]
 *   flock /work/team/timing.lock node --import tsx evaluation/fork-worst-case.ts   (for a figure in docs)
 *
 * Exits 1 when a job fails, posts nothing, or takes 60 s or more.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { mulberry32, type Rng } from '../src/compare/stats/rng.ts';
import { historyFileName } from '../src/github/baseline-layout.ts';
import { FORK_ZIP_LIMITS } from '../src/github/artifact-zip.ts';
import { MAX_DATA_BYTES } from '../src/github/fork-report.ts';
import { validateResults, formatIssues } from '../src/schema/validate.ts';
import type { Benchmark, Pair, Results } from '../src/schema/types.ts';
import { benchmark, runMeta, synthetic, type SyntheticSpec } from '../test/compare/synthetic.ts';
import { NODE20, runAction } from '../test/support/action-runner.ts';
import { FakeGitHub } from '../test/support/fake-github.ts';
import { workflowRunEvent } from '../test/support/github-events.ts';
import { makeZip } from '../test/support/zip.ts';

const BUDGET_S = 60;
const BASE_TIME = 500;
const BASE_COUNTED = 500;
const BASE_PAIRS = 20;
const HISTORY = 3;
/** The two ids every pair of the base names: the fork gives them its largest samples. */
const CONTENDER = 'cache/sark/get';
const REFERENCE = 'cache/redis/get';

function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

function timeSpecs(): SyntheticSpec[] {
  return [
    { id: CONTENDER, median: 200, samples: 100 },
    { id: REFERENCE, median: 30_000, samples: 100 },
    ...Array.from({ length: BASE_TIME - 2 }, (_, i) => ({
      id: `group${i % 25}/function${i}/case_${i}`,
      median: 1000 + i,
      samples: 100,
    })),
  ];
}

/** Instruction counts with gungraun-style ids whose wall-time twins are the time benchmarks above. */
function countedBenchmarks(ids: readonly string[], scale = 1): Benchmark[] {
  return ids.map((id, i) => {
    const [group = 'g', fn = 'f', param = 'p'] = id.split('/');
    const count = Math.round((10_000 + i) * scale);
    return {
      ...benchmark({ id: `bench/${group}/${fn}.${param}`, median: count, unit: 'instructions' }, null),
      metric: 'instructions',
      source: 'gungraun',
      estimates: { median: count, mean: count, stdDev: null, ci: null },
    };
  });
}

/** The base branch's run `k` (0 is the newest): the trusted side, as a push run leaves it. */
function baseRun(k: number): Results {
  const specs = timeSpecs();
  const run = synthetic(100 + k, specs, sha(`main-${k}`));
  const pairs: Pair[] = Array.from({ length: BASE_PAIRS }, (_, i) => ({
    name: `sark-cache get vs Redis GET ${i}`,
    contender: CONTENDER,
    reference: REFERENCE,
  }));
  return {
    ...run,
    run: { ...run.run, timestamp: new Date(Date.UTC(2026, 0, 10 - k)).toISOString() },
    benchmarks: [...run.benchmarks, ...countedBenchmarks(specs.slice(2).map((s) => s.id))],
    pairs,
  };
}

/** Digits 1..9: two bytes a sample in JSON, the most samples 16 MiB can hold. */
function digits(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => 1 + Math.floor(rng() * 9));
}

/** Three-digit values: fewer samples, but nearly all distinct (more work for the sort and the rank test). */
function spread(rng: Rng, n: number, median: number): number[] {
  return Array.from({ length: n }, () => Math.round(median * (0.5 + rng())));
}

function withSamples(b: Benchmark, samples: number[]): Benchmark {
  return { ...b, samples, estimates: { ...b.estimates, median: samples[0] ?? 1, mean: samples[0] ?? 1 } };
}

interface Shape {
  name: string;
  what: string;
  /** The fork's results, at most MAX_DATA_BYTES once wrapped. */
  build(fill: number): Results;
}

/**
 * The largest build of the shape whose data file fits: its size is linear in the fill, so two small builds give the
 * slope.
 */
function fitting(shape: Shape, headSha: string): { results: Results; bytes: number } {
  const size = (fill: number): { results: Results; bytes: number } => {
    const results = shape.build(fill);
    return { results, bytes: Buffer.byteLength(dataFile(results, headSha)) };
  };
  const a = size(0.05).bytes;
  const b = size(0.1).bytes;
  let fill = 0.05 + ((MAX_DATA_BYTES - a) / (b - a)) * 0.05 * 0.999;
  for (;;) {
    const built = size(fill);
    if (built.bytes <= MAX_DATA_BYTES) return built;
    fill *= 0.995;
  }
}

function dataFile(results: Results, headSha: string): string {
  return JSON.stringify({ dataVersion: 2, prNumber: 1, headSha, results });
}

/** 1M samples per unit of fill. */
const MILLION = 1_000_000;

const SHAPES: Shape[] = [
  {
    name: 'pairs',
    what: "the issue's attack: the two benchmarks the base's pairs name, as many samples as fit, and 100,000 pairs of the fork's own",
    build(fill) {
      const rng = mulberry32(1);
      const base = baseRun(0);
      const n = Math.floor(fill * MILLION);
      const two = base.benchmarks.slice(0, 2).map((b) => withSamples(b, digits(rng, n)));
      const pairs = Array.from({ length: 100_000 }, (_, i) => ({
        name: `p${i}`,
        contender: CONTENDER,
        reference: REFERENCE,
      }));
      return { ...base, run: runMeta(sha('fork')), benchmarks: two, pairs };
    },
  },
  {
    name: 'pair-samples',
    what: 'the two benchmarks the base pairs name, with all 16 MiB in their samples (two-byte digits)',
    build(fill) {
      const rng = mulberry32(2);
      const base = baseRun(0);
      const n = Math.floor(fill * MILLION);
      return {
        ...base,
        run: runMeta(sha('fork')),
        benchmarks: base.benchmarks.slice(0, 2).map((b) => withSamples(b, digits(rng, n))),
        pairs: [],
      };
    },
  },
  {
    name: 'one-giant',
    what: 'one benchmark of the base with every sample that fits (a sort, a rank test and a bootstrap table of that size)',
    build(fill) {
      const rng = mulberry32(3);
      const base = baseRun(0);
      const b = base.benchmarks[2] as Benchmark;
      return {
        ...base,
        run: runMeta(sha('fork')),
        benchmarks: [withSamples(b, digits(rng, Math.floor(fill * MILLION)))],
        pairs: [],
      };
    },
  },
  {
    name: 'all-matched',
    what: 'every wall-time benchmark of the base, each with a different sample count (no cached bootstrap table), distinct values',
    build(fill) {
      const rng = mulberry32(4);
      const base = baseRun(0);
      const time = base.benchmarks.filter((b) => b.metric === 'time');
      const per = Math.floor((fill * MILLION) / time.length);
      const benchmarks = time.map((b, i) => withSamples(b, spread(rng, per + i, b.estimates.median)));
      return {
        ...base,
        run: runMeta(sha('fork')),
        benchmarks: [...benchmarks, ...base.benchmarks.filter((b) => b.metric !== 'time')],
        pairs: [],
      };
    },
  },
  {
    name: 'rows',
    what: 'as many benchmarks as fit, no samples: the base ones moved 20% (regressions to render) and the rest new, half of them instruction counts with wall-time twins',
    build(fill) {
      const base = baseRun(0);
      const moved = base.benchmarks.map((b) => ({
        ...b,
        samples: null,
        estimates: { ...b.estimates, median: b.estimates.median * 1.2, mean: b.estimates.mean * 1.2, stdDev: 1 },
      }));
      const extra = Math.floor(fill * 10_000);
      const ids = Array.from({ length: extra }, (_, i) => `new${i % 97}/f${i}/case_${i}`);
      const time = ids.map((id, i) => ({
        ...benchmark({ id, median: 100 + i }, null),
        estimates: { median: 100 + i, mean: 100 + i, stdDev: 1, ci: null },
      }));
      return {
        ...base,
        run: runMeta(sha('fork')),
        benchmarks: [...moved, ...time, ...countedBenchmarks(ids)],
        pairs: [],
      };
    },
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const shapes = only.length > 0 ? SHAPES.filter((s) => only.includes(s.name)) : SHAPES;
  const fake = await FakeGitHub.start();
  const mainSha = sha('main-0');
  const push = fake.addRun({ headSha: mainSha, status: 'completed', conclusion: 'success' });
  const runs = Array.from({ length: HISTORY + 1 }, (_, k) => baseRun(k));
  const files: Record<string, string> = { 'results.json': JSON.stringify(runs[0]) };
  for (const run of runs.slice(1)) files[`history/${historyFileName(run)}`] = JSON.stringify(run);
  fake.addArtifact({ runId: push.id, name: 'bench-baseline', files });
  console.log(
    `base: ${BASE_TIME} wall-time benchmarks x 100 samples, ${BASE_COUNTED - 2} instruction counts, ${BASE_PAIRS} pairs, ${HISTORY} history runs`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  let failed = false;
  let worst = 0;
  for (const [i, shape] of shapes.entries()) {
    const number = 100 + i;
    const headSha = sha(`fork-${shape.name}`);
    const { results, bytes } = fitting(shape, headSha);
    const check = validateResults(results);
    if (!check.ok) throw new Error(`${shape.name}: invalid results: ${formatIssues(check.issues)}`);
    const zip = makeZip(
      { 'pull-request.json': dataFile(results, headSha).replace('"prNumber":1', `"prNumber":${number}`) },
      { deflate: true },
    );
    if (zip.length > FORK_ZIP_LIMITS.maxZipBytes)
      throw new Error(`${shape.name}: zip of ${zip.length} bytes is over the cap`);
    fake.addPull({ number, headSha, baseSha: mainSha, headRepo: 'fork-owner/sark', headRef: 'main' });
    fake.setMergeBase(mainSha, headSha, mainSha);
    const triggering = fake.addRun({
      headSha,
      event: 'pull_request',
      headBranch: 'main',
      fromFork: true,
      pullRequests: [number],
      name: 'bench PR',
      status: 'completed',
      conclusion: 'success',
    });
    fake.addArtifact({ runId: triggering.id, name: 'bench-action-report', bytes: zip });
    const commentRun = fake.addRun({
      headSha: mainSha,
      event: 'workflow_run',
      name: 'bench comment',
      path: '.github/workflows/bench-comment.yml',
    });
    const samples = results.benchmarks.reduce((sum, b) => sum + (b.samples?.length ?? 0), 0);
    const t0 = performance.now();
    const run = await runAction({
      node: NODE20,
      env: fake.env(commentRun.id, { GITHUB_JOB: 'comment' }),
      event: workflowRunEvent(fake, triggering.id),
      inputs: { mode: 'comment', 'github-token': fake.writeToken },
      timeoutMs: 600_000,
    });
    const seconds = (performance.now() - t0) / 1000;
    const posted = fake.commentsOn(number).length;
    const ok = run.code === 0 && posted === 1 && seconds < BUDGET_S;
    failed ||= !ok;
    worst = Math.max(worst, seconds);
    const pairsNote = (fake.commentsOn(number)[0]?.body.match(/not computed: [^|]*/) ?? [''])[0];
    console.log(
      `${shape.name.padEnd(13)} ${seconds.toFixed(1).padStart(6)} s  exit ${run.code}, ${posted} comment; ${(bytes / 1024 / 1024).toFixed(2)} MiB data, ${(zip.length / 1024 / 1024).toFixed(2)} MiB zip, ${results.benchmarks.length} benchmarks, ${samples.toLocaleString('en-US')} samples, ${(results.pairs ?? []).length} fork pairs${pairsNote ? `; a pair says "${pairsNote.trim()}"` : ''}`,
    );
    console.log(`              ${shape.what}`);
    if (run.code !== 0) console.log(run.stdout.slice(-2000), run.stderr.slice(-2000));
  }
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  console.log(`worst: ${worst.toFixed(1)} s (budget ${BUDGET_S} s)`);
  await fake.close();
  if (failed) process.exit(1);
}

await main();
