/**
 * Headless Chromium (Debian's `chromium`, installed by scripts/setup.sh) driven
 * through puppeteer-core, for tests that must see what a browser renders.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH ?? '',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export const chromiumPath: string | null = CANDIDATES.find((path) => path !== '' && existsSync(path)) ?? null;

/** Why a browser test cannot run here, or null when it can. */
export const chromiumMissing: string | null =
  chromiumPath === null
    ? 'no Chromium found: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM_PATH'
    : null;

export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error(chromiumMissing ?? 'no Chromium');
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    // Root in a container has no user namespaces for the sandbox; the pages are our own test files.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  });
}
