/**
 * Instruction counts of plain Criterion benchmarks, from bench-action's
 * Criterion-compatible harness (harness/criterion) run under Callgrind
 * (src/run/criterion-counts.ts). Each bench binary leaves one directory:
 * - `manifest.jsonl`, the harness's events in order: `start` (id), then
 *   `counted` (id, the dump's tag, the measured calls) or `skipped` (id,
 *   reason); the runner appends `exit` (how the process ended, the bench's
 *   name) when it did not end cleanly, so a benchmark started and never
 *   finished is named, and a death outside any benchmark keeps its cause;
 * - Callgrind's dumps `callgrind.out.N`, one per counted benchmark, whose
 *   `desc: Trigger: Client Request: <tag>` names it and whose `summary:`
 *   (or `totals:`) is the count over all its measured calls.
 * The count is instructions per call (summary / calls), the id Criterion's
 * own, so wall time and count share one row. Pure.
 */
import { InputError } from '../common/errors.ts';
import { INSTRUCTIONS_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
import { isObject, splitId, type Json } from './common.ts';

export const MANIFEST_FILE = 'manifest.jsonl';

/** A Callgrind dump file of the harness's runs, by its name. */
export function isCallgrindDump(name: string): boolean {
  return /^callgrind\.out(\.\d+)+$/.test(name);
}

export interface CallgrindDump {
  /** The client request's tag (`bench-action:N`), or null for a dump at exit. */
  tag: string | null;
  total: number;
}

/** The trigger tag and the total Ir of one dump (only its header is needed). */
export function parseCallgrindDump(file: string, text: string): CallgrindDump {
  let tag: string | null = null;
  let total: number | null = null;
  for (const line of text.split('\n')) {
    const trigger = /^desc: Trigger: Client Request: (.*)$/.exec(line);
    if (trigger) tag = (trigger[1] ?? '').trim();
    const sum = /^(?:summary|totals):\s*(\d+)/.exec(line);
    if (sum && total === null) total = Number(sum[1]);
    if (tag !== null && total !== null) break;
  }
  if (total === null) throw new InputError(file, 'not a Callgrind dump (no summary: or totals: line)');
  return { tag, total };
}

export interface Uncounted {
  id: string;
  reason: string;
}

/** A bench binary that lost the benchmarks it did not reach, and why (one line). */
export interface LostBench {
  bench: string;
  reason: string;
  /** The benchmark it died in, which has its own reason already. */
  in?: string;
}

export interface CriterionCounts {
  benchmarks: Benchmark[];
  /** Benchmarks the harness reached and could not count, each with why. */
  uncounted: Uncounted[];
  /** Damaged manifest lines and dumps, skipped (only the benchmarks they concern lose their counts). */
  problems: string[];
  /** Bench binaries that died outside any benchmark: the ones after it were never reached. */
  lost: LostBench[];
}

type ManifestEvent =
  | { event: 'start'; id: string }
  | { event: 'counted'; id: string; dump: string; iterations: number; valgrind: boolean }
  | { event: 'skipped'; id: string; reason: string }
  | {
      event: 'exit';
      detail: string;
      bench: string | null;
      /** Stopped at a time limit, not dead of itself. */ stopped: boolean;
    };

function parseEvent(file: string, line: string, n: number): ManifestEvent {
  let doc: Json;
  try {
    doc = JSON.parse(line) as Json;
  } catch {
    throw new InputError(file, `line ${n} is not JSON; the harness writes one event per line`);
  }
  const bad = (what: string) => new InputError(file, `line ${n}: ${what}`);
  if (!isObject(doc) || typeof doc.event !== 'string') throw bad('no "event"');
  const id = typeof doc.id === 'string' ? doc.id : null;
  switch (doc.event) {
    case 'start':
      if (id === null) throw bad('a start without an id');
      return { event: 'start', id };
    case 'counted': {
      const iterations = doc.iterations;
      if (id === null || typeof doc.dump !== 'string' || typeof iterations !== 'number' || !(iterations > 0))
        throw bad('a counted event needs id, dump and iterations > 0');
      return { event: 'counted', id, dump: doc.dump, iterations, valgrind: doc.valgrind === true };
    }
    case 'skipped':
      if (id === null || typeof doc.reason !== 'string') throw bad('a skipped event needs id and reason');
      return { event: 'skipped', id, reason: doc.reason };
    case 'exit':
      return {
        event: 'exit',
        detail: typeof doc.detail === 'string' ? doc.detail : 'it did not end cleanly',
        stopped: doc.stopped === true,
        bench: typeof doc.bench === 'string' ? doc.bench : null,
      };
    default:
      throw bad(`unknown event '${doc.event}'`);
  }
}

function entry(id: string, count: number): Benchmark {
  return {
    id,
    metric: INSTRUCTIONS_METRIC,
    ...splitId(id),
    source: 'criterion-callgrind',
    unit: 'instructions',
    direction: 'lower',
    estimates: { median: count, mean: count, stdDev: null, ci: null },
    throughput: null,
    samples: null,
  };
}

/**
 * One bench binary's manifest and its dumps' totals (by tag) as counts and
 * reasons. `file` names the manifest in errors.
 */
export function readCriterionCounts(
  file: string,
  manifest: string,
  totals: ReadonlyMap<string, number>,
): CriterionCounts {
  const benchmarks: Benchmark[] = [];
  const uncounted: Uncounted[] = [];
  const problems: string[] = [];
  const lost: LostBench[] = [];
  let open: string | null = null;
  for (const [i, line] of manifest.split('\n').entries()) {
    if (line.trim() === '') continue;
    let event: ManifestEvent;
    try {
      event = parseEvent(file, line, i + 1);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
      if (open !== null) uncounted.push({ id: open, reason: `its manifest line ${i + 1} could not be read` });
      open = null;
      continue;
    }
    if (event.event === 'start') {
      open = event.id;
    } else if (event.event === 'exit') {
      const bench = event.bench ?? file;
      const ended = event.stopped ? 'was stopped under Valgrind' : 'died under Valgrind';
      if (open !== null) {
        uncounted.push({ id: open, reason: `the bench binary ${ended} in it (${event.detail})` });
        lost.push({ bench, reason: `${ended} in ${open} (${event.detail})`, in: open });
      } else lost.push({ bench, reason: `${ended} outside any benchmark (${event.detail})` });
      open = null;
    } else if (event.event === 'skipped') {
      uncounted.push({ id: event.id, reason: event.reason });
      open = null;
    } else {
      open = null;
      const total = totals.get(event.dump);
      if (!event.valgrind || total === undefined) {
        uncounted.push({
          id: event.id,
          reason: event.valgrind ? `no readable Callgrind dump '${event.dump}'` : 'it did not run under Valgrind',
        });
      } else if (total === 0) {
        uncounted.push({ id: event.id, reason: 'Callgrind counted 0 instructions (collection never turned on)' });
      } else {
        benchmarks.push(entry(event.id, Math.round((total / event.iterations) * 100) / 100));
      }
    }
  }
  // A start with no end and no exit line: the process was stopped from outside (a timeout).
  if (open !== null) uncounted.push({ id: open, reason: 'the bench binary stopped in it under Valgrind' });
  return { benchmarks, uncounted, problems, lost };
}

/**
 * A directory of the runner's output: one subdirectory per bench binary with
 * its manifest and dumps, keyed by '/'-separated relative path.
 */
export function parseCriterionCountsDir(dir: string, files: ReadonlyMap<string, string>): CriterionCounts {
  const problems: string[] = [];
  const benches = new Map<string, { manifest?: string; totals: Map<string, number> }>();
  const at = (sub: string) => {
    let bench = benches.get(sub);
    if (!bench) benches.set(sub, (bench = { totals: new Map() }));
    return bench;
  };
  for (const [rel, text] of files) {
    const slash = rel.lastIndexOf('/');
    const sub = slash === -1 ? '' : rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    if (name === MANIFEST_FILE) at(sub).manifest = text;
    else if (isCallgrindDump(name)) {
      try {
        const dump = parseCallgrindDump(`${dir}/${rel}`, text);
        if (dump.tag !== null) at(sub).totals.set(dump.tag, dump.total);
      } catch (error) {
        // Its benchmark (named by the manifest) is left without a count.
        if (!(error instanceof InputError)) throw error;
        problems.push(error.message);
      }
    }
  }
  const out: CriterionCounts = { benchmarks: [], uncounted: [], problems, lost: [] };
  for (const [sub, bench] of [...benches].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (bench.manifest === undefined) continue;
    const part = readCriterionCounts(`${dir}/${sub}/${MANIFEST_FILE}`, bench.manifest, bench.totals);
    out.benchmarks.push(...part.benchmarks);
    out.uncounted.push(...part.uncounted);
    out.problems.push(...part.problems);
    out.lost.push(...part.lost);
  }
  return out;
}
