import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixture(rel: string): string {
  return join(FIXTURES, rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixture(rel), 'utf8');
}

export function readJson<T>(rel: string): T {
  return JSON.parse(readFixture(rel)) as T;
}

/** Every file under a fixture directory, keyed by '/'-separated relative path, as the loader builds it. */
export function readTree(rel: string): Map<string, string> {
  const root = fixture(rel);
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(
      full
        .slice(root.length)
        .replace(/^[\\/]/, '')
        .split(sep)
        .join('/'),
      readFileSync(full, 'utf8'),
    );
  }
  return files;
}

export interface CriterionEstimate {
  point_estimate: number;
  confidence_interval: { lower_bound: number; upper_bound: number; confidence_level: number };
}
export type CriterionEstimates = Record<string, CriterionEstimate | null>;
export interface CriterionSample {
  sampling_mode: 'Linear' | 'Flat';
  iters: number[];
  times: number[];
}
