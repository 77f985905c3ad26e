// The watch loop: resolve account-regions, poll CloudTrail every interval (or once), deliver alerts,
// keep the cursor and the history, stop cleanly on SIGINT/SIGTERM.
import { PublishCommand } from '@aws-sdk/client-sns';
import { WATCH_CALLS } from '../aws/calls.js';
import { ClientFactory, type Credentials, RateLimiter } from '../aws/clients.js';
import { alertToHistoryEvent } from './classify.js';
import { type Sink, snsSink, stdoutSink, webhookSink } from './sinks.js';
import { loadState, saveState } from './state.js';
import { resolveTargets } from './targets.js';
import { pollOnce, type WatchTarget } from './watch.js';

export interface RunWatchOptions {
  endpoint?: string;
  credentials?: Credentials;
  homeRegion: string;
  accounts?: string[];
  org?: boolean;
  roleName: string;
  regions?: string[];
  once: boolean;
  sinceMs: number;
  intervalMs: number;
  stateFile?: string;
  webhooks: string[];
  webhookSecret?: string;
  topics: { arn: string; region: string; accountId: string }[];
  format: 'text' | 'json';
  historyFile?: string;
  /** Tests: where alerts and logs go, and a way to stop a continuous watch. */
  stdout?: (line: string) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  retry?: { attempts?: number; baseDelayMs?: number };
}

export const EXIT_OK = 0;
export const EXIT_INCOMPLETE = 1;

export async function runWatch(options: RunWatchOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stdout = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const factory = new ClientFactory({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    declared: WATCH_CALLS,
    limiter: new RateLimiter(),
  });
  const state = loadState(options.stateFile);
  const history = options.historyFile
    ? await (await import('../history/store.js')).History.open(options.historyFile, { create: true })
    : undefined;
  try {
    const { targets: resolved, unreachable } = await resolveTargets(factory, {
      homeRegion: options.homeRegion,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
      ...(options.org ? { org: true } : {}),
      roleName: options.roleName,
      ...(options.regions ? { regions: options.regions } : {}),
    });
    for (const u of unreachable) log(`signet: cannot watch account ${u.accountId}: ${u.error}`);
    const targets: WatchTarget[] = resolved.map((t) => ({
      accountId: t.accountId,
      region: t.region,
      cloudtrail: factory.cloudtrail({
        accountId: t.accountId,
        region: t.region,
        credentials: t.credentials as Credentials,
      }),
    }));
    const sinks: Sink[] = [stdoutSink(options.format, stdout)];
    for (const url of options.webhooks)
      sinks.push(webhookSink(url, options.webhookSecret ? { secret: options.webhookSecret } : {}));
    for (const topic of options.topics) {
      const client = factory.sns({
        accountId: topic.accountId,
        region: topic.region,
        credentials: options.credentials as Credentials,
      });
      sinks.push(
        snsSink(topic.arn, {
          publish: async (input) => {
            await client.send(
              new PublishCommand({
                TopicArn: input.topicArn,
                Subject: input.subject,
                Message: input.message,
                MessageAttributes: { kind: { DataType: 'String', StringValue: input.kind } },
              }),
            );
          },
        }),
      );
    }
    log(
      `watching ${targets.length} account-region(s) for code signing events${options.once ? ' (once)' : ` every ${Math.round(options.intervalMs / 1000)}s`}`,
    );
    let healthy = unreachable.length === 0;
    for (;;) {
      const result = await pollOnce(targets, sinks, state, {
        now: new Date(),
        sinceMs: options.sinceMs,
        log,
        ...(options.retry ? { retry: options.retry } : {}),
        onAlert: (alert) => history?.recordEvents([alertToHistoryEvent(alert)]),
      });
      // Save after every poll: what was alerted is never alerted again after a restart.
      saveState(options.stateFile, state);
      for (const f of result.failedTargets)
        log(
          `signet: could not read CloudTrail in ${f.accountId}/${f.region} (${f.error}); will retry from the same point`,
        );
      if (result.pending.length > 0)
        log(
          `signet: ${result.pending.length} alert deliveries failed and are kept in the state for the next poll`,
        );
      healthy = unreachable.length === 0 && result.failedTargets.length === 0 && result.pending.length === 0;
      if (options.once || options.signal?.aborted) break;
      const stopped = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          cleanup();
          resolve(false);
        }, options.intervalMs);
        const onStop = () => {
          cleanup();
          resolve(true);
        };
        const cleanup = () => {
          clearTimeout(timer);
          process.off('SIGINT', onStop);
          process.off('SIGTERM', onStop);
          options.signal?.removeEventListener('abort', onStop);
        };
        process.once('SIGINT', onStop);
        process.once('SIGTERM', onStop);
        options.signal?.addEventListener('abort', onStop, { once: true });
      });
      if (stopped) break;
    }
    return healthy ? EXIT_OK : EXIT_INCOMPLETE;
  } finally {
    history?.close();
    factory.destroy();
  }
}
