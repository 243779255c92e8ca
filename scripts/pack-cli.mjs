// Packs the bench-action CLI as an npm tarball: dist/cli.js and its bundle,
// which hold every dependency, with a package.json that names no dependency,
// so `npm install -g bench-action-X.Y.Z.tgz` needs no registry.
//   node scripts/pack-cli.mjs [out-dir]     prints the tarball's path
// The release workflow (.github/workflows/release.yml) attaches it to the release; docs/releasing.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const files = ['dist/cli.js', 'dist/bundle/cli.js', 'dist/bundle/cli.js.map', 'README.md'];
for (const file of files) {
  if (!existsSync(join(root, file))) {
    console.error(`pack-cli: ${file} is missing: run npm run bundle first.`);
    process.exit(2);
  }
}
const stage = mkdtempSync(join(tmpdir(), 'bench-action-pack-'));
mkdirSync(join(stage, 'dist', 'bundle'), { recursive: true });
for (const file of files) copyFileSync(join(root, file), join(stage, file));
const manifest = {
  name: pkg.name,
  version: pkg.version,
  description:
    'The bench-action CLI: benchmark results of many tools in one schema, compared with noise-aware statistics.',
  license: pkg.license,
  type: 'module',
  engines: pkg.engines,
  bin: { 'bench-action': 'dist/cli.js' },
  files: ['dist/'],
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
mkdirSync(out, { recursive: true });
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }),
);
console.log(join(out, packed.filename));
