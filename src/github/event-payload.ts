import { readFile } from 'node:fs/promises';
import { InputError } from '../common/errors.ts';

/** The event's webhook payload the runner wrote to GITHUB_EVENT_PATH; none (outside a runner) reads as {}. */
export async function readEventPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError(
      path,
      `cannot read the event payload (GITHUB_EVENT_PATH): ${(error as Error).message.split('\n')[0]}`,
    );
  }
}
