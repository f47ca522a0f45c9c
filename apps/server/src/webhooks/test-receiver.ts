/**
 * A webhook receiver for the tests: a real HTTP server that checks each delivery's signature the way
 * docs/integrations.md tells receivers to, answers 204 (or 500 when told), and can go down (its port
 * refuses connections) and come back on the same port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebhookPayload, webhookPayloadSchema } from '@linedeck/contract';

export interface Received {
  event: string;
  delivery: string;
  timestamp: string;
  signatureValid: boolean;
  body: WebhookPayload;
  raw: string;
}

export interface TestReceiver {
  url: string;
  /** Deliveries answered 2xx, in arrival order. */
  received: Received[];
  /** Every request that reached it (500s included). */
  requests: number;
  /** The secret signatures are checked with (set after the webhook is created). */
  secret: string;
  answer: 'ok' | 'error';
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function verify(secret: string, timestamp: string, raw: string, signature: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
  return (
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  );
}

export async function startTestReceiver(): Promise<TestReceiver> {
  let port = 0;
  let server: http.Server | undefined;
  const receiver: TestReceiver = {
    url: '',
    received: [],
    requests: 0,
    secret: '',
    answer: 'ok',
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async up() {
      const s = http.createServer((req, res) => {
        let raw = '';
        req.setEncoding('utf8');
        req.on('data', (d: string) => {
          raw += d;
        });
        req.on('end', () => {
          receiver.requests++;
          if (receiver.answer === 'error') {
            res.writeHead(500).end('not today');
            return;
          }
          const timestamp = String(req.headers['x-linedeck-timestamp'] ?? '');
          receiver.received.push({
            event: String(req.headers['x-linedeck-event'] ?? ''),
            delivery: String(req.headers['x-linedeck-delivery'] ?? ''),
            timestamp,
            signatureValid: verify(
              receiver.secret,
              timestamp,
              raw,
              String(req.headers['x-linedeck-signature'] ?? ''),
            ),
            body: webhookPayloadSchema.parse(JSON.parse(raw)),
            raw,
          });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', () => resolve()));
      port = (s.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hooks/linedeck`;
      server = s;
    },
    close: () => receiver.down(),
  };
  await receiver.up();
  return receiver;
}
