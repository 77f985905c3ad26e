// `signet dashboard`: a local, read-only web page over the scan history (hono). Binds 127.0.0.1 by
// default, answers only GET/HEAD, refuses other Host headers (DNS rebinding), sends a strict CSP and
// loads nothing from outside.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { kpiData } from '../history/index.js';
import { computeKpis, parsePeriod } from '../history/kpi.js';
import { History } from '../history/store.js';
import { DASHBOARD_CSP, type DashboardData, renderDashboard } from './render.js';

export interface DashboardOptions {
  historyFile: string;
  host?: string;
  port?: number;
  /** KPI periods shown in charts. */
  periods?: number;
  log?: (line: string) => void;
}

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function dashboardData(file: string, period: string, periods: number): Promise<DashboardData> {
  const history = await History.open(file);
  try {
    const data = kpiData(history);
    return {
      file,
      runs: data.runs,
      areas: data.areas,
      events: history.events({ limit: 200 }),
      findings: history.latestFindings(),
      kpis: computeKpis(data, { period, count: periods }),
      generatedAt: new Date().toISOString(),
    };
  } finally {
    history.close();
  }
}

export function dashboardApp(options: DashboardOptions, allowedHosts: () => Set<string>): Hono {
  const app = new Hono();
  const periods = options.periods ?? 12;
  app.use('*', async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return c.text('read-only dashboard: GET only\n', 405);
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!allowedHosts().has(host)) return c.text('unexpected Host header\n', 421);
    await next();
  });
  const period = (value: string | undefined) => {
    const p = value ?? '30d';
    parsePeriod(p);
    return p;
  };
  app.onError((err, c) => {
    const usage = (err as { code?: string }).code === 'USAGE';
    options.log?.(`dashboard: ${err.message}`);
    return c.text(`${usage ? err.message : 'internal error reading the history'}\n`, usage ? 400 : 500);
  });
  app.get('/', async (c) =>
    c.html(renderDashboard(await dashboardData(options.historyFile, period(c.req.query('period')), periods))),
  );
  app.get('/api/kpis', async (c) => {
    const data = await dashboardData(options.historyFile, period(c.req.query('period')), periods);
    return c.json(data.kpis);
  });
  app.get('/api/findings', async (c) => {
    const data = await dashboardData(options.historyFile, '30d', 1);
    return c.json({ findings: data.findings });
  });
  app.notFound((c) => c.text('not found\n', 404));
  return app;
}

export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  // Fail before listening when the history cannot be read.
  (await History.open(options.historyFile)).close();
  const host = options.host ?? '127.0.0.1';
  let hosts = new Set<string>();
  const app = dashboardApp(options, () => hosts);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  hosts = new Set([`${bracketed}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  return {
    url: `http://${bracketed}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
