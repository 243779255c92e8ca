/**
 * Reading what the user pointed at, bounded: a file as UTF-8 up to a size limit, a Criterion or gungraun
 * directory's files, and why a read failed, in words.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { InputError } from '../common/errors.ts';
import { stripBom } from '../formats/common.ts';
import { isCriterionFile, isGungraunFile } from '../formats/index.ts';

/**
 * Size limits, checked before a file is read (docs/formats.md#limits). The
 * largest results file this project writes (a full run_benchmarks.sh run with
 * raw Node samples) is about 4 MiB; 64 MiB leaves room for far bigger suites
 * while a runner can still parse it.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Claims and thresholds files are written by hand: a few KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

function tooLarge(path: string, size: string, limit: number): InputError {
  return new InputError(
    path,
    `${size} over the ${mib(limit)} limit for this file (docs/formats.md#limits); refusing to read it`,
  );
}

export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? (error.message.split('\n', 1)[0] ?? 'cannot read') : 'cannot read';
}

/**
 * Reads a file as UTF-8 without its byte-order mark, refusing it past `limit`
 * bytes: by its size first, and while reading, since a pipe or a growing file
 * has no size to trust.
 */
export async function readText(path: string, limit: number): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError(path, 'is a directory, not a file');
    if (info.size > limit) throw tooLarge(path, `the file is ${mib(info.size)} (${info.size} bytes),`, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge(path, 'the file grew while being read, past', limit);
    }
    return stripBom(Buffer.concat(chunks, total).toString('utf8'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, `cannot read: ${reason(error)}`);
  } finally {
    await handle?.close();
  }
}

/** Every file below `root` the Criterion adapter needs, keyed by '/'-separated relative path. */
async function readCriterionDir(root: string): Promise<Map<string, string>> {
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    throw new InputError(root, `cannot read directory: ${reason(error)}`);
  }
  const wanted = entries
    .sort()
    .filter((entry) => isCriterionFile(entry.split(sep).join('/')) || isGungraunFile(entry.split(sep).join('/')));
  let total = 0;
  for (const entry of wanted) total += (await stat(join(root, entry)).catch(() => ({ size: 0 }))).size;
  if (total > MAX_INPUT_BYTES) {
    throw new InputError(
      root,
      `its Criterion files add up to ${mib(total)}, over the ${mib(MAX_INPUT_BYTES)} limit (docs/formats.md#limits); refusing to read them`,
    );
  }
  const files = new Map<string, string>();
  for (const entry of wanted) files.set(entry.split(sep).join('/'), await readText(join(root, entry), MAX_INPUT_BYTES));
  return files;
}

/**
 * A directory's Criterion or gungraun files; a directory with neither but
 * with JSON files (a folder of results files, one per run) is refused saying
 * what it holds and where such files go, not that Criterion found nothing.
 */
export async function readToolDir(root: string): Promise<Map<string, string>> {
  const files = await readCriterionDir(root);
  if (files.size > 0) return files;
  const json = (await readdir(root, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  if (json.length === 0) return files;
  const named = json.slice(0, 3).join(', ') + (json.length > 3 ? `, … (${json.length})` : '');
  throw new InputError(
    root,
    `a directory of JSON files (${named}), not Criterion or gungraun output: give one file, e.g. ${join(root, json[0] ?? '')}; to use them as earlier runs of the base, pass the directory to --history or --history-dir`,
  );
}
