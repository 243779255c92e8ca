import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readShardNotes } from '../../src/github/shard-artifacts.ts';

function dirWith(notes: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shard-notes-'));
  if (notes !== null) writeFileSync(join(dir, 'notes.json'), notes);
  return dir;
}

describe("a shard's notes, read by the merge job as data", () => {
  it('takes the reason as one line', async () => {
    assert.deepEqual(
      await readShardNotes(
        dirWith(JSON.stringify({ instructionsSkipped: 'Instruction counts skipped:\n valgrind is not on PATH.' })),
      ),
      {
        instructionsSkipped: 'Instruction counts skipped: valgrind is not on PATH.',
      },
    );
  });

  it('has none when the shard left no notes, or notes that are not what a shard writes', async () => {
    for (const text of [
      null,
      'not json',
      '[]',
      'null',
      JSON.stringify({ instructionsSkipped: 42 }),
      JSON.stringify({ instructionsSkipped: '  ' }),
    ]) {
      assert.deepEqual(await readShardNotes(dirWith(text)), { instructionsSkipped: null }, String(text));
    }
  });

  it('caps a long reason (the artifact may come from a job that ran untrusted code)', async () => {
    const notes = await readShardNotes(dirWith(JSON.stringify({ instructionsSkipped: 'x'.repeat(100_000) })));
    assert.equal(notes.instructionsSkipped?.length, 400);
    assert.ok(notes.instructionsSkipped?.endsWith('…'));
  });
});
