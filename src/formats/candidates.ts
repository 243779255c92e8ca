/**
 * For a JSON document of no known shape: which formats it is closest to, by
 * the keys each one needs, so the error can say what is missing and how to
 * force a format. Pure.
 */
import { isObject, type Json } from './common.ts';

interface Shape {
  format: string;
  /** Keys at the top level (or, for a list, of its first entry). */
  top: readonly string[];
  /** Keys of the first entry of `list`, when the format has one. */
  list?: string;
  entry?: readonly string[];
}

const SHAPES: readonly Shape[] = [
  { format: 'results', top: ['schemaVersion', 'run', 'benchmarks'] },
  { format: 'generic', top: ['benchmarks'], list: 'benchmarks', entry: ['id', 'unit', 'value'] },
  { format: 'pytest-benchmark', top: ['machine_info', 'benchmarks'], list: 'benchmarks', entry: ['fullname', 'stats'] },
  {
    format: 'google-benchmark',
    top: ['context', 'benchmarks'],
    list: 'benchmarks',
    entry: ['name', 'real_time', 'time_unit'],
  },
  { format: 'mitata', top: ['layout', 'benchmarks', 'context'] },
  { format: 'tinybench', top: ['tinybench'] },
  { format: 'hyperfine', top: ['results'], list: 'results', entry: ['command', 'times', 'mean'] },
  { format: 'customSmallerIsBetter', top: [], entry: ['name', 'unit', 'value'] },
  { format: 'jmh', top: [], entry: ['benchmark', 'mode', 'primaryMetric'] },
  {
    format: 'benchmarkdotnet',
    top: ['Title', 'Benchmarks'],
    list: 'Benchmarks',
    entry: ['FullName', 'Method', 'Statistics'],
  },
];

function keysOf(value: Json | undefined): Set<string> {
  return new Set(isObject(value) ? Object.keys(value) : []);
}

/** Share of a shape's keys the document has, and the ones it lacks. */
function fit(doc: Json, shape: Shape): { score: number; missing: string[] } {
  const top = keysOf(Array.isArray(doc) ? undefined : doc);
  const listed = Array.isArray(doc)
    ? doc
    : isObject(doc) && shape.list && Array.isArray(doc[shape.list])
      ? doc[shape.list]
      : undefined;
  const entry = keysOf(Array.isArray(listed) ? listed[0] : undefined);
  const wanted = [
    ...shape.top.map((k) => ({ k, have: top.has(k) })),
    ...(shape.entry ?? []).map((k) => ({ k: `${shape.list ? `${shape.list}[].` : '[].'}${k}`, have: entry.has(k) })),
  ];
  const have = wanted.filter((w) => w.have).length;
  return {
    score: wanted.length === 0 ? 0 : have / wanted.length,
    missing: wanted.filter((w) => !w.have).map((w) => w.k),
  };
}

/** Up to two closest formats, each with what it lacks, best first; empty when nothing fits at all. */
export function closestFormats(doc: Json): string[] {
  return SHAPES.map((shape) => ({ shape, ...fit(doc, shape) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 2)
    .map((c) => `${c.shape.format} (lacks ${c.missing.join(', ')})`);
}
