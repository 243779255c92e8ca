import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatGraph, importGraph } from '../scripts/import-graph.ts';

const graph = importGraph();
/** The rooms that do I/O (docs/architecture.md, "Rules of the house"). */
const SHELLS = new Set([
  'run/',
  'github/',
  'load.ts',
  'load-series.ts',
  'main.ts',
  'sharded.ts',
  'cli.ts',
  'post.ts',
  'index.ts',
  'log.ts',
  'confirmation.ts',
]);

test('the loaders only read files: no import from load.ts or load-series.ts into run/', () => {
  for (const loader of ['load.ts', 'load-series.ts']) {
    const imports = graph.get(loader);
    assert.ok(imports && imports.length > 0, loader);
    assert.deepEqual(
      imports.filter((target) => target === 'run/'),
      [],
      `${loader} imports run/`,
    );
  }
});

test('the pure core imports no shell, and sample.ts imports nothing of the project', () => {
  const pure = [...graph.keys()].filter((room) => !SHELLS.has(room));
  assert.ok(pure.includes('compare/') && pure.includes('formats/'));
  for (const room of pure) {
    assert.deepEqual(
      (graph.get(room) ?? []).filter((target) => SHELLS.has(target)),
      [],
      `${room} imports a shell`,
    );
  }
  assert.deepEqual(graph.get('sample.ts'), []);
});

test("docs/architecture.md's import graph is the one the imports make (regenerate: node --import tsx scripts/import-graph.ts)", () => {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const block = /```\n(analyze\.ts[^`]*?)\n```/.exec(doc)?.[1];
  assert.ok(block, 'docs/architecture.md has no import-graph block starting with analyze.ts');
  assert.equal(block, formatGraph(graph));
});

test('no file in src/ is over 400 lines (generated ones aside)', () => {
  const long = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.generated.ts'))
    .map((path) => ({ path, lines: readFileSync(`src/${path}`, 'utf8').trimEnd().split('\n').length }))
    .filter(({ lines }) => lines > 400);
  assert.deepEqual(long, []);
});

test('docs/architecture.md names every module in src/ with its job', () => {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const missing = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => path.replaceAll('\\', '/'))
    .filter((path) => !doc.includes(`| \`${path}\` |`));
  assert.deepEqual(missing, []);
});
