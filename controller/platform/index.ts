// The platform client's public surface: import from here.
export { AtomSphereClient } from './client.js';
export type { AtomSphereClientOptions, BulkGetResult, BulkItemError, CreateOptions } from './client.js';
export {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PlatformError,
  RateLimitedError,
  UnauthorizedError,
  UnreachableError,
} from './errors.js';
export type { PlatformErrorCode, PlatformErrorDetails, RequestDescription, Verb } from './errors.js';
export { probeCapabilities } from './capabilities.js';
export { readPrincipal } from './principal.js';
export { and, equals } from './query-expression.js';
export { RequestCounter } from './request-counter.js';
export type { RequestEvent, RequestStats } from './request-counter.js';
export type * from './wire.js';
