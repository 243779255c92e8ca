import type { OutputName, Outputs } from '../../src/action/outputs.ts';

/** Outputs kept in memory: the values a job set, and what it wrote to the job summary. */
export function recordingOutputs(): Outputs & { values: Map<OutputName, string>; summaries: string[] } {
  const values = new Map<OutputName, string>();
  const summaries: string[] = [];
  return {
    values,
    summaries,
    set: (name, value) => void values.set(name, value),
    summary: async (markdown) => void summaries.push(markdown),
  };
}
