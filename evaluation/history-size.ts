/**
 * Measures the compact series at its cap: 1,000 runs x 150 benchmarks appended
 * one run at a time (as 1,000 baseline uploads would), its JSON size raw and
 * gzipped (the artifact is a zip, deflate-compressed), the time of one append
 * at the cap and of change-point detection over every series.
 *   npx tsx evaluation/history-size.ts [runs] [benchmarks]
 */
import { gzipSync } from 'node:zlib';
import { mulberry32, normalDraw } from '../src/compare/stats/rng.ts';
import { allChangePoints } from '../src/history/changes.ts';
import { appendRun, validateSeries, type SeriesFile } from '../src/history/series.ts';
import { SCHEMA_VERSION, type Results } from '../src/schema/types.ts';

const runs = Number(process.argv[2] ?? 1000);
const benchmarks = Number(process.argv[3] ?? 150);
const rng = mulberry32(1);
const levels = Array.from({ length: benchmarks }, () => 10 ** (1 + 5 * rng()));

function run(i: number): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: 'size' },
      commit: (i * 2654435761).toString(16).padStart(40, '0').slice(-40),
      ref: 'refs/heads/main',
      timestamp: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      runner: {
        name: 'GitHub Actions 12',
        os: 'linux',
        arch: 'x64',
        cpuModel: 'AMD EPYC 7763 64-Core Processor',
        cores: 4,
      },
      versions: {},
    },
    benchmarks: levels.map((level, b) => {
      const median = level * Math.exp(0.03 * normalDraw(rng));
      return {
        id: `group_${b % 12}/function_${b}/parameter_${b * 7}`,
        metric: 'time',
        group: `group_${b % 12}`,
        function: `function_${b}`,
        parameter: String(b * 7),
        source: 'criterion' as const,
        unit: 'ns',
        direction: 'lower' as const,
        estimates: {
          median,
          mean: median,
          stdDev: median * 0.02,
          ci: { lower: median * 0.99, upper: median * 1.01, level: 0.95 },
        },
        throughput: null,
        samples: null,
      };
    }),
  };
}

let file: SeriesFile | null = null;
const started = performance.now();
for (let i = 0; i < runs; i++) file = appendRun(file, run(i));
const built = performance.now() - started;
const t0 = performance.now();
file = appendRun(file, run(runs));
const oneAppend = performance.now() - t0;
const json = JSON.stringify(file);
const t1 = performance.now();
const valid = validateSeries(JSON.parse(json)).ok;
const parseValidate = performance.now() - t1;
const t2 = performance.now();
const points = allChangePoints(file!);
const detect = performance.now() - t2;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
console.log(
  `${file!.runs.length} runs x ${file!.series.length} benchmarks: series.json ${mib(json.length)} (${json.length} bytes), gzip ${mib(gzipSync(json).length)}; valid: ${valid}`,
);
console.log(
  `append at the cap ${oneAppend.toFixed(0)} ms; parse + validate ${parseValidate.toFixed(0)} ms; change points over all series ${detect.toFixed(0)} ms (${points.length} found); building by ${runs} appends ${(built / 1000).toFixed(1)} s`,
);
