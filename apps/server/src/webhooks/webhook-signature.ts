/**
 * How a delivery is signed: `X-LineDeck-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * with the webhook's secret, the timestamp (Unix seconds) also sent as `X-LineDeck-Timestamp`. Signing
 * the timestamp with the body lets a receiver refuse an old delivery replayed to it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh signing secret, prefixed so a leaked one is recognisable. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What a receiver does (docs/integrations.md has the same in a few lines of Node). */
export function verifyDelivery(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
