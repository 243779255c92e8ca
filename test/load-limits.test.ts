// The loader's limits on a Criterion directory: byte-order marks ignored, oversized trees refused before reading.
import assert from 'node:assert/strict';
import {
  closeSync,
  cpSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../src/common/errors.ts';
import { loadResults } from '../src/files/load.ts';
import { MAX_INPUT_BYTES } from '../src/files/read.ts';
import { collectRunMeta } from '../src/run/metadata.ts';

const meta = () => collectRunMeta({ commit: 'c'.repeat(40), ref: 'refs/heads/main' });

function copyOf(fixture: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'bench-load-')), 'criterion');
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

test('a Criterion directory whose files start with a byte-order mark loses no benchmark', async () => {
  const plain = await loadResults('fixtures/criterion-0.4', meta);
  const dir = copyOf('fixtures/criterion-0.4');
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.json')) continue;
    const path = join(dir, entry);
    writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8').replace(/\n/g, '\r\n')}`);
  }
  const withBom = await loadResults(dir, meta);
  assert.deepEqual(
    withBom.benchmarks.map((b) => [b.id, b.estimates.median]),
    plain.benchmarks.map((b) => [b.id, b.estimates.median]),
  );
});

test('a Criterion directory over the size limit is refused before its files are read', async () => {
  const dir = copyOf('fixtures/criterion-0.4');
  const fake = join(dir, 'huge', 'bench', 'new');
  mkdirSync(fake, { recursive: true });
  // Sparse: the size is there without the disk space (and reading it would find only zeros).
  const fd = openSync(join(fake, 'sample.json'), 'w');
  ftruncateSync(fd, MAX_INPUT_BYTES);
  closeSync(fd);
  await assert.rejects(
    () => loadResults(dir, meta),
    (e: unknown) =>
      e instanceof InputError &&
      e.file === dir &&
      /its Criterion files add up to 64 MiB, over the 64 MiB limit \(docs\/formats\.md#limits\); refusing to read them$/.test(
        e.message,
      ),
  );
});
