/**
 * Criterion.rs's terminal report (what `cargo bench` prints):
 *   fib/iter/10             time:   [3.0731 ns 3.0853 ns 3.1003 ns]
 *                           thrpt:  [315.01 Melem/s 316.54 Melem/s 317.79 Melem/s]
 *                    change:
 *                           time:   [-2.0565% -0.2521% +1.6377%] (p = 0.79 > 0.05)
 *   Found 8 outliers among 100 measurements (8.00%)
 * An id longer than the 23-column name field is printed on a line of its own
 * and its `time:` line starts with blanks. The middle figure is Criterion's
 * typical estimate (the slope under linear sampling, else the mean) and the
 * brackets its confidence interval (95% unless the bench configured another
 * level). The text has no median and no samples: the estimate serves as both.
 * Change, outlier and progress lines are not read.
 */
import type { Benchmark, Throughput } from '../schema/types.ts';
import { metricForUnit } from '../schema/metric.ts';
import { nonEmpty, nsFactor, splitId, type FileOutcome } from './common.ts';

const NUMBER = String.raw`[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const VALUE = String.raw`(${NUMBER}) ?([^\s\]%]+)`;
const TRIPLE = String.raw`\[${VALUE} ${VALUE} ${VALUE}\]`;
const TIME = new RegExp(String.raw`^(.*?)\s*time:\s+${TRIPLE}\s*$`);
const THRPT = new RegExp(String.raw`^\s*thrpt:\s+${TRIPLE}\s*$`);
/** A time line of any kind, for detection and for warnings about lines TIME cannot read. */
export const CRITERION_TIME_LINE = new RegExp(String.raw`(?:^|\s)time:\s+\[${NUMBER} ?[^\s\]%]+ `, 'm');
// Colour codes, when the report was captured from a terminal.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Criterion's rate units: binary prefixes for Bytes, decimal for BytesDecimal and elements. */
const RATE: Readonly<Record<string, { kind: Throughput['kind']; perSecond: number }>> = {
  'B/s': { kind: 'bytes', perSecond: 1 },
  'KiB/s': { kind: 'bytes', perSecond: 1024 },
  'MiB/s': { kind: 'bytes', perSecond: 1024 ** 2 },
  'GiB/s': { kind: 'bytes', perSecond: 1024 ** 3 },
  'TiB/s': { kind: 'bytes', perSecond: 1024 ** 4 },
  'KB/s': { kind: 'bytes', perSecond: 1e3 },
  'MB/s': { kind: 'bytes', perSecond: 1e6 },
  'GB/s': { kind: 'bytes', perSecond: 1e9 },
  'TB/s': { kind: 'bytes', perSecond: 1e12 },
  'elem/s': { kind: 'elements', perSecond: 1 },
  'Kelem/s': { kind: 'elements', perSecond: 1e3 },
  'Melem/s': { kind: 'elements', perSecond: 1e6 },
  'Gelem/s': { kind: 'elements', perSecond: 1e9 },
};

/** Bytes or elements per iteration from the typical rate and time (both rounded to 5 digits when printed). */
function throughputOf(match: RegExpExecArray, typicalNs: number): Throughput | null {
  const rate = RATE[match[4] ?? ''];
  if (!rate) return null;
  const perIteration = Math.round(Number(match[3]) * rate.perSecond * (typicalNs / 1e9));
  return perIteration > 0 ? { kind: rate.kind, perIteration } : null;
}

export function readCriterionText(file: string, text: string): FileOutcome {
  const benchmarks: Benchmark[] = [];
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/).map((line) => line.replace(ANSI, '').trimEnd());
  let previous = '';
  lines.forEach((line, index) => {
    const match = TIME.exec(line);
    if (match) {
      const [, prefix = '', lo = '', loUnit = '', est = '', estUnit = '', hi = '', hiUnit = ''] = match;
      // The long-id layout: the id stands alone on the line before.
      const id = prefix.trim() === '' ? previous.trim() : prefix.trim();
      // All three in time units (they may differ: `999.1 ns 1.0002 µs`), or all in the measurement's own unit.
      const timed = nsFactor(estUnit) !== null;
      const factor = (unit: string) => (timed ? nsFactor(unit) : unit === estUnit ? 1 : null);
      const [fLo, fEst, fHi] = [factor(loUnit), factor(estUnit), factor(hiUnit)];
      if (id === '' || fLo === null || fEst === null || fHi === null) {
        warnings.push(
          `${file}: line ${index + 1} is not a Criterion result this reader understands; left out: ${line.trim().slice(0, 120)}`,
        );
      } else {
        const unit = nsFactor(estUnit) === null ? estUnit : 'ns';
        const typical = Number(est) * fEst;
        const thrpt = THRPT.exec(lines[index + 1] ?? '');
        benchmarks.push({
          id,
          ...splitId(id),
          metric: metricForUnit(unit),
          source: 'criterion',
          unit,
          direction: 'lower',
          estimates: {
            median: typical,
            mean: typical,
            stdDev: null,
            ci: { lower: Number(lo) * fLo, upper: Number(hi) * fHi, level: 0.95 },
          },
          throughput: thrpt && unit === 'ns' ? throughputOf(thrpt, typical) : null,
          samples: null,
        });
      }
    } else if (CRITERION_TIME_LINE.test(line)) {
      warnings.push(
        `${file}: line ${index + 1} is not a Criterion result this reader understands; left out: ${line.trim().slice(0, 120)}`,
      );
    }
    if (line.trim() !== '') previous = line;
  });
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
