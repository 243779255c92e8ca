/**
 * A blob store that trickles cannot hold the job: the download has a minimum
 * average rate and an overall deadline, checked on a clock, besides the
 * deadline on each chunk (which a byte now and then keeps resetting).
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitHubError } from '../../src/common/errors.ts';
import { downloadArtifactTo } from '../../src/github/artifact-download.ts';
import { FORK_ZIP_LIMITS } from '../../src/github/artifact-zip.ts';
import type { Octokit } from '../../src/github/client.ts';

/** Sends `bytes` bytes every `everyMs` until the client goes away. */
function drip(res: ServerResponse, bytes: number, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'application/zip' });
  const timer = setInterval(() => res.write(Buffer.alloc(bytes, 0x50)), everyMs);
  res.on('close', () => clearInterval(timer));
}

describe('artifact download pace', () => {
  let server: Server;
  let url: string;
  let work: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/trickle')
        drip(res, 1, 50); // 20 bytes/s: each chunk well inside its deadline
      else drip(res, 4096, 50); // 80 KB/s, without end
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    work = await mkdtemp(join(tmpdir(), 'bench-action-download-'));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await rm(work, { recursive: true, force: true });
  });

  /** An Octokit whose artifact download answers as GitHub does: a redirect to the blob. */
  function redirectingTo(location: string): Octokit {
    const downloadArtifact = () => Promise.resolve({ status: 302, headers: { location }, data: null });
    return { rest: { actions: { downloadArtifact } } } as unknown as Octokit;
  }

  function download(path: string, pace: { minBytesPerSecond?: number; deadlineMs?: number }) {
    return downloadArtifactTo({
      octokit: redirectingTo(`${url}${path}`),
      owner: 'o',
      repo: 'r',
      artifactId: 5,
      runId: 3,
      path: join(work, path.slice(1)),
      artifactName: 'bench-action-report',
      limits: FORK_ZIP_LIMITS,
      timeoutMs: 1000,
      ...pace,
    });
  }

  it('a blob that trickles is cut once its average falls under the minimum rate', { timeout: 20_000 }, async () => {
    const started = Date.now();
    await assert.rejects(download('/trickle', { minBytesPerSecond: 1024 }), (error: unknown) => {
      assert.ok(error instanceof GitHubError);
      assert.match(
        error.message,
        /^The download of artifact bench-action-report \(id 5, run 3\) broke off after \d+ bytes \(it came at \d+ bytes\/s, under the minimum of 1 KB\/s\); re-run the job$/,
      );
      return true;
    });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('a blob that never ends is cut at the overall deadline', { timeout: 20_000 }, async () => {
    await assert.rejects(download('/endless', { minBytesPerSecond: 1024, deadlineMs: 1500 }), (error: unknown) => {
      assert.ok(error instanceof GitHubError);
      assert.match(error.message, /broke off after \d+ KB \(did not finish within 1\.5 s\); re-run the job$/);
      return true;
    });
  });

  it(
    'by default the whole download has a deadline: the stall deadline plus the size cap at the minimum rate',
    {
      timeout: 20_000,
    },
    async () => {
      // 80 KB/s is under the default minimum of 256 KB/s, so it stops after the stall deadline's grace.
      await assert.rejects(download('/endless', {}), /under the minimum of 256 KB\/s/);
    },
  );
});
