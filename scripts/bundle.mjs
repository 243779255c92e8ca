// Bundles the action and the CLI into dist/ (committed, as the Actions
// toolkit's template does). Deterministic: same sources, same bytes.
//
// Each entry point is bundled to dist/bundle/<name>.js with a source map, and
// dist/<name>.js is a two-line loader that turns source maps on before it
// imports the bundle: Node reads a file's source map only if maps were enabled
// when the file was loaded, so a crash in a user's log points at src/.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const entries = {
  index: 'src/index.ts', // the action's main step
  post: 'src/post.ts', // the action's post step: saves the cargo cache
  cli: 'src/cli.ts', // the bench-action command
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Mappings only: a stack trace needs positions, not a copy of every source.
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // Worktrees link node_modules from another checkout; resolving through the link would put that checkout's path into
  // dist/.
  preserveSymlinks: true,
  logLevel: 'warning',
  // jsonc-parser's main is a UMD build whose require() calls esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // Some toolkit dependencies are CommonJS and call require() on node builtins.
  banner: {
    js: "import { createRequire as __benchCreateRequire } from 'node:module';\nconst require = __benchCreateRequire(import.meta.url);",
  },
});
mkdirSync('dist', { recursive: true });
for (const name of Object.keys(entries)) {
  const shebang = name === 'cli' ? '#!/usr/bin/env node\n' : '';
  writeFileSync(
    `dist/${name}.js`,
    `${shebang}process.setSourceMapsEnabled(true);\nawait import('./bundle/${name}.js');\n`,
  );
  if (shebang) chmodSync(`dist/${name}.js`, 0o755);
}
