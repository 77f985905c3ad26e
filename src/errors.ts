// Signet's error hierarchy: stable codes, one clear line for users, causes chained for --debug.

export class SignetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SignetError';
  }
}

/** Bad input from the user: an option, a file, a config value. The message names the fix. */
export class UsageError extends SignetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
    this.name = 'UsageError';
  }
}
