/**
 * A JSON Schema (2020-12) validator compiled on first use and kept for the
 * process: ajv's code generation costs milliseconds, and a run that reads no
 * claims or thresholds file should not pay for their schemas. Every schema of
 * the project is checked with the same strictness. Pure.
 */
import { Ajv2020, type AnySchema, type Options, type ValidateFunction } from 'ajv/dist/2020.js';

export function compiledOnce(schema: AnySchema, options: Options = {}): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () =>
    (compiled ??= new Ajv2020({ allErrors: false, strict: true, validateFormats: false, ...options }).compile(schema));
}
