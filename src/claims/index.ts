export { evaluateClaims } from './evaluate.ts';
export { validateClaims, formatClaimsIssues, claimsSchema } from './validate.ts';
export type { ClaimsValidation } from './validate.ts';
export type {
  Bound,
  CheckClaim,
  Claim,
  ClaimKind,
  ClaimResult,
  ClaimsFile,
  ClaimStatus,
  MedianClaim,
  PercentileClaim,
  Quantity,
  SpeedupClaim,
} from './types.ts';
