/**
 * Benchmark.js text: what `String(benchmark)` prints, one line per benchmark,
 * as its README's `.on('cycle', e => console.log(String(e.target)))` does:
 *   fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)
 * The figure is `hz` (operations per second, 1 / the mean time of the
 * sampled runs), kept as a rate that is better higher, unit `ops/sec` as
 * github-action-benchmark names it. `±X%` is Benchmark.js's relative margin
 * of error of that mean at 95%; it becomes the interval hz / (1 ± X/100).
 * The text has no median and no samples: the figure serves as both median
 * and mean. Names are kept whole (a name may itself contain " x ").
 */
import type { Benchmark } from '../schema/types.ts';
import { nonEmpty, splitId, type FileOutcome } from './common.ts';

const LINE = /^(.+) x ([\d,]+(?:\.\d+)?) ops\/sec (?:±|\+-|\+\/-) ?(\d+(?:\.\d+)?)% \((\d+) runs? sampled\)$/;
/** Any line that looks like a result, for warnings when LINE does not match it. */
const LOOKS_LIKE = /\bops\/sec\b.*\bsampled\)\s*$/;
export const BENCHMARKJS_LINE =
  /^.+ x [\d,]+(?:\.\d+)? ops\/sec (?:±|\+-|\+\/-) ?\d+(?:\.\d+)?% \(\d+ runs? sampled\)\r?$/m;
export const BENCHMARKJS_UNIT = 'ops/sec';

function benchmark(name: string, hz: number, rme: number): Benchmark {
  const r = rme / 100;
  return {
    id: name,
    ...splitId(name),
    metric: BENCHMARKJS_UNIT,
    source: 'benchmarkjs',
    unit: BENCHMARKJS_UNIT,
    direction: 'higher',
    estimates: {
      median: hz,
      mean: hz,
      stdDev: null,
      // The margin is of the mean time; 1/x maps that interval onto the rate.
      ci: r < 1 ? { lower: hz / (1 + r), upper: hz / (1 - r), level: 0.95 } : null,
    },
    throughput: null,
    samples: null,
  };
}

export function readBenchmarkJs(file: string, text: string): FileOutcome {
  const benchmarks: Benchmark[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const match = LINE.exec(line);
    if (match) {
      const [, name = '', hz = '', rme = ''] = match;
      benchmarks.push(benchmark(name.trim(), Number(hz.replaceAll(',', '')), Number(rme)));
    } else if (LOOKS_LIKE.test(line)) {
      warnings.push(
        `${file}: line ${index + 1} is not a Benchmark.js result this reader understands; left out: ${line.slice(0, 120)}`,
      );
    }
  });
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
