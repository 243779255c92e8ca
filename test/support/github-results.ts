import { SCHEMA_VERSION, type Results } from '../../src/schema/types.ts';

/** A small valid results document stamped with a commit and time (GitHub tests' fixture). */
export function resultsAt(commit: string, timestamp: string, median = 100): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: '0.1.0' },
      commit,
      ref: 'refs/heads/main',
      timestamp,
      runner: null,
      versions: {},
    },
    benchmarks: [
      {
        id: 'opa/eval',
        metric: 'time',
        group: 'opa',
        function: 'eval',
        parameter: null,
        source: 'criterion',
        unit: 'ns',
        direction: 'lower',
        estimates: { median, mean: median, stdDev: 1, ci: null },
        throughput: null,
        samples: null,
      },
    ],
  };
}
