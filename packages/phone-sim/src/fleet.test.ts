import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFleet } from './fleet.ts';
import { sidOf, web } from './session-test-support.ts';
import { cti } from './test-support.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('startFleet', () => {
  it('starts phones on distinct ports with varied models, names, accounts and MACs', async () => {
    const fleet = await startFleet({ count: 4 });
    try {
      const ports = new Set(fleet.phones.map((p) => p.port));
      expect(ports.size).toBe(4);
      expect(fleet.phones.map((p) => p.model)).toEqual(['GRP2614', 'GRP2612', 'GRP2601', 'GRP2616']);
      expect(fleet.phones.map((p) => p.lineCount)).toEqual([8, 4, 2, 12]);
      expect(new Set(fleet.phones.map((p) => p.snapshot().mac)).size).toBe(4);
      const accounts = await cti(fleet.phones[1] as never, 'api-get_accounts');
      expect(accounts.json.body[0]).toMatchObject({ sip_id: '2002', name: 'Sales', reg: 1 });
    } finally {
      await fleet.close();
    }
  });

  it('firmwareProfiles cycle over the phones: one fleet speaks both schemes', async () => {
    const fleet = await startFleet({
      count: 4,
      firmwareProfiles: ['passcode', 'session', 'passcode-wrongn'],
    });
    try {
      const [plain, session, wrongn, again] = fleet.phones as [never, never, never, never];
      expect(fleet.phones.map((p) => p.firmwareProfile)).toEqual([
        'passcode',
        'session',
        'passcode-wrongn',
        'passcode',
      ]);
      expect((await cti(plain, 'api-get_phone_status')).json.body).toBe('available');
      expect((await cti(session, 'api-get_phone_status')).status).toBe(403);
      const sid = await sidOf(session);
      expect((await web(session, 'api-get_phone_status', { method: 'GET', sid })).json.body).toBe(
        'available',
      );
      expect((await cti(wrongn, 'api-get_phone_status', {}, 'bad')).json.body).toBe('wrong4');
      expect((await cti(again, 'api-get_phone_status', {}, 'bad')).status).toBe(401);
    } finally {
      await fleet.close();
    }
  });

  it('basePort: phone i on basePort + i; shared options apply to all; models cycle', async () => {
    const base = await freePort();
    const fleet = await startFleet({ count: 3, basePort: base, models: ['GRP2602'], adminPasscode: 'pw' });
    try {
      expect(fleet.phones.map((p) => p.port)).toEqual([base, base + 1, base + 2]);
      expect(fleet.phones.every((p) => p.model === 'GRP2602')).toBe(true);
      expect((await cti(fleet.phones[2] as never, 'api-get_line_status', {}, 'pw')).status).toBe(200);
    } finally {
      await fleet.close();
    }
    await expect(fetch(`http://127.0.0.1:${base}/sim/state`)).rejects.toThrow();
  });

  it('500 phones run in one process and all answer', async () => {
    const fleet = await startFleet({ count: 500 });
    try {
      const answers = await Promise.all(
        fleet.phones.map((p) =>
          fetch(`${p.url}/cgi-bin/api-get_phone_status?passcode=admin`).then(
            (r) => r.json() as Promise<{ body: string }>,
          ),
        ),
      );
      expect(answers.every((a) => a.body === 'available')).toBe(true);
    } finally {
      await fleet.close();
    }
  });
});
