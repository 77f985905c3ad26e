// The KPI dashboard: HTTP hardening (loopback, GET only, Host check, CSP) and the page in a real
// Chromium (Debian's, driven by playwright-core): it renders, charts have data, filters work, hostile
// names stay text, and no CSP violation occurs. A screenshot lands in the test's temp directory.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { type DashboardServer, startDashboard } from '../../src/dashboard/server.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { recordScan } from '../../src/history/index.js';
import { History } from '../../src/history/store.js';
import type { LambdaFunction, Snapshot } from '../../src/model/snapshot.js';
import { ACCOUNT, aCsc, aFunction, aProfile, aSnapshot, REGION } from '../helpers/builders.js';

const CHROMIUM = process.env.SIGNET_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(
    `Chromium is required in CI for the dashboard test (${CHROMIUM}); .ci/run installs it with apt-get`,
  );
}

const config = defaultConfig();
const enforce = aCsc({ suffix: 'e', policy: 'Enforce' });
let dir: string;
let file: string;
let server: DashboardServer;

function fleet(at: string, fns: LambdaFunction[]): Snapshot {
  return aSnapshot({
    collectedAt: at,
    functions: fns,
    codeSigningConfigs: [enforce],
    signingProfiles: [aProfile()],
  });
}
const attach = (fn: LambdaFunction): LambdaFunction => ({
  ...fn,
  codeSigningConfig: { state: 'attached', id: enforce.id },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-dashboard-'));
  file = join(dir, 'history.db');
  const hostile = aFunction({ name: '<img src=x onerror=alert(1)>', tags: { env: 'prod' } });
  const a = aFunction({ name: 'orders', tags: { env: 'prod' } });
  const b = aFunction({ name: 'billing' });
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
  for (const [at, fns] of [
    [day(20), [a, b, hostile]],
    [day(10), [attach(a), b, hostile]],
    [day(1), [attach(a), attach(b), hostile]],
  ] as const) {
    const snapshot = fleet(at, [...fns]);
    await recordScan(file, snapshot, evaluate(snapshot, config, { now: new Date(at) }).findings, config);
  }
  const h = await History.open(file);
  h.recordEvents([
    {
      eventId: 'evt-1',
      kind: 'deployment-blocked',
      eventTime: day(2),
      accountId: ACCOUNT,
      region: REGION,
      eventName: 'UpdateFunctionCode20150331v2',
      resource: 'orders',
      principal: 'arn:aws:iam::123456789012:user/mallory',
      errorCode: 'CodeVerificationFailedException',
    },
  ]);
  h.close();
  server = await startDashboard({ historyFile: file, port: 0 });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

function raw(
  method: string,
  path: string,
  host: string,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('signet dashboard over HTTP', () => {
  it('binds loopback and sends a strict CSP and hardening headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'sha256-/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const page = await res.text();
    expect(page).not.toMatch(/<img src=x/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('is read-only and refuses foreign Host headers (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    expect((await raw('POST', '/', `127.0.0.1:${port}`)).status).toBe(405);
    expect((await raw('DELETE', '/api/kpis', `127.0.0.1:${port}`)).status).toBe(405);
    expect((await raw('GET', '/', `evil.example:${port}`)).status).toBe(421);
    expect((await raw('GET', '/', `localhost:${port}`)).status).toBe(200);
  });

  it('serves the KPIs as JSON and rejects a bad period in one line', async () => {
    const kpis = (await (await fetch(`${server.url}api/kpis?period=30d`)).json()) as {
      overall: { enforcement: { production: { percent: number } } | null }[];
    };
    expect(kpis.overall.at(-1)!.enforcement!.production.percent).toBe(50);
    const bad = await fetch(`${server.url}?period=fortnight`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/--period fortnight must be/);
  });
});

describe.skipIf(!hasChromium)('signet dashboard in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders cards and charts with data, filters findings, and runs under its CSP without violations', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await expect(page.locator('#cards .card').first().textContent()).resolves.toContain(
      'Production functions in Enforce',
    );
    const cards = await page.locator('#cards').textContent();
    expect(cards).toContain('50%');
    const points = await page
      .locator('.chart')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));
    expect(points.length).toBe(4);
    expect(points[0]).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.chart svg circle').count()).toBeGreaterThan(0);
    expect(await page.locator('.chart svg rect').count()).toBeGreaterThan(0);

    const total = Number(await page.locator('#shown').textContent());
    expect(total).toBeGreaterThan(1);
    await page.selectOption('select[name="rule"]', 'SGN-001');
    const sgn001 = Number(await page.locator('#shown').textContent());
    expect(sgn001).toBeLessThan(total);
    expect(await page.locator('#findings tbody tr:not([hidden])').count()).toBe(sgn001);
    await page.fill('input[name="q"]', 'onerror');
    expect(await page.locator('#findings tbody tr:not([hidden])').count()).toBe(1);
    // The hostile name is text, never an element.
    expect(await page.locator('#findings img').count()).toBe(0);
    await page.fill('input[name="q"]', '');
    await page.selectOption('select[name="rule"]', '');

    expect(await page.locator('#alerts tbody tr').count()).toBe(1);
    expect(await page.locator('#coverage tbody tr').count()).toBe(1);
    const shot = join(dir, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
