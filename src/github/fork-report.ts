/**
 * The fork-safe hand-over, pure part: the report a read-only PR run leaves
 * behind, and the `workflow_run` event that picks it up. Everything here came
 * from a fork and is untrusted: it is validated field by field, the body is
 * kept as inert markdown text and capped, and nothing in it is ever run.
 */
import { InputError } from '../errors.ts';

export const REPORT_ARTIFACT_NAME = 'bench-action-report';
export const REPORT_FILE = 'report.json';
/** GitHub rejects comment bodies over 65,536 characters; leave room for the marker. */
export const MAX_REPORT_BODY = 65_000;
/** The report file is a few KB; anything bigger is not ours. */
export const MAX_REPORT_BYTES = 1_000_000;

export type ReportVerdict = 'pass' | 'regression' | 'no-baseline';

export interface ForkReport {
  prNumber: number;
  body: string;
  marker: string;
  headSha: string;
  verdict: ReportVerdict;
}

const VERDICTS: readonly string[] = ['pass', 'regression', 'no-baseline'];
// Same shape as stickyMarker() produces: no `--`, no angle brackets, one line.
const MARKER = /^<!-- bench-action:(?:(?!--)[^<>\r\n]){1,200} -->$/;
const SHA = /^[0-9a-f]{40}$/;
const TRUNCATED = '\n\n_(report truncated to fit a GitHub comment)_';

export function capBody(body: string): string {
  // NUL and other C0 controls (bar tab/newline) have no place in markdown.
  const clean = body.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
  return clean.length <= MAX_REPORT_BODY ? clean : clean.slice(0, MAX_REPORT_BODY - TRUNCATED.length) + TRUNCATED;
}

export function serializeForkReport(report: ForkReport): string {
  return `${JSON.stringify({ ...report, body: capBody(report.body) }, null, 2)}\n`;
}

/** Validates the report file's text; `source` names the artifact in errors. */
export function parseForkReport(text: string, source: string): ForkReport {
  const fail = (detail: string): never => {
    throw new InputError(source, `${detail}; it was not written by bench-action, so no comment is posted`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('is not a JSON object');
  const record = data as Record<string, unknown>;
  const { prNumber, body, marker, headSha, verdict } = record;
  if (typeof prNumber !== 'number' || !Number.isSafeInteger(prNumber) || prNumber < 1) return fail('prNumber must be a positive integer');
  if (typeof body !== 'string' || body.trim() === '') return fail('body must be a non-empty string');
  if (typeof marker !== 'string' || !MARKER.test(marker)) return fail('marker must be a bench-action marker (<!-- bench-action:workflow/job -->)');
  if (typeof headSha !== 'string' || !SHA.test(headSha)) return fail('headSha must be a 40-character commit SHA');
  if (typeof verdict !== 'string' || !VERDICTS.includes(verdict)) return fail(`verdict must be one of ${VERDICTS.join(', ')}`);
  return { prNumber, body: capBody(body), marker, headSha, verdict: verdict as ReportVerdict };
}

/** The parts of a `workflow_run` event the comment mode relies on. */
export interface TriggeringRun {
  runId: number;
  headSha: string;
  event: string;
  conclusion: string | null;
  /** PR numbers GitHub attached to the run; empty for fork PRs, hence the report's own number. */
  pullRequests: number[];
}

export function parseWorkflowRunEvent(payload: unknown, source: string): TriggeringRun {
  const fail = (detail: string): never => {
    throw new InputError(source, `${detail}; mode: comment must run on a workflow_run event`);
  };
  const run = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)['workflow_run'] : undefined;
  if (typeof run !== 'object' || run === null) return fail('has no workflow_run object');
  const r = run as Record<string, unknown>;
  if (typeof r['id'] !== 'number') return fail('workflow_run.id is missing');
  if (typeof r['head_sha'] !== 'string' || !SHA.test(r['head_sha'])) return fail('workflow_run.head_sha is missing');
  const prs = Array.isArray(r['pull_requests']) ? r['pull_requests'] : [];
  return {
    runId: r['id'],
    headSha: r['head_sha'],
    event: typeof r['event'] === 'string' ? r['event'] : '',
    conclusion: typeof r['conclusion'] === 'string' ? r['conclusion'] : null,
    pullRequests: prs.flatMap((pr: unknown) => {
      const n = typeof pr === 'object' && pr !== null ? (pr as Record<string, unknown>)['number'] : undefined;
      return typeof n === 'number' ? [n] : [];
    }),
  };
}
