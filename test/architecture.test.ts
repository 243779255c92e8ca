import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

/** Every src/ module's relative imports (type-only ones too: they are arrows in the design). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const entry of readdirSync('src', { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const file = join('src', entry);
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map((match) => normalize(join(dirname(file), match[1] as string)));
    graph.set(file, targets);
  }
  return graph;
}

test('the loader only reads files: no import from load.ts into run/', () => {
  const imports = importGraph().get(join('src', 'load.ts'));
  assert.ok(imports && imports.length > 0);
  assert.deepEqual(
    imports.filter((target) => target.startsWith(join('src', 'run'))),
    [],
  );
});
