import { existsSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A PATH of one temporary directory linking every tool the current PATH finds (the first of a name wins, as for the
 * shell) except those `hidden` names: a runner without them installed (no Rust toolchain, no Valgrind), for a test
 * that must show the action never reaches for them.
 */
export function pathWithout(hidden: (name: string) => boolean, label: string): string {
  const bin = mkdtempSync(join(tmpdir(), `bench-no${label}-`));
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '' || !existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
      if (hidden(name) || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}
