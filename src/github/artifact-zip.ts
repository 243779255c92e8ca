/**
 * Unpacks a downloaded artifact zip, treating it as hostile: it may come from
 * a fork's run, or be damaged. yauzl reads the central directory (not the
 * local headers a streaming parser trusts), refuses names that climb out of
 * the target directory, and checks that every entry inflates to exactly the
 * size the directory declares, so the caps below hold for what is written.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { InputError } from '../common/errors.ts';

export interface ZipLimits {
  /** Bytes of the zip itself, as downloaded. */
  maxZipBytes: number;
  /** Entries (files and directories) in the central directory. */
  maxEntries: number;
  /** Uncompressed bytes of any one file. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all files together. */
  maxTotalBytes: number;
}

const MB = 1024 * 1024;

/** The baseline: results.json plus up to 500 history files of a few MB at most. */
export const BASELINE_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 128 * MB,
  maxEntries: 1_000,
  maxEntryBytes: 64 * MB,
  maxTotalBytes: 512 * MB,
};

/** A fork's data: one results document (and nothing else worth having). */
export const FORK_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 8 * MB,
  maxEntries: 8,
  maxEntryBytes: 16 * MB,
  maxTotalBytes: 16 * MB,
};

export function formatBytes(bytes: number): string {
  return bytes >= MB
    ? `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB`
    : bytes >= 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${bytes} bytes`;
}

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((done, fail) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, zipfile) =>
      error ? fail(error) : done(zipfile),
    );
  });
}

function openEntry(zipfile: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((done, fail) =>
    zipfile.openReadStream(entry, (error, stream) => (error ? fail(error) : done(stream))),
  );
}

/** The entries of the central directory, one at a time, as yauzl hands them out. */
async function* entries(zipfile: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const next = await new Promise<yauzl.Entry | null>((done, fail) => {
      const cleanup = (): void => {
        zipfile.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      const onEntry = (entry: yauzl.Entry): void => (cleanup(), done(entry));
      const onEnd = (): void => (cleanup(), done(null));
      const onError = (error: Error): void => (cleanup(), fail(error));
      zipfile.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zipfile.readEntry();
    });
    if (next === null) return;
    yield next;
  }
}

/**
 * Extracts `zip` into `dir` within `limits`; `source` names the artifact in
 * errors. Any malformed archive, unsafe name or cap exceeded is an InputError
 * of one line, before (or instead of) writing past the cap.
 */
export async function extractZip(zip: Buffer, dir: string, limits: ZipLimits, source: string): Promise<string[]> {
  const fail = (detail: string): never => {
    throw new InputError(source, detail);
  };
  if (zip.length > limits.maxZipBytes)
    fail(`is ${formatBytes(zip.length)}, over the ${formatBytes(limits.maxZipBytes)} limit for this artifact`);
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await openZip(zip);
  } catch (error) {
    return fail(
      `is not a valid zip archive (${(error as Error).message}); it is damaged or was not made by actions/upload-artifact`,
    );
  }
  const root = resolve(dir);
  const written: string[] = [];
  try {
    if (zipfile.entryCount > limits.maxEntries)
      fail(`holds ${zipfile.entryCount} entries, over the limit of ${limits.maxEntries}`);
    let total = 0;
    for await (const entry of entries(zipfile)) {
      const target = resolve(root, ...entry.fileName.split('/'));
      if (target !== root && !target.startsWith(root + sep))
        fail(`entry '${entry.fileName.slice(0, 200)}' points outside the download directory`);
      if (entry.fileName.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        fail(
          `entry '${entry.fileName.slice(0, 200)}' is ${formatBytes(entry.uncompressedSize)} unpacked, over the ${formatBytes(limits.maxEntryBytes)} limit per file`,
        );
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes)
        fail(`unpacks to more than ${formatBytes(limits.maxTotalBytes)}, the limit for this artifact`);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(await openEntry(zipfile, entry), createWriteStream(target));
      written.push(target);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    return fail(
      `is not a valid zip archive (${(error as Error).message}); it is damaged or was not made by actions/upload-artifact`,
    );
  } finally {
    zipfile.close();
  }
  return written;
}
