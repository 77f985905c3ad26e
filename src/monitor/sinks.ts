// Where alerts go: JSON lines or text on stdout, webhooks (Slack-compatible, HMAC-signed, retried with
// back-off) and SNS topics. A delivery that still fails is reported and kept for the next poll.
import { createHmac } from 'node:crypto';
import { SIGNET_VERSION } from '../version.js';
import { type Alert, alertText } from './classify.js';

export interface Sink {
  /** Stable name used to match pending deliveries across restarts (never contains secrets). */
  readonly name: string;
  deliver(alert: Alert): Promise<void>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False for answers a retry cannot fix (a 4xx other than 408/429). */
    readonly retryable: boolean,
    /** Server-requested wait, ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export function stdoutSink(format: 'json' | 'text', write: (line: string) => void): Sink {
  return {
    name: 'stdout',
    deliver: async (alert) => write(format === 'json' ? JSON.stringify(alert) : alertText(alert)),
  };
}

/** Slack webhook URLs are secrets: show only the origin. */
export function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookOptions {
  secret?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function webhookSink(url: string, options: WebhookOptions = {}): Sink {
  const doFetch = options.fetch ?? fetch;
  return {
    name: `webhook:${redactUrl(url)}#${createHmac('sha256', 'signet-sink').update(url).digest('hex').slice(0, 8)}`,
    async deliver(alert) {
      const body = JSON.stringify({ text: alertText(alert), alert });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': `signet/${SIGNET_VERSION}`,
        'x-signet-event-id': alert.id,
      };
      if (options.secret) headers['x-signet-signature'] = webhookSignature(options.secret, body);
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          redirect: 'error',
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        throw new DeliveryError(`${redactUrl(url)}: ${cause ?? (err as Error).name}`, true);
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new DeliveryError(
        `${redactUrl(url)} answered HTTP ${res.status}`,
        res.status >= 500 || res.status === 408 || res.status === 429,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    },
  };
}

export interface SnsPublisher {
  publish(input: { topicArn: string; subject: string; message: string; kind: string }): Promise<void>;
}

export function snsSink(topicArn: string, publisher: SnsPublisher): Sink {
  return {
    name: `sns:${topicArn}`,
    async deliver(alert) {
      // SNS subjects: at most 100 ASCII characters, no line breaks.
      const subject = `Signet: ${alert.title}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
      try {
        await publisher.publish({
          topicArn,
          subject,
          message: JSON.stringify({ text: alertText(alert), alert }),
          kind: alert.kind,
        });
      } catch (err) {
        const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode ?? 0;
        throw new DeliveryError(
          `${topicArn}: ${e.name ?? 'Error'}`,
          status === 0 || status >= 500 || status === 429,
        );
      }
    },
  };
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delivers with exponential back-off (and Retry-After); throws the last error when it gives up. */
export async function deliverWithRetry(sink: Sink, alert: Alert, options: RetryOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? sleepReal;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await sink.deliver(alert);
      return;
    } catch (err) {
      last = err;
      if (err instanceof DeliveryError && !err.retryable) break;
      if (i < attempts - 1) {
        const wait = err instanceof DeliveryError && err.retryAfterMs ? err.retryAfterMs : base * 2 ** i;
        await sleep(Math.min(wait, max));
      }
    }
  }
  throw last;
}
