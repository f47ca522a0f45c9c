/**
 * An EventHub alone behind `GET /events`, for tests of who gets which event: `?only=a,b` is a principal
 * limited to those phones, no query one who sees every phone, `?wall` a display key.
 */
import type http from 'node:http';
import express from 'express';
import type { EventHub } from '../events.ts';

export interface HubServer {
  url: string;
  /** Closes the hub (ending its streams) and the server. */
  close(): Promise<void>;
}

export async function serveHub(hub: EventHub): Promise<HubServer> {
  const app = express();
  app.get(
    '/events',
    hub.handler(
      (res) => {
        const only = res.req.query.only;
        if (typeof only !== 'string') return undefined;
        const ids = new Set(only.split(','));
        return (id) => ids.has(id);
      },
      (res) => res.req.query.wall === undefined,
    ),
  );
  const server: http.Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/events`,
    async close() {
      hub.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
