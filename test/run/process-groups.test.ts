import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupHasMembers, killTree } from '../../src/run/process-groups.ts';

describe('a process group is killed only while it is ours', { skip: process.platform !== 'linux' }, () => {
  it("tells a group's members by the fifth field of /proc/<pid>/stat, a command name with spaces and ')' included", () => {
    const proc = mkdtempSync(join(tmpdir(), 'bench-proc-'));
    const stat = (pid: number, line: string) => {
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), 'stat'), line);
    };
    stat(12, '12 (a b) c) S 1 77 77 0 -1 4194560');
    stat(13, '13 (sleep) S 12 13 77 0 -1 4194560');
    mkdirSync(join(proc, 'self'));
    assert.equal(groupHasMembers(77, proc), true);
    assert.equal(groupHasMembers(13, proc), true);
    assert.equal(groupHasMembers(1, proc), false);
    assert.equal(groupHasMembers(1, join(proc, 'missing')), true, 'where it cannot be told, the group may be alive');
  });

  /** The group kills killTree sends while `work` runs. */
  function groupKills(work: () => void): number[] {
    const sent: number[] = [];
    const original = process.kill.bind(process);
    process.kill = ((pid: number, signal?: string | number) => {
      if (pid < 0) sent.push(pid);
      return original(pid, signal);
    }) as typeof process.kill;
    try {
      work();
    } finally {
      process.kill = original;
    }
    return sent;
  }

  const exited = (child: ChildProcess) => new Promise((done) => child.on('exit', done));

  it('sends nothing once the leader has exited and its group is empty (its number may be another group’s)', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    await exited(child);
    assert.deepEqual(
      groupKills(() => killTree(child)),
      [],
    );
  });

  it('still kills what is left of the group after the leader has exited', async () => {
    const child = spawn('bash', ['-c', 'sleep 30 & exit 0'], { detached: true, stdio: 'ignore' });
    await exited(child);
    const pid = child.pid ?? 0;
    assert.deepEqual(
      groupKills(() => killTree(child)),
      [-pid],
    );
    for (let i = 0; i < 100 && groupHasMembers(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(groupHasMembers(pid), false, 'the sleep left in the group was killed');
  });
});
