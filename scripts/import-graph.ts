// Prints which src/ rooms (a folder, or a top-level file) import which, from
// the import statements themselves: docs/architecture.md's "Who imports whom"
// is this output, and test/architecture.test.ts checks the layering rules on it.
//   node --import tsx scripts/import-graph.ts
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

/** The room of a path below src/: its first folder (with a slash), else the file. */
export function roomOf(path: string): string {
  const [, first = path, second] = normalize(path).split(sep);
  return second === undefined ? first : `${first}/`;
}

/** room -> sorted rooms it imports (relative imports, type-only ones included). */
export function importGraph(root = 'src'): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!entry.endsWith('.ts')) continue;
    const file = join(root, entry);
    const text = readFileSync(file, 'utf8');
    const from = roomOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const match of text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
      const to = roomOf(join(dirname(file), match[1] ?? ''));
      if (to !== from) targets.add(to);
    }
  }
  return new Map(
    [...graph].sort(([a], [b]) => a.localeCompare(b)).map(([room, targets]) => [room, [...targets].sort()]),
  );
}

/** The graph as docs/architecture.md shows it: one line per room. */
export function formatGraph(graph: Map<string, string[]>): string {
  return [...graph].map(([room, targets]) => `${room.padEnd(16)} → ${targets.join(', ') || '(nothing)'}`).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatGraph(importGraph()));
