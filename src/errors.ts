// Signet's error hierarchy: stable codes, one clear line for users, causes chained for --debug.

/** Marks Signet's own errors; survives subclass names and duplicate module copies (unlike `name`). */
const SIGNET_ERROR = Symbol.for('signet.error');

export class SignetError extends Error {
  readonly [SIGNET_ERROR] = true;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SignetError';
  }
}

/** Brand check: is this one of Signet's errors (any subclass), not an AWS or network error? */
export function isSignetError(err: unknown): err is SignetError {
  return (
    typeof err === 'object' && err !== null && (err as { [SIGNET_ERROR]?: unknown })[SIGNET_ERROR] === true
  );
}

/** Bad input from the user: an option, a file, a config value. The message names the fix. */
export class UsageError extends SignetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
    this.name = 'UsageError';
  }
}
