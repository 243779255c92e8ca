/**
 * Files a step changes in the user's checkout, put back byte for byte when
 * the step ends, whichever way it ends: normally, by an error, or by the
 * runner cancelling the job (SIGTERM, then SIGKILL a few seconds later; SIGINT
 * from a terminal). On a signal the step's children are killed first (so a
 * build cannot write the file again after it is restored), the files are
 * restored, and the signal is raised again so the process ends as it would
 * have. Used for Cargo.lock around the counting harness's patched build.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
/** How long a killed child gets to go before the files are restored a second time. */
const CHILD_GRACE_MS = 1500;

function snapshot(paths: readonly string[]): Map<string, Buffer | null> {
  return new Map(paths.map((p) => [p, existsSync(p) ? readFileSync(p) : null]));
}

/** Puts each file back as it was (or removes one the step created); never throws. */
function restore(saved: ReadonlyMap<string, Buffer | null>): void {
  for (const [path, before] of saved) {
    try {
      if (before === null) rmSync(path, { force: true });
      else if (!existsSync(path) || !readFileSync(path).equals(before)) writeFileSync(path, before);
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
