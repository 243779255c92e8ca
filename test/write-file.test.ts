/**
 * Where `-o` writes: a regular file atomically, a symlink's target (the link
 * stays), a device or FIFO in place (a rename would replace it with a regular
 * file: as root, `-o /dev/null` broke /dev/null for every later program), and
 * `-` to standard output.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeTextFile } from '../src/files/write.ts';
import { cli } from './support/cli.ts';

const FIXTURE = 'fixtures/results/criterion-0.8-run-a.json';
const isRoot = process.getuid?.() === 0;

describe('writeTextFile and -o', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-action-write-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('replaces a regular file whole and leaves no temporary file behind', async () => {
    const path = join(dir, 'plain.json');
    await writeFile(path, 'old');
    await writeTextFile(path, 'new\n');
    assert.equal(await readFile(path, 'utf8'), 'new\n');
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });

  it("writes a symlink's target and keeps the link, also when the target does not exist yet", async () => {
    await mkdir(join(dir, 'real'));
    const target = join(dir, 'real', 'out.json');
    await writeFile(target, 'old');
    const link = join(dir, 'link.json');
    await symlink(join('real', 'out.json'), link);
    await writeTextFile(link, 'through the link\n');
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(await readFile(target, 'utf8'), 'through the link\n');

    const dangling = join(dir, 'dangling.json');
    await symlink(join(dir, 'real', 'new.json'), dangling);
    await writeTextFile(dangling, 'created\n');
    assert.ok((await lstat(dangling)).isSymbolicLink());
    assert.equal(await readFile(join(dir, 'real', 'new.json'), 'utf8'), 'created\n');
  });

  it('a relative link inside a symlinked directory is read from where the link really is, as the kernel reads it', async () => {
    // dir/via -> x/y, and via/link.json -> ../out.json: the kernel resolves that to x/out.json, not dir/out.json.
    await mkdir(join(dir, 'x', 'y'), { recursive: true });
    await symlink(join('x', 'y'), join(dir, 'via'));
    await symlink(join('..', 'out.json'), join(dir, 'x', 'y', 'link.json'));
    await writeTextFile(join(dir, 'via', 'link.json'), 'where the kernel points\n');
    assert.equal(await readFile(join(dir, 'x', 'out.json'), 'utf8'), 'where the kernel points\n');
    await assert.rejects(stat(join(dir, 'out.json')), { code: 'ENOENT' });
  });

  it('writes into a FIFO in place: it stays a FIFO and its reader gets the text', async () => {
    const fifo = join(dir, 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo failed');
    // The reader is a child process, so a FIFO that is never written cannot keep this test waiting.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.on('data', (chunk) => (read += String(chunk)));
    const closed = new Promise((done) => reader.on('close', done));
    try {
      await writeTextFile(fifo, 'into the pipe\n');
      assert.ok((await lstat(fifo)).isFIFO(), 'the FIFO became a regular file');
      await closed;
      assert.equal(read, 'into the pipe\n');
    } finally {
      reader.kill();
    }
  });

  it('a directory is refused in one line naming it', async () => {
    await assert.rejects(writeTextFile(dir, 'x'), (error: Error) => {
      assert.equal(error.message, `${dir}: cannot write: is a directory, not a file`);
      return true;
    });
  });

  it('`parse -o -` writes the results to standard output', () => {
    const out = cli('parse', FIXTURE, '-o', '-');
    assert.equal(out.status, 0, out.stderr);
    const results = JSON.parse(out.stdout) as { benchmarks: unknown[] };
    assert.equal(results.benchmarks.length, 6);
    // '-' is standard output, not a file named '-': no "Wrote … to -" line on stderr
    assert.doesNotMatch(out.stderr, /Wrote/);
  });

  it('`parse -o` through a symlink writes the results into its target and leaves the link a link', async () => {
    const target = join(dir, 'parsed-target.json');
    await writeFile(target, 'old');
    const link = join(dir, 'parsed-link.json');
    await symlink(target, link);
    const out = cli('parse', FIXTURE, '-o', link);
    assert.equal(out.status, 0, out.stderr);
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link was replaced by a file');
    const results = JSON.parse(await readFile(target, 'utf8')) as { benchmarks: unknown[] };
    assert.equal(results.benchmarks.length, 6);
  });

  // A character device of our own, in a temporary directory (the null device's numbers, so writes go nowhere): safe
  // to break, unlike the machine's /dev/null, which these tests never write.
  it(
    'as root, `parse -o` onto a character device, named directly or through a symlink, leaves it a device',
    { skip: !isRoot && 'needs root (mknod)' },
    async () => {
      const device = join(dir, 'null');
      assert.equal(spawnSync('mknod', [device, 'c', '1', '3']).status, 0, 'mknod failed');
      const out = cli('parse', FIXTURE, '-o', device);
      assert.equal(out.status, 0, out.stderr);
      assert.ok((await lstat(device)).isCharacterDevice(), 'the device became a regular file');

      const link = join(dir, 'null-link');
      await symlink(device, link);
      const through = cli('parse', FIXTURE, '-o', link);
      assert.equal(through.status, 0, through.stderr);
      assert.ok((await lstat(link)).isSymbolicLink(), 'the link was replaced');
      assert.ok((await lstat(device)).isCharacterDevice(), 'the device behind the link became a regular file');
    },
  );
});
