import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { formatGraph, importGraph, roomOf } from '../scripts/import-graph.ts';

const graph = importGraph();
/** The rooms that do I/O (docs/architecture.md, "Rules of the house"). */
const SHELLS = new Set(['action/', 'cli/', 'run/', 'github/', 'files/', 'main.ts', 'cli.ts', 'post.ts', 'index.ts']);

test('the loaders only read files: no import from files/ into run/', () => {
  const imports = graph.get('files/');
  assert.ok(imports && imports.length > 0, 'files/');
  assert.deepEqual(
    imports.filter((target) => target === 'run/'),
    [],
    'files/ imports run/',
  );
});

test('the pure core imports no shell, and common/ imports nothing of the project', () => {
  const pure = [...graph.keys()].filter((room) => !SHELLS.has(room));
  assert.ok(pure.includes('compare/') && pure.includes('formats/'));
  for (const room of pure) {
    assert.deepEqual(
      (graph.get(room) ?? []).filter((target) => SHELLS.has(target)),
      [],
      `${room} imports a shell`,
    );
  }
  assert.deepEqual(graph.get('common/'), []);
  assert.doesNotMatch(readFileSync('src/common/sample.ts', 'utf8'), /from '\./, 'common/sample.ts imports nothing');
});

test('common/log.ts (a shell: it writes the log) is imported by shell rooms only', () => {
  const importers = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => path.replaceAll('\\', '/'))
    .filter((path) => /from '[./]*(?:common\/)?log\.ts'/.test(readFileSync(`src/${path}`, 'utf8')))
    .map((path) => roomOf(`src/${path}`));
  assert.ok(importers.length > 0);
  assert.deepEqual(
    importers.filter((room) => !SHELLS.has(room) && room !== 'common/'),
    [],
  );
});

test("docs/architecture.md's import graph is the one the imports make (regenerate: node --import tsx scripts/import-graph.ts)", () => {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const block = /```\n(action\/[^`]*?)\n```/.exec(doc)?.[1];
  assert.ok(block, 'docs/architecture.md has no import-graph block starting with action/');
  assert.equal(block, formatGraph(graph));
});

test('no file in src/ is over 300 lines at printWidth 120 (generated ones aside)', () => {
  const long = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.generated.ts'))
    .map((path) => ({ path, lines: readFileSync(`src/${path}`, 'utf8').trimEnd().split('\n').length }))
    .filter(({ lines }) => lines > 300);
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

test('the top of src/ holds the entry points only (at most 4 files)', () => {
  const top = readdirSync('src').filter((name) => name.endsWith('.ts'));
  assert.ok(top.length <= 4, top.join(', '));
});

test("run/ takes build settings: it imports nothing of the action's inputs or the action layer, and never the token", () => {
  assert.deepEqual(
    (graph.get('run/') ?? []).filter((room) => room === 'action/' || room === 'config/'),
    [],
  );
  const mentions = readdirSync('src/run', { encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .filter((name) => /githubToken|ActionConfig|action-inputs/.test(readFileSync(`src/run/${name}`, 'utf8')));
  assert.deepEqual(mentions, []);
});

test("the action's entry reads like the pipeline: src/main.ts is at most 120 lines", () => {
  const lines = readFileSync('src/main.ts', 'utf8').trimEnd().split('\n').length;
  assert.ok(lines <= 120, `src/main.ts has ${lines} lines`);
});

test('the jobs are tested directly, not only through dist/: at least 3 test files import action/jobs/', () => {
  const importers = readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.ts'))
    .filter((path) => /src\/action\/jobs\//.test(readFileSync(`test/${path}`, 'utf8')));
  assert.ok(importers.length >= 3, importers.join(', '));
});

test('the Node suite stands on its own: nothing in native/sark-node/node-suite imports from src/', () => {
  const dir = 'native/sark-node/node-suite';
  const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
  assert.ok(files.length >= 4, files.join(', '));
  const intoSrc = files.flatMap((name) =>
    [...readFileSync(`${dir}/${name}`, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)]
      .map((match) => match[1] ?? '')
      .filter((spec) => spec.startsWith('.') && resolve(dir, spec).startsWith(resolve('src')))
      .map((spec) => `${name}: ${spec}`),
  );
  assert.deepEqual(intoSrc, []);
});
