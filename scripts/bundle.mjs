// Bundles the action and the CLI into dist/ (committed, as the Actions
// toolkit's template does). Deterministic: same sources, same bytes.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const entries = {
  index: 'src/index.ts',
  cli: 'src/cli.ts',
};
// post.ts (cache save) exists once the action grows a post step.
if (readdirSync('src').includes('post.ts')) entries.post = 'src/post.ts';

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some toolkit dependencies are CommonJS and call require() on node builtins.
  banner: {
    js: "import { createRequire as __benchCreateRequire } from 'node:module';\nconst require = __benchCreateRequire(import.meta.url);",
  },
});
