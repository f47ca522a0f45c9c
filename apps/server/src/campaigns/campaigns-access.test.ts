/**
 * Who may do what with campaigns, over HTTP with real sign-ins: admins manage; an operator creates and
 * manages only a personal preview campaign on their own phone and works campaigns on their phones;
 * viewers read campaigns of phones they see; nobody dials outside the calling hours.
 */
import { type Campaign, createCampaignResultSchema, createdSecretSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../test-support/harness.ts';
import {
  type AuthHarness,
  browser,
  cookieFrom,
  expectError,
  send,
  startAlphaBravo,
} from '../users/test-support.ts';

let h: AuthHarness;
let a: string;
let b: string;

beforeAll(async () => {
  ({ h, a, b } = await startAlphaBravo());
});
afterAll(async () => {
  await h?.close();
});

const made = (reply: { body: unknown }) => createCampaignResultSchema.parse(reply.body).campaign;

describe('roles', () => {
  it('an operator makes a personal preview campaign on their own phone, and manages only that', async () => {
    const op = await h.user('operator', { phoneIds: [a] });
    const personal = { name: 'My list', mode: 'preview', phoneIds: [a], entries: [{ number: '2001' }] };
    expectError(await op.req('POST', '/api/campaigns', { ...personal, mode: 'automatic' }), 403, 'forbidden');
    expectError(await op.req('POST', '/api/campaigns', { ...personal, phoneIds: [b] }), 403, 'forbidden');
    expectError(await op.req('POST', '/api/campaigns', { ...personal, phoneIds: [a, b] }), 403, 'forbidden');
    const mine = await op.req('POST', '/api/campaigns', personal);
    expect(mine.status, mine.text).toBe(201);
    const own = made(mine);
    expect(own.createdBy).toBe(op.username);
    expect((await op.req('POST', `/api/campaigns/${own.id}/start`)).status).toBe(200);
    await waitFor(async () => {
      const c = (await op.req<Campaign>('GET', `/api/campaigns/${own.id}`)).body;
      return c.phones[0]?.entry?.state === 'offered';
    });
    expect(
      (await op.req('POST', `/api/campaigns/${own.id}/next`, { phoneId: a, action: 'skip' })).status,
    ).toBe(200);
    expect((await op.req('POST', `/api/campaigns/${own.id}/stop`)).status).toBe(200);

    // The admin's campaign on both phones: the operator works it on their phone but does not manage it.
    const team = made(
      await h.admin.req('POST', '/api/campaigns', {
        name: 'Team',
        mode: 'preview',
        phoneIds: [a, b],
        entries: [{ number: '2002' }, { number: '2003' }],
      }),
    );
    expectError(await op.req('POST', `/api/campaigns/${team.id}/start`), 403, 'forbidden');
    expect((await h.admin.req('POST', `/api/campaigns/${team.id}/start`)).status).toBe(200);
    expectError(
      await op.req('POST', `/api/campaigns/${team.id}/next`, { phoneId: b, action: 'skip' }),
      403,
      'forbidden',
    );
    await waitFor(async () => {
      const c = (await op.req<Campaign>('GET', `/api/campaigns/${team.id}`)).body;
      return c.phones.every((p) => p.entry?.state === 'offered');
    });
    expect(
      (await op.req('POST', `/api/campaigns/${team.id}/next`, { phoneId: a, action: 'skip' })).status,
    ).toBe(200);
    // Only an admin takes a number off the do-not-call list (in any written form it was listed in).
    expect((await op.req('POST', '/api/do-not-call', { numbers: ['2099'] })).status).toBe(201);
    expectError(await op.req('DELETE', '/api/do-not-call?number=2099'), 403, 'forbidden');
    const removed = await h.admin.req<{ removed: number }>('DELETE', '/api/do-not-call?number=2099');
    expect([removed.status, removed.body.removed], removed.text).toEqual([200, 1]);
    expect((await h.admin.req('POST', `/api/campaigns/${team.id}/stop`)).status).toBe(200);
  });

  it('a viewer reads the campaigns of phones they see, and changes nothing', async () => {
    const viewer = await h.user('viewer', { phoneIds: [b] });
    const onA = made(
      await h.admin.req('POST', '/api/campaigns', { name: 'Only A', mode: 'automatic', phoneIds: [a] }),
    );
    const onB = made(
      await h.admin.req('POST', '/api/campaigns', { name: 'Has B', mode: 'automatic', phoneIds: [a, b] }),
    );
    const list = await viewer.req<{ campaigns: Campaign[] }>('GET', '/api/campaigns');
    const ids = list.body.campaigns.map((c) => c.id);
    expect(ids).toContain(onB.id);
    expect(ids).not.toContain(onA.id);
    expectError(await viewer.req('GET', `/api/campaigns/${onA.id}`), 404, 'not_found');
    expectError(await viewer.req('POST', `/api/campaigns/${onB.id}/start`), 403, 'forbidden');
    expectError(
      await viewer.req('POST', '/api/campaigns', { name: 'x', mode: 'preview', phoneIds: [b] }),
      403,
      'forbidden',
    );
    expectError(await viewer.req('GET', '/api/do-not-call'), 403, 'forbidden');
    expectError(await h.anonymous.req('GET', '/api/campaigns'), 401, 'unauthenticated');
  });
});

describe('display keys', () => {
  it('a wall sees no campaign and no do-not-call list', async () => {
    const key = await h.admin.req('POST', '/api/display-keys', { name: 'Wall', phoneIds: [a] });
    expect(key.status, key.text).toBe(201);
    const { secret } = createdSecretSchema.parse(key.body);
    h.passwords.add(secret);
    const opened = await send(h.url, 'GET', `/wall?key=${encodeURIComponent(secret)}`);
    expect(opened.status, opened.text).toBe(303);
    const wall = browser(h.url, cookieFrom(opened), 'wall');
    expect((await wall.req('GET', '/api/phones')).status).toBe(200);
    expectError(await wall.req('GET', '/api/campaigns'), 403, 'forbidden');
    expectError(await wall.req('GET', '/api/do-not-call'), 403, 'forbidden');
  });
});

describe('calling hours', () => {
  it('dial nothing outside them, automatic or on the press', async () => {
    // A window that is closed now wherever the clock is: it starts two hours from now (UTC).
    const hh = (offset: number) => String((new Date().getUTCHours() + offset) % 24).padStart(2, '0');
    const callingHours = { from: `${hh(2)}:00`, to: `${hh(3)}:00`, timeZone: 'UTC' };
    const auto = made(
      await h.admin.req('POST', '/api/campaigns', {
        name: 'Night',
        mode: 'automatic',
        phoneIds: [a],
        entries: [{ number: '2004' }],
        wrapUpSeconds: 0,
        callingHours,
      }),
    );
    const manual = made(
      await h.admin.req('POST', '/api/campaigns', {
        name: 'Night by hand',
        mode: 'preview',
        phoneIds: [b],
        entries: [{ number: '2005' }],
        callingHours,
      }),
    );
    const before = h.phone('Alpha').sim.requestLog().length;
    expect((await h.admin.req('POST', `/api/campaigns/${auto.id}/start`)).status).toBe(200);
    expect((await h.admin.req('POST', `/api/campaigns/${manual.id}/start`)).status).toBe(200);
    await waitFor(async () => {
      const c = (await h.admin.req<Campaign>('GET', `/api/campaigns/${auto.id}`)).body;
      return c.phones[0]?.waiting === 'outside_hours';
    });
    expectError(
      await h.admin.req('POST', `/api/campaigns/${manual.id}/next`, { phoneId: b, action: 'dial' }),
      409,
      'rejected',
    );
    await sleep(600);
    const calls = (name: string) =>
      h
        .phone(name)
        .sim.requestLog()
        .filter((e) => e.function === 'api-make_call');
    expect(calls('Alpha').length + calls('Bravo').length).toBe(0);
    expect(h.phone('Alpha').sim.requestLog().length).toBeGreaterThan(before);
    await h.admin.req('POST', `/api/campaigns/${auto.id}/stop`);
    await h.admin.req('POST', `/api/campaigns/${manual.id}/stop`);
  });
});
