import { IDEMPOTENCY_KEY_PATTERN } from '@linedeck/contract/limits';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, intentKey, newIdempotencyKey } from './api-client.ts';

describe('newIdempotencyKey', () => {
  it('is a key the server accepts, new each time', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });

  it('works without crypto.randomUUID (plain HTTP on a LAN is not a secure context)', () => {
    const source = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const a = newIdempotencyKey(source);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(newIdempotencyKey(source)).not.toBe(a);
  });
});

describe('api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends Idempotency-Key only when asked to', async () => {
    const fetch = vi.fn(async () => new Response('{"ok":true,"body":"complete"}', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await api('/api/phones/p/keys', { method: 'POST', body: { keys: ['0'] }, idempotencyKey: 'k-1' });
    await api('/api/phones/p/calls', { method: 'POST', body: { number: '1' } });
    const headers = (fetch.mock.calls as unknown as [string, RequestInit][]).map(
      ([, init]) => init.headers as Record<string, string>,
    );
    expect(headers[0]?.['idempotency-key']).toBe('k-1');
    expect(headers[1]).not.toHaveProperty('idempotency-key');
  });
});

describe('intentKey', () => {
  it('names one intent on one call: the same call gives the same key, another call another key', () => {
    const first = intentKey('acceptcall', 'p1:1:ringing:2026-01-01T10:00:03.000Z:5550202');
    expect(first).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(intentKey('acceptcall', 'p1:1:ringing:2026-01-01T10:00:03.000Z:5550202')).toBe(first);
    expect(intentKey('acceptcall', 'p1:1:ringing:2026-01-01T10:00:09.000Z:5550202')).not.toBe(first);
    expect(intentKey('endcall', 'p1:1:ringing:2026-01-01T10:00:03.000Z:5550202')).not.toBe(first);
  });
});
