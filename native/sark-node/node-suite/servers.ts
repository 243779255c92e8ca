/**
 * The servers the comparisons talk to: Redis and an OPA-compatible policy
 * server, started on 127.0.0.1 for the run (unless REDIS_URL / OPA_URL name
 * running ones) and stopped afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Server {
  url: string;
  /** What is serving, for run.versions (e.g. 'redis-server 7.0.15', 'opa 1.22.3'). */
  description: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** Collects a child's output so a failed start can say why. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim().split('\n').slice(-5).join(' | ');
}

/** Polls `ready` until it resolves true, the child exits, or `timeoutMs` passes. */
async function waitFor(
  what: string,
  child: ChildProcess,
  output: () => string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited with code ${child.exitCode} before it was ready: ${output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} was not ready after ${timeoutMs / 1000} s: ${output()}`);
}

function versionOf(bin: string, args: string[], pattern: RegExp): string | null {
  const out = spawnSync(bin, args, { encoding: 'utf8' });
  return out.status === 0 ? (pattern.exec(out.stdout)?.[1] ?? null) : null;
}

/** redis-server on a free loopback port, no persistence; REDIS_URL wins when set. */
export async function startRedis(env: NodeJS.ProcessEnv, ping: (url: string) => Promise<boolean>): Promise<Server> {
  const given = env.REDIS_URL;
  if (given) return { url: given, description: `external (REDIS_URL)`, stop: async () => {} };
  const bin = env.REDIS_SERVER ?? 'redis-server';
  const version = versionOf(bin, ['--version'], /v=(\S+)/);
  if (version === null)
    throw new Error(`${bin} not found: install it (apt-get install -y redis-server) or set REDIS_URL`);
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('redis-server', child, tail(child), () => ping(url));
  return { url, description: `redis-server ${version}`, stop: stopper(child) };
}

/** Where the real OPA is: OPA_BIN, else the repo's .tools/bin/opa, else PATH; otherwise the reason. */
export function findOpa(env: NodeJS.ProcessEnv, repo: string): { bin: string; version: string } | { reason: string } {
  // An explicit OPA_BIN is the only candidate, so a wrong one falls back visibly instead of finding another opa.
  const candidates = env.OPA_BIN ? [env.OPA_BIN] : [join(repo, '.tools/bin/opa'), 'opa'];
  for (const bin of candidates) {
    if (bin.includes('/') && !existsSync(bin)) continue;
    const version = versionOf(bin, ['version'], /^Version:\s*(\S+)/m);
    if (version !== null) return { bin, version };
  }
  return { reason: `no opa binary (tried ${candidates.join(', ')}); scripts/install_opa.sh installs it` };
}

async function healthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/health`);
  await res.arrayBuffer();
  return res.ok;
}

/**
 * The policy server to compare against: OPA_URL, else `opa run --server` on the
 * policy directory, else `sark-opa serve` (built from this workspace) with the
 * reason recorded in its description.
 */
export async function startPolicyServer(
  env: NodeJS.ProcessEnv,
  repo: string,
  policyDir: string,
  sarkOpaBin: () => string,
): Promise<Server> {
  if (env.OPA_URL)
    return { url: env.OPA_URL.replace(/\/$/, ''), description: 'external (OPA_URL)', stop: async () => {} };
  const opa = findOpa(env, repo);
  if ('bin' in opa) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      opa.bin,
      ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', policyDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitFor('opa run --server', child, tail(child), () => healthy(url));
    return { url, description: `opa ${opa.version}`, stop: stopper(child) };
  }
  const bin = sarkOpaBin();
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '-d', policyDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tail(child);
  let url = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // The line can arrive in pieces; only a complete one names the address.
    stderr += chunk.toString();
    url ||= /listening on (http:\/\/\S+)\n/.exec(stderr)?.[1] ?? '';
  });
  await waitFor('sark-opa serve', child, output, async () => url !== '' && healthy(url));
  console.error(`NOTE: policy server is sark-opa serve, not OPA: ${opa.reason}`);
  return { url, description: `sark-opa serve (OPA not installed: ${opa.reason})`, stop: stopper(child) };
}
