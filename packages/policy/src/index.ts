// @corsplane/policy: the one implementation of corsplane's CORS rules (SPEC §2-§3.1).
export {
  validatePolicy,
  emptyPolicy,
  CHROMIUM_MAX_AGE_CAP_SECONDS,
  MAX_POLICY_ORIGINS,
} from './validate.js';
export type { ValidateOptions } from './validate.js';
export { compilePolicy } from './compile.js';
export {
  validateBaseline,
  expandBaseline,
  expandPattern,
  effectivePolicy,
  TENANT_PLACEHOLDER,
  MAX_BASELINE_ORIGINS,
  MAX_BASELINE_ISSUES,
} from './baseline.js';
export type {
  BaselineDocument,
  BaselineEntry,
  BaselineValidateOptions,
  BaselineValidationResult,
} from './baseline.js';
export type { CompiledPolicy } from './compile.js';
export { decide } from './decide.js';
export { MAX_POLICY_ROUTES, MAX_ROUTE_PATH_LENGTH, parseRoutePath } from './route-path.js';
export type { RoutePathResult } from './route-path.js';
export { PolicyValidationError } from './errors.js';
export { parseOriginPattern, isLoopbackHost } from './origin-pattern.js';
export type { OriginPattern, HostPattern, PatternParseResult } from './origin-pattern.js';
export {
  parseRequestOrigin,
  MAX_ORIGIN_LENGTH,
  MAX_HOST_LENGTH,
  MAX_LABEL_LENGTH,
} from './request-origin.js';
export { MAX_REQUEST_HEADERS_LENGTH, MAX_REQUEST_HEADER_NAMES } from './request-headers.js';
export type * from './types.js';
export { shadowDirection } from './shadow.js';
export type { ShadowDirection } from './shadow.js';
