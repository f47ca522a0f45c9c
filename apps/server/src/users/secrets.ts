/** Session ids, API tokens and display keys: random secrets, stored only as their SHA-256. */
import { hash, randomBytes } from 'node:crypto';

/** A fresh 256-bit secret, prefixed so a leaked one is recognisable (`ldt_` token, `ldk_` display key, `lds_` session). */
export function newSecret(prefix: 'ldt' | 'ldk' | 'lds'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 hex: how sessions, tokens and display keys are stored and looked up. One-shot `hash` (Node
 * 20.12+): every signed-in request computes one, and it builds no Hash object to do so.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}
