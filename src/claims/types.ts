/** TypeScript view of claims.schema.json; `validateClaims` is the only way JSON becomes a ClaimsFile. */
export type Bound = { max: number; min?: never } | { min: number; max?: never };

interface ClaimBase {
  id: string;
  description?: string;
}

/** `metric` picks which of the benchmark's metrics is bounded (e.g. 'instructions'); default its wall time. */
export type PercentileClaim = ClaimBase &
  Bound & { kind: 'percentile'; benchmark: string; metric?: string; percentile: number; unit?: string };
export type MedianClaim = ClaimBase & Bound & { kind: 'median'; benchmark: string; metric?: string; unit?: string };
export interface SpeedupClaim extends ClaimBase {
  kind: 'speedup';
  pair: string;
  min: number;
}
export interface CheckClaim extends ClaimBase {
  kind: 'check';
  check: string;
}

export type Claim = PercentileClaim | MedianClaim | SpeedupClaim | CheckClaim;
export type ClaimKind = Claim['kind'];

export interface ClaimsFile {
  $schema?: string;
  claims: Claim[];
}

/**
 * pass/fail as measured; `missing` when the benchmark, pair or check is absent or cannot be measured (never a pass).
 */
export type ClaimStatus = 'pass' | 'fail' | 'missing';

export interface Quantity {
  value: number;
  unit: string;
}

export interface ClaimResult {
  id: string;
  kind: ClaimKind;
  description: string;
  status: ClaimStatus;
  /** The measured value in the claim's unit; null when missing or for checks. */
  measured: Quantity | null;
  /** The bound: measured must be <= (max) or >= (min) it. Null for checks. */
  bound: { op: '<=' | '>='; value: number; unit: string } | null;
  /** Speedup claims: lower end of the speedup's confidence interval, when known. */
  ciLower?: number | null;
  /** One line: how it was measured, or why it is missing. */
  detail: string;
}
