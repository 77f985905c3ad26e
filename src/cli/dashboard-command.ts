// `signet dashboard`: serve the KPI dashboard for a scan history on a local port until interrupted.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface DashboardCommandOptions {
  history?: string;
  port: string;
  host: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('serve a local, read-only KPI dashboard for a scan history')
    .option('--history <file>', 'history database (default $SIGNET_HISTORY)')
    .option('--port <n>', 'port (0 = any free port)', '8765')
    .option('--host <address>', 'address to bind; anything but loopback exposes your findings', '127.0.0.1')
    .action(async (opts: DashboardCommandOptions) => {
      const file = opts.history ?? process.env.SIGNET_HISTORY;
      if (!file) throw new UsageError('signet dashboard needs --history FILE (or SIGNET_HISTORY)');
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port ${opts.port} must be a port number from 0 to 65535`);
      if (!LOOPBACK.has(opts.host))
        process.stderr.write(
          `signet: warning: binding ${opts.host} makes the dashboard (your findings) reachable from other machines; it has no authentication\n`,
        );
      const { startDashboard } = await import('../dashboard/server.js');
      const server = await startDashboard({
        historyFile: file,
        host: opts.host,
        port,
        log: (line) => process.stderr.write(`${line}\n`),
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE')
          throw new UsageError(`port ${port} is in use; pass --port with another one (or 0)`);
        throw err;
      });
      process.stderr.write(`Signet dashboard for ${file} at ${server.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
