/**
 * Processes by pid and start time, read from /proc (Linux): a test that checks
 * a process ended must not take another process the kernel gave its pid for it.
 */
import { existsSync, readFileSync } from 'node:fs';

/** A process by its pid and its start time (so a pid the kernel has handed to another process is not taken for it). */
export interface Proc {
  pid: number;
  start: string;
}

function stat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat, after the parenthesised command name. */
const startTime = (line: string) => line.slice(line.lastIndexOf(')') + 2).split(' ')[19] ?? '';

/** Whether the process still runs (a zombie no one has reaped yet counts as gone). */
export function running(proc: Proc): boolean {
  const line = stat(proc.pid);
  return line !== null && startTime(line) === proc.start && !/^\d+ \(.*\) Z/.test(line);
}

/** Whether the process has ended within 30 s (a SIGKILL is delivered, and the process reaped, a moment after). */
export async function ends(proc: Proc): Promise<boolean> {
  for (let i = 0; i < 300 && running(proc); i++) await new Promise((r) => setTimeout(r, 100));
  return !running(proc);
}

/** What the process is, for a failure's message. */
export const show = (proc: Proc) => `${proc.pid}: ${stat(proc.pid)?.trim() ?? 'gone'}`;

/** The process whose pid (and a newline) a script wrote to `file`, once it is there (waits up to `waitSeconds`). */
export async function pidIn(file: string, waitSeconds = 30): Promise<Proc> {
  for (let i = 0; i < waitSeconds * 10; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) {
      const pid = Number(text);
      return { pid, start: startTime(stat(pid) ?? '') };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pid in ${file} after ${waitSeconds} s`);
}
