import { describe, expect, it } from 'vitest';
import { CtiError, redactPasscode, redactSecrets, sanitizeCause } from './errors.ts';

describe('CtiError', () => {
  it('carries code, host, status and body, and serializes them', () => {
    const err = new CtiError('rejected', 'no', { host: '10.0.0.2', status: 200, body: 'Invalid Request' });
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).toBe('CtiError: no');
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: 'CtiError',
      code: 'rejected',
      message: 'no',
      host: '10.0.0.2',
      status: 200,
      body: 'Invalid Request',
    });
  });

  it('serializes the cause reduced to name, message and code', () => {
    const cause = Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED', url: 'x?passcode=p' });
    const err = new CtiError('unreachable', 'down', { host: 'h', cause });
    expect(err.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(err)).cause).toEqual({
      name: 'Error',
      message: 'connect refused',
      code: 'ECONNREFUSED',
    });
  });
});

describe('redactPasscode', () => {
  it('redacts passcode= in URLs and the passcode itself in any form', () => {
    expect(redactPasscode('GET http://h/cgi-bin/x?passcode=abc&cmd=1')).toBe(
      'GET http://h/cgi-bin/x?passcode=[redacted]&cmd=1',
    );
    expect(redactPasscode('bad pw p&ss w0rd, p%26ss%20w0rd, p%26ss+w0rd', 'p&ss w0rd')).toBe(
      'bad pw [redacted], [redacted], [redacted]',
    );
  });
});

describe('sanitizeCause', () => {
  it('keeps name and system code, drops the URL and nested objects', () => {
    const url = 'http://h/cgi-bin/api-get_accounts?passcode=hunter22';
    const source = new TypeError(`fetch failed ${url}`, {
      cause: Object.assign(new Error(`connect ECONNREFUSED (${url})`), { code: 'ECONNREFUSED', url }),
    });
    const safe = sanitizeCause(source, 'hunter22');
    expect(safe.name).toBe('TypeError');
    expect((safe as Error & { code?: string }).code).toBe('ECONNREFUSED');
    expect(safe.cause).toBeUndefined();
    expect(`${safe.message}${safe.stack}`).not.toContain('hunter22');
    expect(safe.message).toContain('ECONNREFUSED');
  });

  it('wraps non-Error values', () => {
    expect(sanitizeCause('boom passcode=x').message).toBe('boom passcode=[redacted]');
  });
});

describe('redactSecrets', () => {
  it('redacts sid= and password= (query, form, Cookie) and each secret in any encoding', () => {
    expect(redactSecrets('GET /cgi-bin/api-x?sid=abc123&cmd=1 cookie: sid=abc123; Path=/')).toBe(
      'GET /cgi-bin/api-x?sid=[redacted]&cmd=1 cookie: sid=[redacted]; Path=/',
    );
    expect(redactSecrets('username=admin&password=9f86d08', [])).toBe('username=admin&password=[redacted]');
    expect(redactSecrets('"sid":"deadbeef01" p&ss w0rd', ['deadbeef01', 'p&ss w0rd'])).toBe(
      '"sid":"[redacted]" [redacted]',
    );
  });
});
