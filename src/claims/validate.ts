import type { ErrorObject } from 'ajv/dist/2020.js';
import { compiledOnce } from '../schema/compile.ts';
import schema from '../schema/claims.schema.json' with { type: 'json' };
import type { SchemaIssue } from '../schema/validate.ts';
import type { ClaimsFile } from './types.ts';

export { schema as claimsSchema };

export type ClaimsValidation = { ok: true; value: ClaimsFile } | { ok: false; issues: SchemaIssue[] };

// discriminator: errors name the claim kind's own fields instead of every oneOf branch.
const validator = compiledOnce(schema, { strictRequired: false, discriminator: true });

function describe(error: ErrorObject): SchemaIssue {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as {
    additionalProperty?: unknown;
    allowedValues?: unknown[];
    tag?: unknown;
    tagValue?: unknown;
  };
  if (error.keyword === 'additionalProperties')
    return { path, message: `unknown property '${String(params.additionalProperty)}'` };
  if (error.keyword === 'discriminator')
    return { path, message: `kind must be one of percentile, median, speedup, check` };
  if (error.keyword === 'oneOf' || error.keyword === 'not') return { path, message: 'needs exactly one of max or min' };
  const extra = error.keyword === 'enum' ? ` (${(params.allowedValues ?? []).join(', ')})` : '';
  return { path, message: `${error.message ?? error.keyword}${extra}` };
}

/** Checks untrusted data against claims.schema.json. Pure. Duplicate claim ids are an issue too. */
export function validateClaims(data: unknown): ClaimsValidation {
  const validate = validator();
  if (!validate(data)) {
    // The bound's oneOf says what to fix; its branches' 'required' errors only restate it.
    const errors = [...(validate.errors ?? [])].sort(
      (a, b) => Number(b.keyword === 'oneOf') - Number(a.keyword === 'oneOf'),
    );
    return { ok: false, issues: errors.map(describe) };
  }
  const file = data as ClaimsFile;
  const seen = new Set<string>();
  for (const [i, claim] of file.claims.entries()) {
    if (seen.has(claim.id))
      return { ok: false, issues: [{ path: `/claims/${i}/id`, message: `duplicate claim id '${claim.id}'` }] };
    seen.add(claim.id);
  }
  return { ok: true, value: file };
}

/** One line naming the first issue, for error messages. */
export function formatClaimsIssues(issues: SchemaIssue[]): string {
  const first = issues[0];
  if (!first) return 'does not match the claims schema';
  return `does not match the claims schema at ${first.path}: ${first.message}`;
}
