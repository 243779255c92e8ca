import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { BASELINE_ZIP_LIMITS, FORK_ZIP_LIMITS, extractZip, type ZipLimits } from '../../src/github/artifact-zip.ts';
import { makeZip } from '../support/zip.ts';

const SOURCE = 'artifact bench-baseline (id 5, run 3)';

async function refused(zip: Buffer, dir: string, limits: ZipLimits, pattern: RegExp): Promise<void> {
  const started = Date.now();
  await assert.rejects(extractZip(zip, dir, limits, SOURCE), (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.ok(error.message.startsWith(`${SOURCE}: `), error.message);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), error.message);
    return true;
  });
  // Generous: the point is "seconds, not forever".
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
}

describe('artifact zip extraction', () => {
  let work: string;
  let n = 0;
  const dir = (): string => join(work, `x${n++}`);
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bench-action-zip-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('extracts stored and deflated entries, directories included', async () => {
    const into = dir();
    const files = await extractZip(
      makeZip({ 'results.json': '{"a":1}', 'history/': '', 'history/x.json': 'x'.repeat(5000) }, { deflate: true }),
      into,
      BASELINE_ZIP_LIMITS,
      SOURCE,
    );
    assert.deepEqual(files.map((f) => f.slice(into.length + 1)).sort(), ['history/x.json', 'results.json']);
    assert.equal(await readFile(join(into, 'history', 'x.json'), 'utf8'), 'x'.repeat(5000));
  });

  it('a local header followed by garbage (the 704-byte artifact) fails at once, naming the artifact', async () => {
    const garbage = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(700, 0x41)]);
    await refused(
      garbage,
      dir(),
      FORK_ZIP_LIMITS,
      /is not a valid zip archive \(.*central directory.*\); it is damaged/,
    );
  });

  it('a truncated archive fails at once', async () => {
    const whole = makeZip({ 'results.json': JSON.stringify({ x: 'y'.repeat(10_000) }) }, { deflate: true });
    await refused(
      whole.subarray(0, Math.floor(whole.length / 2)),
      dir(),
      BASELINE_ZIP_LIMITS,
      /is not a valid zip archive/,
    );
  });

  it('refuses an entry whose declared size is over the per-file cap before inflating anything', async () => {
    const into = dir();
    const zip = makeZip(
      { 'report.json': 'tiny' },
      { deflate: true, declaredSize: () => FORK_ZIP_LIMITS.maxEntryBytes + 1024 * 1024 },
    );
    await refused(zip, into, FORK_ZIP_LIMITS, /entry 'report\.json' is 17 MB unpacked, over the 16 MB limit per file/);
    assert.equal(existsSync(join(into, 'report.json')), false);
  });

  it('a bomb that lies about its size stops at the declared size: 64 MB of zeros declared as 1 KB', async () => {
    const into = dir();
    const zip = makeZip(
      { 'results.json': Buffer.alloc(64 * 1024 * 1024) },
      { deflate: true, declaredSize: () => 1024 },
    );
    assert.ok(zip.length < 100_000, `the bomb is small: ${zip.length} bytes`);
    await refused(zip, into, BASELINE_ZIP_LIMITS, /is not a valid zip archive \(too many bytes in the stream/);
    const written = existsSync(join(into, 'results.json')) ? (await readFile(join(into, 'results.json'))).length : 0;
    assert.ok(written <= 1024 + 64 * 1024, `wrote ${written} bytes`);
  });

  it('caps the total unpacked size and the number of entries', async () => {
    const limits: ZipLimits = { maxZipBytes: 1024 * 1024, maxEntries: 3, maxEntryBytes: 1000, maxTotalBytes: 1500 };
    await refused(
      makeZip({ a: 'x'.repeat(800), b: 'x'.repeat(800) }),
      dir(),
      limits,
      /unpacks to more than 1 KB, the limit for this artifact/,
    );
    await refused(makeZip({ a: '1', b: '2', c: '3', d: '4' }), dir(), limits, /holds 4 entries, over the limit of 3/);
    await refused(Buffer.alloc(1024 * 1024 + 1), dir(), limits, /is 1\.0 MB, over the 1\.0 MB limit/);
  });

  it('refuses names that climb out of the target directory', async () => {
    const into = dir();
    await refused(
      makeZip({ '../escaped.json': '{}' }),
      join(into, 'inner'),
      BASELINE_ZIP_LIMITS,
      /is not a valid zip archive \(invalid relative path/,
    );
    assert.deepEqual(existsSync(into) ? await readdir(into) : [], []);
  });
});
