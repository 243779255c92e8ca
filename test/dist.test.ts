import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('dist/ ships source maps that point at src/, and its entry points turn them on', () => {
  for (const [name, source] of [
    ['index', '../../src/index.ts'],
    ['post', '../../src/post.ts'],
    ['cli', '../../src/cli.ts'],
  ] as const) {
    const loader = readFileSync(`dist/${name}.js`, 'utf8');
    assert.match(loader, /process\.setSourceMapsEnabled\(true\);\nawait import\('\.\/bundle\//);
    assert.match(
      readFileSync(`dist/bundle/${name}.js`, 'utf8'),
      new RegExp(`//# sourceMappingURL=${name}\\.js\\.map\\n$`),
    );
    const map = JSON.parse(readFileSync(`dist/bundle/${name}.js.map`, 'utf8')) as { sources: string[] };
    assert.ok(map.sources.includes(source), `${name}.js.map lacks ${source}`);
  }
});
