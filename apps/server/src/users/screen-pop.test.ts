/**
 * The screen pop setting over HTTP against the real server: each user reads and sets their own, a bad
 * template is refused with its reason and changes nothing, and an empty one turns it off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, expectError, startAuthHarness } from './test-support.ts';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness([]);
});
afterAll(async () => {
  await h?.close();
});

const CRM = 'https://crm.example/search?phone={number}&name={name}';

describe('screen pop setting', () => {
  it('is off until set, and each user has their own', async () => {
    const ana = await h.user('operator');
    const ben = await h.user('viewer');
    expect((await ana.req('GET', '/api/account/screen-pop')).body).toEqual({
      template: null,
      openOn: 'ringing',
    });

    const set = await ana.req('PUT', '/api/account/screen-pop', { template: CRM, openOn: 'answered' });
    expect(set.status, set.text).toBe(200);
    expect((await ana.req('GET', '/api/account/screen-pop')).body).toEqual({
      template: CRM,
      openOn: 'answered',
    });
    expect((await ben.req('GET', '/api/account/screen-pop')).body).toEqual({
      template: null,
      openOn: 'ringing',
    });

    // Changing it again replaces the one row.
    await ana.req('PUT', '/api/account/screen-pop', {
      template: 'https://crm.example/{number}',
      openOn: 'ringing',
    });
    expect((await ana.req('GET', '/api/account/screen-pop')).body).toEqual({
      template: 'https://crm.example/{number}',
      openOn: 'ringing',
    });
  });

  it('refuses a template that is not http(s) or names an unknown placeholder, and keeps the old one', async () => {
    const u = await h.user('operator');
    await u.req('PUT', '/api/account/screen-pop', { template: CRM, openOn: 'ringing' });
    for (const template of ['javascript:alert({name})', 'https://crm.example/?q={caller}', 'not a url']) {
      const reply = await u.req('PUT', '/api/account/screen-pop', { template, openOn: 'ringing' });
      expectError(reply, 400, 'invalid_input');
    }
    const unknown = await u.req('PUT', '/api/account/screen-pop', {
      template: 'https://crm.example/?q={caller}',
      openOn: 'ringing',
    });
    expect(unknown.text).toContain('Unknown placeholder {caller}');
    expectError(
      await u.req('PUT', '/api/account/screen-pop', { template: CRM, openOn: 'later' }),
      400,
      'invalid_input',
    );
    expect((await u.req('GET', '/api/account/screen-pop')).body).toEqual({
      template: CRM,
      openOn: 'ringing',
    });
  });

  it('turns off with an empty template', async () => {
    const u = await h.user('operator');
    await u.req('PUT', '/api/account/screen-pop', { template: CRM, openOn: 'answered' });
    const off = await u.req('PUT', '/api/account/screen-pop', { template: '', openOn: 'answered' });
    expect(off.body).toEqual({ template: null, openOn: 'answered' });
    expect((await u.req('GET', '/api/account/screen-pop')).body).toMatchObject({ template: null });
  });

  it('answers 401 without a session', async () => {
    expectError(await h.anonymous.req('GET', '/api/account/screen-pop'), 401, 'unauthenticated');
  });
});
