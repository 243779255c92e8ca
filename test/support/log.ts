import type { Log } from '../../src/common/log.ts';

/** A Log that keeps each line as `level: message`, for tests that check what a run said. */
export function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (_name, work) => work(),
  };
}
