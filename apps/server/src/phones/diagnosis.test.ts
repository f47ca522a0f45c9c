/**
 * Test connection tells a closed port ("connection refused") from a slow phone ("did not answer in
 * time"): against a port nothing listens on and a simulated phone that delays its answers.
 */
import net from 'node:net';
import { diagnosisSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uniquePasscode } from '../test-support/harness.ts';
import { ADVICE, unreachableAdvice } from './diagnosis.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness([{ name: 'Slow', model: 'GRP2614' }], { ctiTimeoutMs: 300 });
});
afterAll(async () => {
  await h?.close();
});

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function reachableCheck(phoneId: string) {
  const res = await h.api('POST', `/api/phones/${phoneId}/test`);
  expect(res.status).toBe(200);
  return diagnosisSchema.parse(res.body).checks.find((c) => c.id === 'reachable');
}

describe('reachable check advice', () => {
  it('a closed port is "connection refused", not the advice meant for timeouts', async () => {
    const port = await closedPort();
    const passcode = uniquePasscode('closed');
    h.secrets.add(passcode);
    const created = await h.api<{ id: string }>('POST', '/api/phones', {
      name: 'Closed port',
      host: `127.0.0.1:${port}`,
      passcode,
    });
    expect(created.status).toBe(201);
    try {
      const reachable = await reachableCheck(created.body.id);
      expect(reachable?.ok).toBe(false);
      expect(reachable?.advice).toBe(ADVICE.refused);
      expect(reachable?.advice).toContain('refused the connection');
      expect(reachable?.advice).not.toContain('did not answer in time');
      h.expectNoSecrets();
    } finally {
      await h.api('DELETE', `/api/phones/${created.body.id}`);
    }
  });

  it('a phone slower than the timeout gets the timeout advice', async () => {
    const slow = h.phone('Slow');
    slow.sim.injectFault({ kind: 'delay', ms: 1500 });
    try {
      const reachable = await reachableCheck(slow.id);
      expect(reachable?.ok).toBe(false);
      expect(reachable?.advice).toBe(ADVICE.timeout);
    } finally {
      slow.sim.clearFaults();
    }
  });

  it('picks advice from the network error code', () => {
    expect(unreachableAdvice('ECONNREFUSED')).toBe(ADVICE.refused);
    expect(unreachableAdvice('EHOSTUNREACH')).toBe(ADVICE.noRoute);
    expect(unreachableAdvice('ENETUNREACH')).toBe(ADVICE.noRoute);
    expect(unreachableAdvice('ENOTFOUND')).toBe(ADVICE.notFound);
    expect(unreachableAdvice('EAI_AGAIN')).toBe(ADVICE.notFound);
    expect(unreachableAdvice('ECONNRESET')).toBe(ADVICE.dropped);
    expect(unreachableAdvice(undefined)).toBe(ADVICE.unreachable);
  });
});
