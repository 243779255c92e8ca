/**
 * What the action hands the workflow: its outputs (action.yml) and its job
 * summary, under names kept here as constants, through one writer the jobs
 * are given. On a runner the writer is the toolkit's; a test passes a
 * recording one and reads what a job wrote.
 */
import * as core from '@actions/core';

/** The action's outputs, as action.yml declares them. */
export const OUTPUT = {
  resultsPath: 'results-path',
  reportPath: 'report-path',
  verdict: 'verdict',
  regressions: 'regressions',
  improvements: 'improvements',
  missing: 'missing',
  commentId: 'comment-id',
  dashboardPath: 'dashboard-path',
} as const;

export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

export interface Outputs {
  set(name: OutputName, value: string): void;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
}

export const actionsOutputs: Outputs = {
  set: (name, value) => core.setOutput(name, value),
  summary: async (markdown) => {
    await core.summary.addRaw(markdown).write();
  },
};
