export type GithubErrorCode =
  | 'GITHUB_INVALID_ARGUMENT'
  | 'GITHUB_UNAUTHORIZED'
  | 'GITHUB_FORBIDDEN'
  | 'GITHUB_RATE_LIMITED'
  | 'GITHUB_NOT_FOUND'
  | 'GITHUB_REJECTED'
  | 'GITHUB_SERVER_ERROR'
  | 'GITHUB_UNREACHABLE'
  | 'GITHUB_BAD_RESPONSE';

/** A failure talking to GitHub, with a message a person can act on. Never carries the token. */
export class GithubApiError extends Error {
  override readonly name = 'GithubApiError';

  constructor(
    readonly code: GithubErrorCode,
    message: string,
    /** The HTTP status GitHub answered, when it answered. */
    readonly status?: number,
    /** For a rate limit: how long GitHub asked to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
