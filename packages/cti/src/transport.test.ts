import { afterEach, describe, expect, it } from 'vitest';
import { CtiError } from './errors.ts';
import { startTestPhone, success, type TestPhone } from './test-phone-server.ts';
import { buildRequestUrl, createTransport, parseHost } from './transport.ts';

let phone: TestPhone | undefined;
afterEach(async () => {
  await phone?.close();
  phone = undefined;
});

describe('parseHost', () => {
  it.each([
    ['10.0.0.2', 'http://10.0.0.2'],
    ['10.0.0.2:8080', 'http://10.0.0.2:8080'],
    ['[fe80::1]:8080', 'http://[fe80::1]:8080'],
    ['phone-12.office.lan', 'http://phone-12.office.lan'],
    ['http://10.0.0.2/', 'http://10.0.0.2'],
    ['https://10.0.0.2:8443', 'https://10.0.0.2:8443'],
    ['  HTTPS://10.0.0.2  ', 'https://10.0.0.2'],
  ])('%s -> %s', (input, origin) => {
    expect(parseHost(input).origin).toBe(origin);
  });

  it.each([
    '',
    '   ',
    'ws://10.0.0.2',
    'javascript:alert(1)',
    '10.0.0.2/x',
    'http://10.0.0.2#a',
    'u:p@10.0.0.2',
  ])('refuses %j', (input) => {
    expect(() => parseHost(input)).toThrow(CtiError);
  });

  it('refuses non-strings', () => {
    expect(() => parseHost(undefined)).toThrow(/empty/);
  });
});

describe('buildRequestUrl', () => {
  it('encodes every value so none can add a parameter', () => {
    const url = new URL(
      buildRequestUrl('http://10.0.0.2', 'api-make_call', 'a&b=c', { phonenumber: '1&cmd=REBOOT' }),
    );
    expect(url.pathname).toBe('/cgi-bin/api-make_call');
    expect([...url.searchParams]).toEqual([
      ['passcode', 'a&b=c'],
      ['phonenumber', '1&cmd=REBOOT'],
    ]);
  });
});

describe('https', () => {
  it('refuses a self-signed certificate by default', async () => {
    phone = await startTestPhone({ 'api-get_phone_status': success('available') }, { tls: true });
    const transport = createTransport({ host: phone.host, timeoutMs: 2000 });
    const err = await transport
      .request({ method: 'GET', fn: 'api-get_phone_status', query: { passcode: 'pw' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CtiError);
    expect((err as CtiError).code).toBe('unreachable');
    expect(phone.requests).toHaveLength(0);
  });

  it('accepts it with allowSelfSigned, sending the same encoded query', async () => {
    phone = await startTestPhone({ 'api-make_call': success(true) }, { tls: true });
    const transport = createTransport({ host: phone.host, timeoutMs: 2000, allowSelfSigned: true });
    const raw = await transport.request({
      method: 'GET',
      fn: 'api-make_call',
      query: { passcode: 'p&w', phonenumber: '+1#' },
    });
    expect(raw).toEqual({
      status: 200,
      contentType: 'application/json',
      text: '{"response":"success","body":true}',
    });
    expect(phone.requests[0]?.rawQuery).toBe('passcode=p%26w&phonenumber=%2B1%23');
  });

  it('times out on the self-signed path too', async () => {
    phone = await startTestPhone({ '*': { hang: true } }, { tls: true });
    const transport = createTransport({
      host: phone.host,
      timeoutMs: 150,
      allowSelfSigned: true,
      secrets: () => ['secret-pw'],
    });
    const err = (await transport
      .request({ method: 'GET', fn: 'api-get_line_status', query: { passcode: 'secret-pw' } })
      .catch((e: unknown) => e)) as CtiError;
    expect(err.code).toBe('timeout');
    expect(JSON.stringify(err)).not.toContain('secret-pw');
  });
});
