/**
 * Files a step changes in the user's checkout, put back byte for byte when
 * the step ends, whichever way it ends: normally, by an error, or by the
 * runner cancelling the job (SIGTERM, then SIGKILL a few seconds later; SIGINT
 * from a terminal). On a signal the step's children are killed first (so a
 * build cannot write the file again after it is restored), the files are
 * restored, and the signal is raised again so the process ends as it would
 * have. Used for Cargo.lock around the counting harness's patched build.
 */
import {
  closeSync,
  constants,
  lstatSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  openSync,
} from 'node:fs';
import type { Stats } from 'node:fs';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
/** How long a killed child gets to go before the files are restored a second time. */
const CHILD_GRACE_MS = 1500;

/** What was at a path: a regular file (bytes and mode), a symlink (its text), nothing, or something we never touch. */
type Saved =
  | { kind: 'file'; bytes: Buffer; mode: number }
  | { kind: 'link'; target: string }
  | { kind: 'none' }
  | { kind: 'other' };

function stat(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

// lstat first: a FIFO or device is never read (a read could block the signal handler forever).
function save(path: string): Saved {
  const st = stat(path);
  if (st === null) return { kind: 'none' };
  if (st.isSymbolicLink()) return { kind: 'link', target: readlinkSync(path) };
  if (st.isFile()) return { kind: 'file', bytes: readFileSync(path), mode: st.mode & 0o7777 };
  return { kind: 'other' };
}

function snapshot(paths: readonly string[]): Map<string, Saved> {
  return new Map(paths.map((p) => [p, save(p)]));
}

function unchanged(path: string, before: Saved, now: Stats | null): boolean {
  if (before.kind === 'none') return now === null;
  if (before.kind === 'link') return now?.isSymbolicLink() === true && readlinkSync(path) === before.target;
  if (before.kind !== 'file' || now === null || !now.isFile() || now.nlink !== 1) return false;
  return (now.mode & 0o7777) === before.mode && readFileSync(path).equals(before.bytes);
}

/**
 * Puts each file back as it was (or removes one the step created); never throws.
 * Whatever the step left at the path (a symlink, a FIFO, a device, a hard link to
 * another file) is unlinked, never written through: the bytes go into a new file.
 */
function restore(saved: ReadonlyMap<string, Saved>): void {
  for (const [path, before] of saved) {
    try {
      if (before.kind === 'other') continue;
      const now = stat(path);
      if (unchanged(path, before, now)) continue;
      if (now !== null && !now.isDirectory()) unlinkSync(path);
      if (before.kind === 'link') symlinkSync(before.target, path);
      if (before.kind !== 'file') continue;
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      const fd = openSync(path, flags, before.mode);
      try {
        writeSync(fd, before.bytes);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Best effort on the way out: a file that cannot be written now could not be saved either.
    }
  }
}

/**
 * Runs `work` with an AbortSignal to hand its children (exec's `signal`), and
 * restores `paths` afterwards and on SIGTERM/SIGINT/SIGHUP.
 */
export async function keepingFiles<T>(paths: readonly string[], work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const saved = snapshot(paths);
  const children = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    children.abort();
    restore(saved);
    // Again once the killed children are gone, in case one wrote as it died; then end as the signal would.
    setTimeout(() => {
      restore(saved);
      for (const s of SIGNALS) process.removeListener(s, onSignal);
      process.kill(process.pid, signal);
    }, CHILD_GRACE_MS);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await work(children.signal);
  } catch (error) {
    // Cancelled: the killed child's failure is no error to report; the process ends by the signal (onSignal's timer).
    if (children.signal.aborted) {
      restore(saved);
      await new Promise<never>(() => {});
    }
    throw error;
  } finally {
    if (!children.signal.aborted) for (const s of SIGNALS) process.removeListener(s, onSignal);
    restore(saved);
  }
}
