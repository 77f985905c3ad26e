// AWS-shaped errors raised by sandbox handlers; each protocol module renders them on the wire.

export interface AwsErrorOptions {
  /** Extra members rendered into the error body (e.g. Lambda's `Reason`, `retryAfterSeconds`). */
  fields?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Lambda exceptions differ in the casing of their message member (`Message` vs `message`). */
  messageKey?: 'Message' | 'message';
  /** `Sender` (client fault) or `Receiver` (server fault); derived from the status when omitted. */
  fault?: 'Sender' | 'Receiver';
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly messageKey: 'Message' | 'message';
  readonly fault: 'Sender' | 'Receiver';

  constructor(code: string, status: number, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
    this.messageKey = options.messageKey ?? 'message';
    this.fault = options.fault ?? (status >= 500 ? 'Receiver' : 'Sender');
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError;
}
