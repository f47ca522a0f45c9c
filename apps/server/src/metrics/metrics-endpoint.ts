/**
 * Where Prometheus scrapes: `GET /metrics` on the app behind `Authorization: Bearer <METRICS_TOKEN>`,
 * and/or on a port of its own (METRICS_PORT, for a network only the monitoring reaches; the token is
 * required there too when set). Off unless one of the two is configured.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

/** The scrape handler: a node handler, so Express mounts it and the metrics port serves it alike. */
export function metricsHandler(metrics: Metrics, token: string | undefined, logger: Logger): Handler {
  return (req, res) => {
    if (token !== undefined) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!sameSecret(given, token)) {
        plain(res, 401, 'A metrics token is required: Authorization: Bearer <METRICS_TOKEN>.', {
          'www-authenticate': 'Bearer realm="metrics"',
        });
        return;
      }
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      (err: unknown) => {
        logger.error({ err }, 'metrics scrape failed');
        plain(res, 500, 'The metrics could not be collected.');
      },
    );
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** The separate metrics port: `/metrics` only, everything else 404. */
export async function startMetricsServer(
  handler: Handler,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return plain(res, 404, 'Only /metrics is served on this port.');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'GET /metrics.', { allow: 'GET' });
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
