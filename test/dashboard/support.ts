/** A series file at the documented cap, built directly (appending 1,000 runs one by one is slow). */
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import type { SeriesFile } from '../../src/history/series.ts';

export function bigSeries(runs: number, benchmarks: number, seed = 1): SeriesFile {
  const rng = mulberry32(seed);
  return {
    seriesVersion: 1,
    runs: Array.from({ length: runs }, (_, i) => ({
      commit: (0x1000000 + i * 7919).toString(16).padEnd(40, '0'),
      timestamp: new Date(Date.UTC(2024, 0, 1) + i * 6 * 3_600_000).toISOString(),
      runner: 'GitHub Actions 12',
    })),
    series: Array.from({ length: benchmarks }, (_, b) => {
      const level = 10 ** (1 + (5 * b) / benchmarks);
      // Every tenth benchmark steps up 15% at 80% of the way; one is in bytes, higher is better.
      const stepAt = b % 10 === 0 ? Math.floor(runs * 0.8) : Infinity;
      const median = Array.from({ length: runs }, (_, i) =>
        Number((level * (i >= stepAt ? 1.15 : 1) * Math.exp(0.02 * normalDraw(rng))).toPrecision(5)),
      );
      return {
        id: `group_${b % 8}/bench_${b}${b === 3 ? '/</script><img src=x onerror=alert(1)>' : ''}`,
        metric: 'time',
        group: `group_${b % 8}`,
        unit: b === 7 ? 'B/s' : 'ns',
        direction: b === 7 ? ('higher' as const) : ('lower' as const),
        run: Array.from({ length: runs }, (_, i) => i),
        median,
        lower: median.map((m) => Number((m * 0.985).toPrecision(5))),
        upper: median.map((m) => Number((m * 1.015).toPrecision(5))),
      };
    }),
  };
}
