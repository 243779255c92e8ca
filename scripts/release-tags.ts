// The tags a release moves: `node --import tsx scripts/release-tags.ts v1.2.3` checks the
// tag against package.json's version and prints the major tag to move (v1).
// Exit 2, one line, when the tag is not vX.Y.Z or not this version.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ReleaseTags = { ok: true; major: string } | { ok: false; reason: string };

export function releaseTags(tag: string, version: string): ReleaseTags {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!match) return { ok: false, reason: `tag '${tag}' is not vX.Y.Z (e.g. v1.2.3)` };
  if (tag !== `v${version}`)
    return {
      ok: false,
      reason: `tag '${tag}' is not package.json's version ${version}: bump it in a commit, then tag that commit`,
    };
  return { ok: true, major: `v${match[1]}` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const result = releaseTags(process.argv[2] ?? '', version);
  if (!result.ok) {
    console.error(`release-tags: ${result.reason}`);
    process.exit(2);
  }
  console.log(result.major);
}
