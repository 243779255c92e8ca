/**
 * libtest bench output and Criterion's `--output-format bencher`:
 *   test fib/iter/10 ... bench:           3 ns/iter (+/- 3)
 *   test parse       ... bench:       1,234.56 ns/iter (+/- 56.7) = 830 MB/s
 *   test cmov        ... bench:        2835 cycles/iter (+/- 14)
 *   test upload      ... bench:        1911 MS/s (+/- 420)
 * There are no samples; the single figure serves as median and mean. The two
 * writers mean different things by `+/-`: libtest (and the `bencher` crate)
 * print max - min of their runs, Criterion prints the standard deviation. A
 * libtest block opens with `running N tests` and closes with `test result:`;
 * a line outside such a block is Criterion's.
 */
import { InputError } from '../common/errors.ts';
import type { Benchmark, Direction, Throughput } from '../schema/types.ts';
import { metricForUnit } from '../schema/metric.ts';
import { nonEmpty, nsFactor, splitId, type FileOutcome } from './common.ts';

const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)`;
const LINE = new RegExp(
  String.raw`^test (.+?)\s+\.\.\. bench:\s+${NUMBER} (\S+) \(\+\/- ${NUMBER}\)(?: = ${NUMBER} MB\/s)?\s*$`,
);
const LIBTEST_START = /^running \d+ tests?$/;
const LIBTEST_END = /^test result:/;
/** Criterion prints this instead of a figure when a benchmark fails. */
const FAILED = /^test (.+?) \.\.\. .*\bERROR\b/;

export const BENCHER_LINE_START = /^test .+ \.\.\. bench:/m;

function number(text: string): number {
  return Number(text.replaceAll(',', ''));
}

/** `cycles/iter` is per iteration like `ns/iter`; a rate such as `MS/s` is better when higher. */
function unitOf(printed: string): { unit: string; factor: number | null; direction: Direction } {
  const unit = printed.endsWith('/iter') ? printed.slice(0, -'/iter'.length) : printed;
  const factor = nsFactor(unit);
  const direction: Direction = factor === null && /\/s(?:ec)?$/.test(unit) ? 'higher' : 'lower';
  return { unit: factor === null ? unit : 'ns', factor, direction };
}

function benchmark(match: RegExpExecArray, libtest: boolean): Benchmark {
  const [, name = '', value = '', printedUnit = '', plusMinus = '', mbPerSecond] = match;
  const { unit, factor, direction } = unitOf(printedUnit);
  const typical = number(value) * (factor ?? 1);
  const spread = number(plusMinus) * (factor ?? 1);
  // libtest prints MB/s = bytes * 1000 / ns, so bytes per iteration comes back only approximately.
  const bytes = mbPerSecond === undefined || factor === null ? 0 : Math.round((number(mbPerSecond) * typical) / 1000);
  const throughput: Throughput | null = bytes > 0 ? { kind: 'bytes', perIteration: bytes } : null;
  return {
    id: name,
    ...splitId(name),
    metric: metricForUnit(unit),
    source: libtest ? 'libtest' : 'criterion',
    unit,
    direction,
    estimates: { median: typical, mean: typical, stdDev: libtest ? null : spread, ci: null, spread },
    throughput,
    samples: null,
  };
}

/** Reads every result line; unreadable ones become warnings so one bad line loses only itself. */
export function readBencher(file: string, text: string): FileOutcome {
  const benchmarks: Benchmark[] = [];
  const warnings: string[] = [];
  let libtest = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (LIBTEST_START.test(line)) libtest = true;
    else if (LIBTEST_END.test(line)) libtest = false;
    if (!line.startsWith('test ')) return;
    const match = LINE.exec(line);
    if (match) benchmarks.push(benchmark(match, libtest));
    else if (line.includes(' ... bench:'))
      warnings.push(
        `${file}: line ${index + 1} is not a bench result this reader understands; left out: ${line.slice(0, 120)}`,
      );
    else {
      const failed = FAILED.exec(line);
      if (failed)
        warnings.push(
          `${file}: benchmark '${failed[1] ?? ''}' reported an error instead of a figure (line ${index + 1}); left out`,
        );
    }
  });
  if (benchmarks.length === 0 && warnings.length > 0) {
    throw new InputError(file, `no readable bench lines (${warnings[0]?.slice(file.length + 2)})`);
  }
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}

export function parseBencher(file: string, text: string): Benchmark[] {
  return readBencher(file, text).benchmarks;
}
