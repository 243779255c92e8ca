// No .NET SDK can be installed here (no Microsoft package feed is reachable),
// so there is no fixture from a real BenchmarkDotNet run: these documents are
// written by hand in the shape of BenchmarkDotNet's JSON exporter (full export:
// Statistics, Measurements with IterationMode/IterationStage, Metrics with
// descriptors) and test the reading rules on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFormat, parseInput } from '../../src/formats/index.ts';

function measurement(mode: string, stage: string, index: number, operations: number, nanoseconds: number) {
  return {
    IterationMode: mode,
    IterationStage: stage,
    LaunchIndex: 1,
    IterationIndex: index,
    Operations: operations,
    Nanoseconds: nanoseconds,
  };
}

const RESULT_NS = [400_000, 410_000, 390_000, 420_000, 405_000];
const FULL = {
  Title: 'Sample.Benchmarks-20260101-000000',
  HostEnvironmentInfo: { BenchmarkDotNetVersion: '0.14.0' },
  Benchmarks: [
    {
      DisplayInfo: 'Benchmarks.Fib: DefaultJob [N=10]',
      Namespace: 'Sample',
      Type: 'Benchmarks',
      Method: 'Fib',
      MethodTitle: 'Fib',
      Parameters: 'N=10',
      FullName: 'Sample.Benchmarks.Fib(N: 10)',
      Memory: {
        Gen0Collections: 0,
        Gen1Collections: 0,
        Gen2Collections: 0,
        TotalOperations: 80000,
        BytesAllocatedPerOperation: 24,
      },
      Statistics: {
        N: 5,
        Min: 24.4,
        Median: 25.3125,
        Mean: 25.625,
        StandardDeviation: 0.5,
        OriginalValues: [25, 25.625, 24.375, 26.25, 25.3125],
      },
      Measurements: [
        measurement('Overhead', 'Jitting', 1, 1, 300_000),
        measurement('Workload', 'Pilot', 1, 16_000, 401_000),
        measurement('Workload', 'Warmup', 1, 16_000, 402_000),
        measurement('Workload', 'Actual', 1, 16_000, 410_000),
        ...RESULT_NS.map((ns, i) => measurement('Workload', 'Result', i + 1, 16_000, ns)),
      ],
      Metrics: [
        {
          Value: 24,
          Descriptor: {
            Id: 'Allocated Memory',
            DisplayName: 'Allocated',
            Legend: 'Allocated memory per single operation',
            NumberFormat: '0.##',
            UnitType: 2,
            Unit: 'B',
            TheGreaterTheBetter: false,
            PriorityInCategory: 0,
          },
        },
        {
          Value: 1.5,
          Descriptor: {
            Id: 'Completed Work Items',
            DisplayName: 'Completed Work Items',
            Legend: 'The number of work items processed',
            NumberFormat: '#0.0000',
            UnitType: 0,
            Unit: 'Count',
            TheGreaterTheBetter: false,
            PriorityInCategory: 0,
          },
        },
      ],
    },
    {
      FullName: 'Sample.Benchmarks.Broken',
      Namespace: 'Sample',
      Type: 'Benchmarks',
      Method: 'Broken',
      Statistics: null,
    },
  ],
};

test('BenchmarkDotNet full export: FullName ids, the workload result stage as samples, Metrics with their unit and direction', () => {
  const text = JSON.stringify(FULL);
  assert.equal(detectFormat({ kind: 'file', path: 'r.json', text }), 'benchmarkdotnet');
  const parsed = parseInput({ kind: 'file', path: 'r.json', text });
  assert.ok(parsed.format === 'benchmarkdotnet');
  const time = parsed.benchmarks.find((b) => b.metric === 'time')!;
  assert.equal(time.id, 'Sample.Benchmarks.Fib(N: 10)');
  // Only the Result stage, per operation; Jitting, Pilot, Warmup and Actual are not samples.
  assert.deepEqual(
    time.samples,
    RESULT_NS.map((ns) => ns / 16_000),
  );
  assert.deepEqual(time.estimates, { median: 25.3125, mean: 25.625, stdDev: 0.5, ci: null });
  assert.deepEqual([time.unit, time.direction, time.source], ['ns', 'lower', 'benchmarkdotnet']);
  assert.deepEqual(
    parsed.benchmarks
      .filter((b) => b.metric !== 'time')
      .map((b) => [b.metric, b.unit, b.direction, b.estimates.median]),
    [
      ['Allocated Memory', 'B', 'lower', 24],
      ['Completed Work Items', 'Count', 'lower', 1.5],
    ],
  );
  // A benchmark that did not run is left out with a warning, not a lost file.
  assert.deepEqual(parsed.warnings, [
    "r.json: benchmark 'Sample.Benchmarks.Broken' has no Statistics (it did not run); left out",
  ]);
});

test('BenchmarkDotNet brief export (no Measurements): OriginalValues are the samples; without FullName the id is built from its parts', () => {
  const entry = FULL.Benchmarks[0]!;
  const brief = {
    ...FULL,
    Benchmarks: [
      { Namespace: 'Sample', Type: 'Benchmarks', Method: 'Fib', Parameters: 'N=10', Statistics: entry.Statistics },
    ],
  };
  const parsed = parseInput({ kind: 'file', path: 'b.json', text: JSON.stringify(brief) });
  assert.ok(parsed.format === 'benchmarkdotnet');
  assert.deepEqual(
    parsed.benchmarks.map((b) => [b.id, b.samples]),
    [['Sample.Benchmarks.Fib(N=10)', entry.Statistics!.OriginalValues]],
  );
});
