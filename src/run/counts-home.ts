/**
 * Reads the counting pass's output directory (shell): one subdirectory per
 * bench binary with the harness's manifest and Callgrind's dumps, of which
 * only the header is read (the counts sit in its first lines). A file that
 * cannot be read is a problem for its own bench, not the pass.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import {
  isCallgrindDump,
  MANIFEST_FILE,
  parseCriterionCountsDir,
  type CriterionCounts,
} from '../formats/criterion-callgrind.ts';

const HEAD_BYTES = 64 * 1024;

/** A dump's first bytes. */
function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function readCountsHome(home: string): { counts: CriterionCounts; problems: string[] } {
  const files = new Map<string, string>();
  const problems: string[] = [];
  for (const sub of existsSync(home) ? readdirSync(home) : []) {
    for (const name of readdirSync(join(home, sub))) {
      const path = join(home, sub, name);
      try {
        if (name === MANIFEST_FILE) files.set(`${sub}/${name}`, readFileSync(path, 'utf8'));
        else if (isCallgrindDump(name)) files.set(`${sub}/${name}`, readHead(path));
      } catch (error) {
        problems.push(`${path}: could not be read (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }
  const counts = parseCriterionCountsDir(home, files);
  return { counts, problems: [...problems, ...counts.problems] };
}
