/**
 * libtest bench output and Criterion's `--output-format bencher`:
 *   test fib/iter/10 ... bench:           3 ns/iter (+/- 3)
 *   test parse       ... bench:       1,234.56 ns/iter (+/- 56.7) = 830 MB/s
 * There are no samples; the single figure serves as median and mean and the
 * `+/-` (max - min of libtest's runs) is kept as the spread.
 */
import { InputError } from '../errors.ts';
import type { Benchmark, Throughput } from '../schema/types.ts';
import { nonEmpty, splitId } from './common.ts';

const LINE = /^test (.+?)\s+\.\.\. bench:\s+([\d,]+(?:\.\d+)?) ns\/iter \(\+\/- ([\d,]+(?:\.\d+)?)\)(?: = ([\d,]+(?:\.\d+)?) MB\/s)?\s*$/;

export const BENCHER_LINE_START = /^test .+ \.\.\. bench:/m;

function number(text: string): number {
  return Number(text.replaceAll(',', ''));
}

export function parseBencher(file: string, text: string): Benchmark[] {
  const benchmarks: Benchmark[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!line.startsWith('test ') || !line.includes(' ... bench:')) return;
    const match = LINE.exec(line);
    if (!match) throw new InputError(file, `unreadable bench line at line ${index + 1}`);
    const [, name = '', value = '', spread = '', mbPerSecond] = match;
    const ns = number(value);
    // libtest prints MB/s = bytes * 1000 / ns, so bytes per iteration comes back only approximately.
    const bytes = mbPerSecond === undefined ? 0 : Math.round((number(mbPerSecond) * ns) / 1000);
    const throughput: Throughput | null = bytes > 0 ? { kind: 'bytes', perIteration: bytes } : null;
    benchmarks.push({
      id: name,
      ...splitId(name),
      metric: 'time',
      source: 'libtest',
      unit: 'ns',
      direction: 'lower',
      estimates: { median: ns, mean: ns, stdDev: null, ci: null, spread: number(spread) },
      throughput,
      samples: null,
    });
  });
  return nonEmpty(file, benchmarks);
}
