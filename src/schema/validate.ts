import type { ErrorObject } from 'ajv/dist/2020.js';
import { compiledOnce } from './compile.ts';
import schema from './results.schema.json' with { type: 'json' };
import { findDuplicate, upgradeResults } from './metric.ts';
import type { Results } from './types.ts';

export { schema as resultsSchema };

/** A schema violation: where (JSON pointer) and what. */
export interface SchemaIssue {
  path: string;
  message: string;
}

export type ValidationOutcome = { ok: true; value: Results } | { ok: false; issues: SchemaIssue[] };

const validator = compiledOnce(schema);

function describe(error: ErrorObject): SchemaIssue {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` '${String((error.params as { additionalProperty?: unknown }).additionalProperty)}'`
      : error.keyword === 'enum'
        ? ` (${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
        : '';
  return { path, message: `${error.message ?? error.keyword}${extra}` };
}

/**
 * Checks untrusted data against results.schema.json, after upgrading a
 * version 1 document to version 2, and refuses a repeated (id, metric), which
 * JSON Schema cannot express. Pure.
 */
export function validateResults(input: unknown): ValidationOutcome {
  const validate = validator();
  const data = upgradeResults(input);
  if (validate(data)) {
    const value = data as Results;
    const duplicate = findDuplicate(value.benchmarks);
    if (duplicate) {
      return {
        ok: false,
        issues: [
          {
            path: `/benchmarks/${duplicate.second}`,
            message: `benchmark '${duplicate.key}' repeats /benchmarks/${duplicate.first}; each (id, metric) may appear once`,
          },
        ],
      };
    }
    return { ok: true, value };
  }
  // ajv's "number" already rejects NaN and Infinity, which adapters could produce.
  return { ok: false, issues: (validate.errors ?? []).map(describe) };
}

/** One line naming the first issue, for error messages. */
export function formatIssues(issues: SchemaIssue[]): string {
  const first = issues[0];
  if (!first) return 'does not match the results schema';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `does not match the results schema at ${first.path}: ${first.message}${more}`;
}
