import * as core from '@actions/core';

/**
 * Where progress goes. The action logs through the toolkit (groups,
 * annotations); the CLI prints plain lines to stderr so stdout stays the report.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export const actionsLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  async group(name, work) {
    const started = Date.now();
    const result = await core.group(name, work);
    core.info(`${name}: done in ${seconds(Date.now() - started)}`);
    return result;
  },
};
