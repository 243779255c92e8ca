import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { createClient } from '../../src/github/client.ts';
import { downloadShards, readShardNotes } from '../../src/github/shard-artifacts.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { FakeGitHub } from '../support/fake-github.ts';

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

describe('the shard count an artifact name gives', () => {
  it('past 256 (or an index past n) is refused in one line before anything is downloaded', async () => {
    const fake = await FakeGitHub.start();
    try {
      const octokit = createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
      const run = fake.addRun({ headSha: '1'.repeat(40) });
      fake.addArtifact({ runId: run.id, name: 'bench-action-shard-1-of-4294967296', files: { 'results.json': '{}' } });
      const args = { octokit, owner: fake.owner, repo: fake.repo, runId: run.id, suite: '', meta: runMetaOnce() };
      await assert.rejects(
        downloadShards({ ...args, workDir: mkdtempSync(join(tmpdir(), 'bench-shards-')) }),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.equal(
            error.message,
            `run ${run.id}: has artifact bench-action-shard-1-of-4294967296, which is not shard i of n with 1 <= i <= n <= 256; a sharded run has at most 256 shards`,
          );
          return true;
        },
      );
      assert.ok(!fake.requests.some((r) => r.path.includes('/zip')), 'a shard was downloaded');
    } finally {
      await fake.close();
    }
  });
});
