// The platform client's public surface: import from here.
export { AtomSphereClient, BULK_BATCH_SIZE, userIdOf } from './client.js';
export type { AtomSphereClientOptions, BulkGetResult, BulkItemError, CreateOptions } from './client.js';
export {
  ConflictError,
  errorForStatus,
  ForbiddenError,
  NotFoundError,
  PlatformError,
  RateLimitedError,
  UnauthorizedError,
  UnreachableError,
} from './errors.js';
export type { PlatformErrorCode, PlatformErrorDetails, RequestDescription, Verb } from './errors.js';
export { PROBE_ATOM_ID, probeCapabilities } from './capabilities.js';
export { readPrincipal } from './principal.js';
export { and, equals, equalsAny, MATCH_ALL, notEquals, or } from './query-expression.js';
export { RequestCounter } from './request-counter.js';
export type { RequestEvent, RequestStats } from './request-counter.js';
export { sharedTokenBucket, TokenBucket } from './token-bucket.js';
export type * from './wire.js';
export { TERMINAL_REQUEST_STATUSES } from './wire.js';
