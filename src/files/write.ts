/**
 * Writing results and reports: atomically through a temporary file for a regular file, in place for a
 * device or a FIFO, through symlinks to their target, `-` to standard output.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../common/errors.ts';
import type { Results } from '../schema/types.ts';
import { formatIssues, validateResults } from '../schema/validate.ts';
import { reason } from './read.ts';

/**
 * Validates, then writes through a temporary file in the same directory and
 * renames it over `path`, so a crash never leaves a half-written file behind.
 */
export async function writeResults(path: string, results: Results): Promise<void> {
  const outcome = validateResults(results);
  if (!outcome.ok) throw new InputError(path, `refusing to write: ${formatIssues(outcome.issues)}`);
  await writeTextFile(path, `${JSON.stringify(outcome.value, null, 2)}\n`);
}

/** `-o -`: standard output. */
export const STDOUT_PATH = '-';

/** How many symlinks one path may pass through before it is refused, as the kernel's ELOOP limit. */
const MAX_SYMLINKS = 40;

/**
 * The file `path` names once its symlinks are followed (the last one may
 * dangle: that is the file to create), and what is there now.
 */
async function writeTarget(path: string): Promise<{ target: string; existing: Stats | null }> {
  let target = path;
  for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
    let info: Stats;
    try {
      info = await lstat(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target, existing: null };
      throw error;
    }
    if (!info.isSymbolicLink()) return { target, existing: info };
    // A relative link is read from the directory the link really sits in: its path may pass through another
    // symlink, and `..` from there is not `..` of the path as written.
    target = resolve(await realpath(dirname(target)), await readlink(target));
  }
  throw Object.assign(new Error(`more than ${MAX_SYMLINKS} symbolic links`), { code: 'ELOOP' });
}

/**
 * Writes `text` to `path` (`-` is standard output), creating parent
 * directories. A regular file (or a new one) is written through a temporary
 * file renamed over it, so a crash never leaves it half-written; a symlink is
 * followed first, so its target is written and the link stays. Anything else
 * (a device such as /dev/null, a FIFO) is written in place: a rename would
 * replace it with a regular file, and as root that breaks /dev/null for every
 * later program.
 */
export async function writeTextFile(path: string, text: string): Promise<void> {
  if (path === STDOUT_PATH) return writeStdout(text);
  let temp: string | null = null;
  try {
    const { target, existing } = await writeTarget(path);
    if (existing?.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
    if (existing !== null && !existing.isFile()) {
      await writeFile(target, text, 'utf8');
      return;
    }
    temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, target);
  } catch (error) {
    if (temp !== null) await rm(temp, { force: true });
    throw new InputError(path, `cannot write: ${reason(error)}`);
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((done, fail) => {
    process.stdout.write(text, (error) =>
      error ? fail(new InputError('standard output', `cannot write: ${reason(error)}`)) : done(),
    );
  });
}
