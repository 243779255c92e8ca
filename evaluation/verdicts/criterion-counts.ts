/**
 * The evaluation of instruction counts on public crates' plain Criterion
 * benches, rendered from what the runs recorded: each crate's record
 * (evaluation/verdicts/criterion-counts/<crate>.json) is written by
 * test/valgrind/criterion-counts-e2e.test.ts running the bundled action end to
 * end (evaluation/verdicts/record-criterion-counts.sh runs it per crate), and
 * every figure of the section comes from those records.
 * Pure: records in, markdown out.
 */
import { markdownTable } from 'markdown-table';

/** Where the section's prose (evaluation/verdicts/criterion-counts.md) takes the rendered records. */
export const RECORDS_MARKER = '<!-- rendered from evaluation/verdicts/criterion-counts/*.json -->';

/** One push or pull-request run of the action, as the e2e test saw it. */
export interface RecordedRun {
  seconds: number;
  /** The 1-minute load average when the run started and when it ended. */
  load: [number, number];
  /** The counting pass's own build and Valgrind seconds, from the action's log; null when it did not say. */
  counting: { build: number; valgrind: number } | null;
  /** Instruction counts by Criterion id. */
  counts: Record<string, number>;
  /** How many wall-time (Criterion) benchmarks the run measured. */
  wallTime: number;
}

export interface CountsRecord {
  crate: { name: string; version: string };
  /** The Criterion versions Cargo.lock locks. */
  criterion: string[];
  /** How the lock came to be, when the package ships none. */
  lockNote: string | null;
  change: { file: string; description: string };
  /** The benchmarks whose code the change is on; every other count must stay. */
  touched: string[];
  /** What ran it: date (UTC), bench-action's commit, Valgrind's and rustc's versions, the CPU. */
  recorded: { date: string; commit: string; valgrind: string; rustc: string; cpu: string };
  inputs: Record<string, string>;
  pushes: RecordedRun[];
  pr: RecordedRun & { code: number; verdict: string; firstLine: string };
}

export interface CrateEvaluation {
  record: CountsRecord;
  counted: number;
  /** Ids whose count differs between the two pushes of one commit. */
  aaMoved: string[];
  /** Each counted id's change from the second push to the pull request. */
  changes: Map<string, number>;
  touchedMoved: [string, number][];
  touchedStill: string[];
  untouchedMoved: [string, number][];
  untouched: number;
  failedOnCounts: boolean;
}

export function evaluateCrate(record: CountsRecord): CrateEvaluation {
  const [first, second] = record.pushes;
  const base = second?.counts ?? {};
  const aaMoved = Object.keys(first?.counts ?? {}).filter((id) => first?.counts[id] !== base[id]);
  const changes = new Map(
    Object.entries(record.pr.counts)
      .filter(([id]) => base[id] !== undefined)
      .map(([id, count]) => [id, count / (base[id] ?? 1) - 1] as const),
  );
  const touched = new Set(record.touched);
  const moved = [...changes].filter(([, change]) => change !== 0);
  return {
    record,
    counted: Object.keys(base).length,
    aaMoved,
    changes,
    touchedMoved: moved.filter(([id]) => touched.has(id)),
    touchedStill: record.touched.filter((id) => changes.get(id) === 0),
    untouchedMoved: moved.filter(([id]) => !touched.has(id)),
    untouched: [...changes.keys()].filter((id) => !touched.has(id)).length,
    failedOnCounts:
      record.pr.code === 1 && record.pr.verdict === 'regression' && /in instruction counts/.test(record.pr.firstLine),
  };
}

const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const load = ([from, to]: [number, number]) => `load ${from.toFixed(1)}-${to.toFixed(1)}`;

function runCost(name: string, run: RecordedRun): string {
  const counting = run.counting
    ? `; the counting pass in it: build ${run.counting.build} s, Valgrind ${run.counting.valgrind} s`
    : '';
  return `${name} ${run.seconds.toFixed(0)} s (${load(run.load)}${counting})`;
}

/** The section's table and per-crate lines, from the records. */
export function renderCriterionCounts(records: readonly CountsRecord[]): string {
  const evaluations = records.map(evaluateCrate);
  const table = markdownTable([
    [
      'Crate (crates.io)',
      'Criterion (Cargo.lock)',
      'Benchmarks counted',
      'A/A: counts that moved',
      'Injected change',
      'Counts it moved',
      'Untouched counts moved',
      'Pull request',
    ],
    ...evaluations.map((e) => {
      const r = e.record;
      const still = e.touchedStill.length > 0 ? ` (unmoved on its path: ${e.touchedStill.join(', ')})` : '';
      return [
        `${r.crate.name} ${r.crate.version}`,
        r.criterion.join(', ') + (r.lockNote ? ` (${r.lockNote})` : ''),
        `${e.counted} of ${r.pushes[1]?.wallTime ?? e.counted}`,
        `${e.aaMoved.length} of ${e.counted}`,
        cell(`\`${r.change.file}\`: ${r.change.description}`),
        cell(`${e.touchedMoved.map(([id, c]) => `${id} ${percent(c)}`).join(', ') || 'none'}${still}`),
        `${e.untouchedMoved.length} of ${e.untouched}`,
        cell(
          `${e.failedOnCounts ? '**failed on counts**' : `**not failed on counts** (exit ${r.pr.code}, verdict ${r.pr.verdict})`}: "${r.pr.firstLine}"`,
        ),
      ];
    }),
  ]);
  const lines = evaluations.map((e) => {
    const r = e.record;
    const runs = [...r.pushes.map((p, i) => runCost(`push ${i + 1}`, p)), runCost('pull request', r.pr)];
    return `- ${r.crate.name} ${r.crate.version}: recorded ${r.recorded.date} at bench-action ${r.recorded.commit} on ${r.recorded.cpu}, ${r.recorded.valgrind}, ${r.recorded.rustc}, inputs ${Object.entries(
      r.inputs,
    )
      .map(([k, v]) => `\`${k}: ${v}\``)
      .join(', ')}; ${runs.join(', ')}.`;
  });
  return `${table}\n\nPer crate, what ran it and what each run of the action cost (wall-clock seconds of the whole run, on a shared machine, with its load):\n\n${lines.join('\n')}\n`;
}
