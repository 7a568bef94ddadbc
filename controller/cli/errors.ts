// Errors the CLI prints as one clear message (no stack trace) before exiting 1.
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The message to show for any error: known errors carry actionable messages; others are summarised. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
