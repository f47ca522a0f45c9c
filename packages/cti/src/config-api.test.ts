/**
 * The config API on a local session phone over HTTP: reads (unknown keys ""), writes read back
 * (an ignored write is not_applied, naming the key), DND and Click-To-Dial, forward not available
 * without known keys, validation before anything is sent, and the passcode scheme refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CtiClient, createCtiClient } from './client.ts';
import { createConfigApi } from './config-api.ts';
import { CtiError, type CtiErrorCode } from './errors.ts';
import { type SessionPhone, startSessionPhone } from './test-session-phone.ts';

let phone: SessionPhone;
let client: CtiClient;

beforeEach(async () => {
  phone = await startSessionPhone({ adminPassword: 'secret-pass' });
  client = createCtiClient({
    host: phone.host,
    credential: { scheme: 'session', username: 'admin', secret: 'secret-pass' },
  });
});
afterEach(async () => {
  await client.close();
  await phone.close();
});

async function expectCode(promise: Promise<unknown>, code: CtiErrorCode): Promise<CtiError> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CtiError);
  expect((err as CtiError).code).toBe(code);
  return err as CtiError;
}

describe('getConfig', () => {
  it('reads values by key with one GET, unknown keys as ""', async () => {
    await expect(client.getConfig(['P1561', ':dnd', 'P9999'])).resolves.toEqual({
      P1561: '1',
      ':dnd': '0',
      P9999: '',
    });
    const [get] = phone.calls('config_get');
    expect(get?.method).toBe('GET');
    expect(get?.query.get('pvalues')).toBe('P1561,:dnd,P9999');
    expect(get?.query.get('sid')).toBe(phone.sidOf('admin'));
  });

  it.each([
    ['no keys', []],
    ['a key with an injection', ['P1561&P2=x']],
    ['a bare number', ['1561']],
    ['a too long P-value', ['P123456']],
    ['an upper-case alias', [':DND']],
    ['too many keys', Array.from({ length: 33 }, (_, i) => `P${i + 1}`)],
  ])('%s is invalid_input, nothing sent', async (_name, keys) => {
    await expectCode(client.getConfig(keys), 'invalid_input');
    expect(phone.requests).toHaveLength(0);
  });
});

describe('setConfig', () => {
  it('PUTs config_update as JSON and reads the values back', async () => {
    await client.setConfig({ P1561: '0', ':dnd': '1' });
    const [put] = phone.calls('config_update');
    expect(put?.method).toBe('PUT');
    expect(put?.headers['content-type']).toContain('application/json');
    expect(JSON.parse(put?.body ?? '')).toEqual({ alias: {}, pvalue: { P1561: '0', ':dnd': '1' } });
    expect(phone.calls('config_get')).toHaveLength(1);
    expect(phone.values.get('P1561')).toBe('0');
  });

  it('a write the phone answers success for but ignores is not_applied, naming the key', async () => {
    phone.ignoredWrites.add('P1561');
    const err = await expectCode(client.setConfig({ P1561: '0', ':dnd': '1' }), 'not_applied');
    expect(err.message).toContain('P1561');
    expect(err.message).not.toContain(':dnd');
  });

  it.each([
    ['a value too long', { P1561: 'x'.repeat(129) }],
    ['a newline', { P1561: '1\n' }],
    ['a number', { P1561: 1 as unknown as string }],
    ['a bad key', { 'P1561,P2': '1' }],
  ])('%s is invalid_input, nothing sent', async (_name, values) => {
    await expectCode(client.setConfig(values), 'invalid_input');
    expect(phone.requests).toHaveLength(0);
  });
});

describe('DND, Click-To-Dial, forward', () => {
  it('getDnd / setDnd use :dnd, getClickToDial P1561; "" is null', async () => {
    await expect(client.getDnd()).resolves.toBe(false);
    await client.setDnd(true);
    expect(phone.values.get(':dnd')).toBe('1');
    await expect(client.getDnd()).resolves.toBe(true);
    await expect(client.getClickToDial()).resolves.toBe(true);
    phone.values.delete('P1561');
    await expect(client.getClickToDial()).resolves.toBeNull();
    await expectCode(client.setDnd('yes' as never), 'invalid_input');
  });

  it('forward without known keys for the family is not_supported, nothing sent', async () => {
    const err = await expectCode(client.getForward(), 'not_supported');
    expect(err.message).toBe("Call forward is not available with this phone's firmware or credentials.");
    await expectCode(client.setForward({ mode: 'always', number: '100' }), 'not_supported');
    expect(phone.requests).toHaveLength(0);
  });

  it('forward with a table: validates, writes mode and target, reads them back', async () => {
    const key = (k: string) => ({ key: k, meaning: 'test', source: 'test table' });
    // A WP8xx-style answer: `configs` at the top level, P-values without the P.
    const written: { pvalue: string; value: string }[] = [
      { pvalue: '90001', value: 'busy' },
      { pvalue: '90003', value: '+4930123' },
    ];
    const api = createConfigApi({
      host: phone.host,
      scheme: 'session',
      forwardKeys: {
        mode: key('P90001'),
        always: key('P90002'),
        busy: key('P90003'),
        noAnswer: key('P90004'),
      },
      exchange: async (_request, read) =>
        read(
          { status: 200, contentType: 'application/json', text: JSON.stringify({ configs: written }) },
          true,
        ),
    });
    await expect(api.getForward()).resolves.toEqual({ mode: 'busy', number: '+4930123' });
    await expectCode(api.setForward({ mode: 'always', number: '1&2' }), 'invalid_input');
    await expectCode(api.setForward({ mode: 'sometimes' as never, number: '' }), 'invalid_input');
  });
});

describe('passcode scheme', () => {
  it('every config function is not_supported and sends nothing', async () => {
    const passcodeClient = createCtiClient({ host: phone.host, passcode: 'secret-pass' });
    for (const run of [
      () => passcodeClient.getConfig(['P1561']),
      () => passcodeClient.setConfig({ P1561: '1' }),
      () => passcodeClient.getDnd(),
      () => passcodeClient.setDnd(true),
      () => passcodeClient.getClickToDial(),
      () => passcodeClient.getForward(),
      () => passcodeClient.setForward({ mode: 'off', number: '' }),
    ]) {
      await expectCode(run(), 'not_supported');
    }
    expect(phone.requests).toHaveLength(0);
  });
});
