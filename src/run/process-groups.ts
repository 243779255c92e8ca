/**
 * The process groups of the children run/exec.ts has running (shell). Each
 * child leads a group of its own, so one kill reaches all it started (cargo's
 * rustc jobs, a bench under Valgrind). Being in groups of their own, they no
 * longer share ours: when this process is told to stop (a cancelled job's
 * SIGINT or SIGTERM, Ctrl-C on the CLI), the groups are killed here, or they
 * would run on after us, reparented and out of the runner's reach.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Process groups cannot be signalled on Windows; there the child alone is killed. */
export const GROUPS = process.platform !== 'win32';
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const live = new Set<ChildProcess>();
let holds = 0;

/**
 * Whether a process is still in group `pgid` (Linux: field 5 of /proc/<pid>/stat); true where it cannot be told.
 * Once the group's leader has exited and been reaped, its number may be given to a new process, and with it to that
 * process's group, only when no process is left in the old one: while one is, the group is still ours.
 */
export function groupHasMembers(pgid: number, proc = '/proc'): boolean {
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${proc}/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) return true;
  }
  return false;
}

/**
 * SIGKILL to the child's whole process group (the child alone on Windows); nothing when it is gone already, nor
 * once the child has exited and nothing of its group is left (the number may be another's by then).
 */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null;
  if (exited && (!GROUPS || !groupHasMembers(child.pid))) return;
  try {
    if (GROUPS) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // The group is gone already.
  }
}

function onSignal(signal: NodeJS.Signals): void {
  for (const child of live) killTree(child);
  // Another listener (run/file-guard.ts) decides how the process ends; alone, it ends as the signal would.
  if (process.listenerCount(signal) === 1) {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  }
}

/**
 * Kills the group of the child spawned next if this process is told to stop while it runs. Called before the spawn:
 * a signal that came between the spawn and the listener would meet the default action and end this process with the
 * child's group left running (seen under load: the test's SIGTERM landed in that window).
 */
export function hold(): { adopt: (child: ChildProcess) => void; release: () => void } {
  if (holds === 0) for (const s of SIGNALS) process.on(s, onSignal);
  holds += 1;
  let mine: ChildProcess | null = null;
  let held = true;
  return {
    adopt: (child) => {
      mine = child;
      live.add(child);
    },
    release: () => {
      if (!held) return;
      held = false;
      if (mine) live.delete(mine);
      holds -= 1;
      if (holds === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
    },
  };
}
